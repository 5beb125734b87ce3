"""How practice words things for people: the Chinese or English side of a scenario's texts,
numbers as people write them and clock times of the shift."""

from __future__ import annotations

from flask_babel import get_locale


def pick(text: dict | None) -> str:
    """The Chinese or English side of a ``{"zh", "en"}`` text, by the interface language."""
    if not text:
        return ""
    if str(get_locale() or "zh").startswith("en"):
        return text.get("en") or text.get("zh") or ""
    return text.get("zh") or text.get("en") or ""


def num(x: float) -> str:
    """A number as people write it: 15, 0.85, 2.5 (no trailing zeros)."""
    return f"{x:g}"


def clock(start: str, minutes: float) -> str:
    from simulations.result import clock as _clock

    return _clock(start, minutes)


def name_of(obj, fallback: str) -> str:
    name = getattr(obj, "name", None)
    return pick(name.model_dump()) if name is not None else fallback
