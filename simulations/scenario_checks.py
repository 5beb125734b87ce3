"""Scenario validation beyond the field types: one-line error messages and the checks that
look at several fields at once (split from ``scenario.py``)."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .catalogue import check_allowed
from .errors import ScenarioError
from .scenario_base import (
    DEFAULT_COMMITMENTS,
    MAX_EXPECTED_ENTITIES,
    MAX_SERIES_POINTS,
    RateFields,
)

if TYPE_CHECKING:
    from .scenario import DispatchScenario, Scenario, ServiceCounterScenario

#: Checks that need modules built on the scenario models (the reference plan is checked by
#: ``plans.py``, which registers itself here when imported, so there is no import cycle).
LATE_CHECKS: list[Callable[[Scenario], None]] = []


# ---------------------------------------------------------------- error messages


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(err: ErrorDetails, model: type[BaseModel]) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    simple = {
        "missing": "is required",
        "float_type": "must be a number",
        "float_parsing": "must be a number",
        "int_type": "must be a whole number",
        "int_parsing": "must be a whole number",
        "int_from_float": "must be a whole number",
        "bool_type": "must be true or false",
        "bool_parsing": "must be true or false",
        "string_type": "must be text",
        "list_type": "must be a list",
        "dict_type": "must be a mapping",
        "model_type": "must be a mapping",
        "model_attributes_type": "must be a mapping",
        "finite_number": "must be a finite number",
        "string_pattern_mismatch": "must start with a letter and use only a-z, 0-9, _ and -",
    }
    if kind in simple:
        if kind == "string_pattern_mismatch" and "[01]" in str(ctx.get("pattern", "")):
            return "must be a time of day like 08:30"
        return simple[kind]
    compare = {
        "greater_than": ("gt", ">"),
        "greater_than_equal": ("ge", ">="),
        "less_than": ("lt", "<"),
        "less_than_equal": ("le", "<="),
    }
    if kind in compare:
        key, sign = compare[kind]
        return f"must be {sign} {_num(ctx.get(key))}"
    if kind == "too_short":
        n = ctx.get("min_length")
        return f"must have at least {n} item{'s' if n != 1 else ''}"
    if kind == "too_long":
        return f"must have at most {ctx.get('max_length')} items"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"must be one of {expected}"
    if kind == "extra_forbidden":
        return "unknown field" + _suggest(err["loc"], model)
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])).removeprefix("Value error, ")
    return err["msg"][:1].lower() + err["msg"][1:]


def _num(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _suggest(loc: tuple, model: type[BaseModel]) -> str:
    """ ", did you mean rate_per_hour?" when the unknown field looks like a known one."""
    fields: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = getattr(fields, "model_fields", {}).get(part)
        if info is None:
            return ""
        fields = _inner_model(info.annotation)
        if fields is None:
            return ""
    known = list(getattr(fields, "model_fields", {}))
    close = difflib.get_close_matches(str(loc[-1]), known, n=1)
    return f"; did you mean {close[0]}?" if close else ""


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def first_error(exc: ValidationError, model: type[BaseModel], source: str | None) -> ScenarioError:
    errors = [(_loc(e["loc"]), _message(e, model)) for e in exc.errors(include_url=False)]
    path, message = errors[0]
    error = ScenarioError(path, message, source)
    error.errors = errors
    return error


# ---------------------------------------------------------------- cross-field checks


def _unique(items: list, field: str) -> None:
    seen = set()
    for i, item in enumerate(items):
        if item.id in seen:
            raise ScenarioError(f"{field}[{i}].id", f"duplicate id {item.id}")
        seen.add(item.id)


def _check_hours(values: list | None, path: str, hours: int) -> None:
    if values is not None and len(values) != hours:
        raise ScenarioError(
            path, f"must have one value per opening hour ({hours} values), got {len(values)}"
        )


def _check_rates(obj: RateFields, path: str, hours: int) -> None:
    if (obj.rate_per_hour is None) == (obj.profile is None):
        raise ScenarioError(path, "give exactly one of rate_per_hour or profile")
    _check_hours(obj.profile, f"{path}.profile" if path else "profile", hours)


def _check_known(ids: list[str], known: list[str], path: str, what: str) -> None:
    for i, x in enumerate(ids):
        if x not in known:
            raise ScenarioError(f"{path}[{i}]", f"unknown {what} {x} (known: {', '.join(known)})")


def _check_keys(mapping: dict, known: list[str], path: str, what: str) -> None:
    for x in mapping:
        if x not in known:
            raise ScenarioError(f"{path}.{x}", f"unknown {what} (known: {', '.join(known)})")


def _check_shares(items: list, path: str) -> None:
    total = sum(item.share for item in items)
    if abs(total - 1.0) > 1e-6:
        raise ScenarioError(path, f"shares must add up to 1 (they add up to {total:.6g})")


def check_common(sc: Scenario) -> None:
    if sc.warmup_min >= sc.horizon_min:
        raise ScenarioError("warmup_min", "must be less than horizon_min")
    if sc.horizon_min / sc.interval_min > MAX_SERIES_POINTS:
        raise ScenarioError(
            "series_interval_min",
            f"gives more than {MAX_SERIES_POINTS} points; use a longer interval",
        )
    expected = sc.expected_entities()
    if expected > MAX_EXPECTED_ENTITIES:
        what = "arrivals" if sc.kind == "service_counter" else "zones"
        raise ScenarioError(
            what,
            f"about {expected:.0f} arrivals per run; at most {MAX_EXPECTED_ENTITIES} "
            "(lower the rate or the horizon)",
        )
    known = sc.kpi_names()
    for name in sc.targets:
        if name not in known:
            raise ScenarioError(f"targets.{name}", f"unknown KPI (known: {', '.join(known)})")
    check_allowed(sc)
    if sc.budget is not None:
        cost = "staff_hours" if sc.kind == "service_counter" else "crew_hours"
        if sc.budget.kpi != cost:
            raise ScenarioError("budget.kpi", f"must be {cost} in a {sc.kind} scenario")
    for check in LATE_CHECKS:
        check(sc)


def _check_service_counter(sc: ServiceCounterScenario) -> None:
    hours = sc.hours
    _check_rates(sc.arrivals, "arrivals", hours)
    _unique(sc.service_types, "service_types")
    _unique(sc.counters, "counters")
    _check_shares(sc.service_types, "service_types")
    types = sc.type_ids
    served = set()
    for i, group in enumerate(sc.counters):
        _check_known(group.serves, types, f"counters[{i}].serves", "service type")
        _check_hours(group.schedule, f"counters[{i}].schedule", hours)
        if group.max_count is not None and group.max_count < group.count:
            raise ScenarioError(f"counters[{i}].max_count", "must be >= count")
        if group.max_count is not None and group.schedule and group.max_count < max(group.schedule):
            raise ScenarioError(f"counters[{i}].max_count", "must be >= every value of schedule")
        served.update(group.serves)
    for i, t in enumerate(sc.service_types):
        if t.id not in served:
            raise ScenarioError(f"service_types[{i}]", f"{t.id} is served by no counter group")
    if sc.kiosks is not None:
        _check_known(sc.kiosks.types, types, "kiosks.types", "service type")
        if sc.kiosks.max_share is not None and sc.kiosks.max_share < sc.kiosks.share:
            raise ScenarioError("kiosks.max_share", "must be >= share")
    if sc.online is not None:
        _check_keys(sc.online.share, types, "online.share", "service type")
        if sc.online.campaign is not None:
            _check_keys(
                sc.online.campaign.extra_share, types, "online.campaign.extra_share", "service type"
            )
            for type_id, extra in sc.online.campaign.extra_share.items():
                if sc.online.share.get(type_id, 0.0) + extra > 1:
                    raise ScenarioError(
                        f"online.campaign.extra_share.{type_id}",
                        "share plus extra_share must be <= 1",
                    )


def _check_dispatch(sc: DispatchScenario) -> None:
    hours = sc.hours
    _unique(sc.zones, "zones")
    _unique(sc.priorities, "priorities")
    _unique(sc.crews, "crews")
    _check_shares(sc.priorities, "priorities")
    zones = sc.zone_ids
    for i, zone in enumerate(sc.zones):
        _check_rates(zone, f"zones[{i}]", hours)
        if zone.commitment_min is None and zone.id not in DEFAULT_COMMITMENTS:
            raise ScenarioError(
                f"zones[{i}].commitment_min",
                f"is required for zone {zone.id} (defaults exist only for urban, rural, remote)",
            )
    for i, group in enumerate(sc.crews):
        if group.base not in zones:
            raise ScenarioError(
                f"crews[{i}].base", f"unknown zone {group.base} (known: {', '.join(zones)})"
            )
        if group.max_count is not None and group.max_count < group.count:
            raise ScenarioError(f"crews[{i}].max_count", "must be >= count")
        if group.shift is not None and group.shift.end_min <= group.shift.start_min:
            raise ScenarioError(f"crews[{i}].shift.end_min", "must be after start_min")
    _check_keys(sc.extra_travel_min, zones, "extra_travel_min", "zone")
    for a, row in sc.extra_travel_min.items():
        _check_keys(row, zones, f"extra_travel_min.{a}", "zone")
    for i, a in enumerate(zones):
        for b in zones[i + 1 :]:
            if b not in sc.extra_travel_min.get(a, {}) and a not in sc.extra_travel_min.get(b, {}):
                raise ScenarioError(
                    "extra_travel_min", f"missing the extra travel time between {a} and {b}"
                )
    if sc.storm is not None:
        if sc.storm.end_min <= sc.storm.start_min:
            raise ScenarioError("storm.end_min", "must be after start_min")
        _check_keys(sc.storm.zone_multiplier, zones, "storm.zone_multiplier", "zone")
        if sc.storm.standby is not None and sc.storm.standby.base not in zones:
            raise ScenarioError("storm.standby.base", f"unknown zone {sc.storm.standby.base}")


def check_kind(sc: Scenario) -> None:
    if sc.kind == "service_counter":
        _check_service_counter(sc)
    else:
        _check_dispatch(sc)
