"""The base of every scenario model: strict about unknown fields and about numbers."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator


def _numeric(annotation: Any) -> bool:
    """Whether a field annotation takes numbers (int or float, possibly in a list or a
    mapping's values, possibly optional)."""
    if annotation in (int, float):
        return True
    return any(_numeric(arg) for arg in getattr(annotation, "__args__", ()) or ())


def _takes_bool(annotation: Any) -> bool:
    """Whether true/false is itself a valid value (``answer: bool | float``)."""
    if annotation is bool:
        return True
    return any(_takes_bool(arg) for arg in getattr(annotation, "__args__", ()) or ())


def _has_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, list):
        return any(isinstance(v, bool) for v in value)
    if isinstance(value, dict):
        return any(isinstance(v, bool) for v in value.values())
    return False


class NumberChecks(BaseModel):
    """Refuses true/false where a number is expected (YAML's ``true`` is not 1), naming the
    field. Pair it with ``allow_inf_nan=False`` in the model config to refuse .nan and .inf."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if (
            field is not None
            and _has_bool(value)
            and _numeric(field.annotation)
            and not _takes_bool(field.annotation)
        ):
            raise ValueError("must be a number, not true or false")
        return value


class Strict(NumberChecks):
    """No unknown fields, immutable, finite numbers only (``.nan`` and ``.inf`` are refused)
    and no true/false where a number is expected."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
