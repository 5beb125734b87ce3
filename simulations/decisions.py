"""Decisions: what the trainee controls, separate from the scenario (what the world is).

``decision_specs(scenario)`` lists the decisions a scenario lets the trainee change, with
bounds and defaults (for a form). ``validate_decisions(scenario, mapping)`` turns a mapping
such as ``{"counters_open": {"general": [3, 4, 4]}}`` into a normalised decisions object or
raises :class:`~simulations.errors.DecisionError` naming the field.

The same checks serve the step-through actions of :class:`~simulations.session.Session`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from .catalogue import KIND_DECISIONS, LABELS, POLICY_LABELS, allowed
from .errors import DecisionError
from .scenario import (
    DISPATCH_POLICIES,
    CounterGroup,
    CrewGroup,
    DispatchScenario,
    Scenario,
    ServiceCounterScenario,
)

MAX_ASSIGNMENTS = 10_000
TICKET_ID = re.compile(r"^T[0-9]{1,7}$")

# ---------------------------------------------------------------- normalised decisions


@dataclass
class ServiceCounterDecisions:
    counters_open: dict[str, list[int]]
    counter_serves: dict[str, list[str]]
    kiosk_share: float | None
    diversion_campaign: bool

    @property
    def timed_actions(self) -> list[dict]:
        return []

    def to_dict(self) -> dict:
        out: dict[str, Any] = {
            "counters_open": {k: list(v) for k, v in self.counters_open.items()},
            "counter_serves": {k: list(v) for k, v in self.counter_serves.items()},
        }
        if self.kiosk_share is not None:
            out["kiosk_share"] = self.kiosk_share
        out["diversion_campaign"] = self.diversion_campaign
        return out


@dataclass
class DispatchDecisions:
    crews_on_shift: dict[str, int]
    dispatch_policy: str
    surge_extra_crews: int
    assignments: list[dict]

    @property
    def timed_actions(self) -> list[dict]:
        return [
            {"at_min": a["at_min"], "action": "assign", "ticket": a["ticket"], "crew": a["crew"]}
            for a in self.assignments
        ]

    def to_dict(self) -> dict:
        return {
            "crews_on_shift": dict(self.crews_on_shift),
            "dispatch_policy": self.dispatch_policy,
            "surge_extra_crews": self.surge_extra_crews,
            "assignments": [dict(a) for a in self.assignments],
        }


Decisions = ServiceCounterDecisions | DispatchDecisions


def defaults(sc: Scenario) -> Decisions:
    """The decisions as the scenario sets them (the baseline)."""
    if isinstance(sc, ServiceCounterScenario):
        return _counter_defaults(sc)
    return _dispatch_defaults(sc)


def _counter_defaults(sc: ServiceCounterScenario) -> ServiceCounterDecisions:
    return ServiceCounterDecisions(
        counters_open={g.id: g.default_schedule(sc.hours) for g in sc.counters},
        counter_serves={g.id: list(g.serves) for g in sc.counters},
        kiosk_share=sc.kiosks.share if sc.kiosks else None,
        diversion_campaign=False,
    )


def _dispatch_defaults(sc: DispatchScenario) -> DispatchDecisions:
    return DispatchDecisions(
        crews_on_shift={g.id: g.count for g in sc.crews},
        dispatch_policy=sc.policy,
        surge_extra_crews=0,
        assignments=[],
    )


def validate_decisions(sc: Scenario, decisions: Mapping | Decisions | None) -> Decisions:
    """Check a decisions mapping against the scenario and return the full normalised set."""
    if isinstance(decisions, (ServiceCounterDecisions, DispatchDecisions)):
        return decisions
    if isinstance(sc, ServiceCounterScenario):
        counter = _counter_defaults(sc)
        if decisions is None:
            return counter
        for name, value in _changes(sc, decisions):
            setattr(counter, name, COUNTER_PARSERS[name](sc, value, name, counter))
        check_coverage(sc, counter.counter_serves, "counter_serves")
        return counter
    dispatch = _dispatch_defaults(sc)
    if decisions is None:
        return dispatch
    for name, value in _changes(sc, decisions):
        setattr(dispatch, name, DISPATCH_PARSERS[name](sc, value, name, dispatch))
    if dispatch.assignments and dispatch.dispatch_policy != "manual":
        raise DecisionError("assignments", "manual assignments need dispatch_policy manual")
    return dispatch


def _changes(sc: Scenario, decisions: Any) -> Iterator[tuple[str, Any]]:
    """The (name, value) items of a decisions mapping, each checked as known and allowed
    just before it is parsed (so the first bad item is the one reported)."""
    if not isinstance(decisions, Mapping):
        raise DecisionError("", "decisions must be a mapping of decision names to values")
    names = KIND_DECISIONS[sc.kind]
    ok = allowed(sc)
    for name, value in decisions.items():
        if name not in names:
            raise DecisionError(str(name), f"unknown decision (known: {', '.join(names)})")
        if name not in ok:
            raise DecisionError(name, "cannot be changed in this scenario")
        yield name, value


# ---------------------------------------------------------------- value checks


G = TypeVar("G", CounterGroup, CrewGroup)


def _group(groups: list[G], gid: Any, path: str) -> G:
    for g in groups:
        if g.id == gid:
            return g
    known = ", ".join(g.id for g in groups)
    raise DecisionError(path, f"unknown group {gid} (known: {known})")


def check_count(value: Any, lo: int, hi: int, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DecisionError(path, "must be a whole number")
    if isinstance(value, float) and not value.is_integer():
        raise DecisionError(path, "must be a whole number")
    if not lo <= value <= hi:
        raise DecisionError(path, f"must be between {lo} and {hi}")
    return int(value)


def check_share(value: Any, lo: float, hi: float, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise DecisionError(path, "must be a number")
    if not lo <= value <= hi:
        raise DecisionError(path, f"must be between {lo:g} and {hi:g}")
    return float(value)


def check_bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise DecisionError(path, "must be true or false")
    return value


def _mapping(value: Any, path: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise DecisionError(path, "must be a mapping of group ids to values")
    return value


def _parse_open(
    sc: ServiceCounterScenario, value: Any, name: str, current: ServiceCounterDecisions
) -> dict[str, list[int]]:
    out = dict(current.counters_open)
    for gid, v in _mapping(value, name).items():
        path = f"{name}.{gid}"
        group = _group(sc.counters, gid, path)
        if isinstance(v, list):
            if len(v) != sc.hours:
                raise DecisionError(
                    path, f"must have one value per opening hour ({sc.hours} values)"
                )
            out[gid] = [check_count(x, 0, group.limit, f"{path}[{i}]") for i, x in enumerate(v)]
        else:
            out[gid] = [check_count(v, 0, group.limit, path)] * sc.hours
    return out


def check_serves(sc: ServiceCounterScenario, value: Any, path: str) -> list[str]:
    types = sc.type_ids
    if not isinstance(value, list) or not value:
        raise DecisionError(path, "must be a non-empty list of service types")
    for i, t in enumerate(value):
        if t not in types:
            raise DecisionError(
                f"{path}[{i}]", f"unknown service type {t} (known: {', '.join(types)})"
            )
    if len(set(value)) != len(value):
        raise DecisionError(path, "lists a service type twice")
    return list(value)


def check_coverage(sc: ServiceCounterScenario, serves: dict[str, list[str]], path: str) -> None:
    covered = {t for types in serves.values() for t in types}
    for t in sc.type_ids:
        if t not in covered:
            raise DecisionError(path, f"no counter group serves {t}")


def _parse_serves(
    sc: ServiceCounterScenario, value: Any, name: str, current: ServiceCounterDecisions
) -> dict[str, list[str]]:
    out = dict(current.counter_serves)
    for gid, v in _mapping(value, name).items():
        _group(sc.counters, gid, f"{name}.{gid}")
        out[gid] = check_serves(sc, v, f"{name}.{gid}")
    return out


def _parse_kiosk(
    sc: ServiceCounterScenario, value: Any, name: str, current: ServiceCounterDecisions
) -> float:
    if sc.kiosks is None:  # scenario validation allows kiosk_share only with kiosks
        raise DecisionError(name, "cannot be changed in this scenario (it has no kiosks)")
    return check_share(value, 0.0, sc.kiosks.share_limit, name)


def _parse_campaign(
    sc: ServiceCounterScenario, value: Any, name: str, current: ServiceCounterDecisions
) -> bool:
    return check_bool(value, name)


def _parse_crews(
    sc: DispatchScenario, value: Any, name: str, current: DispatchDecisions
) -> dict[str, int]:
    out = dict(current.crews_on_shift)
    for gid, v in _mapping(value, name).items():
        group = _group(sc.crews, gid, f"{name}.{gid}")
        out[gid] = check_count(v, 0, group.limit, f"{name}.{gid}")
    return out


def check_policy(value: Any, path: str) -> str:
    if value not in DISPATCH_POLICIES:
        raise DecisionError(path, f"must be one of {', '.join(DISPATCH_POLICIES)}")
    return value


def _parse_policy(sc: DispatchScenario, value: Any, name: str, current: DispatchDecisions) -> str:
    return check_policy(value, name)


def _parse_standby(sc: DispatchScenario, value: Any, name: str, current: DispatchDecisions) -> int:
    standby = sc.storm.standby if sc.storm is not None else None
    if standby is None:  # scenario validation allows surge_extra_crews only with a standby
        raise DecisionError(name, "cannot be changed in this scenario (it has no standby crews)")
    return check_count(value, 0, standby.max_crews, name)


def crew_names(sc: DispatchScenario) -> list[str]:
    """Every crew that can exist in this scenario, ``<group>-<n>`` plus ``standby-<n>``."""
    names = [f"{g.id}-{i + 1}" for g in sc.crews for i in range(g.limit)]
    if sc.storm is not None and sc.storm.standby is not None:
        names += [f"standby-{i + 1}" for i in range(sc.storm.standby.max_crews)]
    return names


def _parse_assignments(
    sc: DispatchScenario, value: Any, name: str, current: DispatchDecisions
) -> list[dict]:
    if not isinstance(value, list):
        raise DecisionError(name, "must be a list of {at_min, ticket, crew}")
    if len(value) > MAX_ASSIGNMENTS:
        raise DecisionError(name, f"must have at most {MAX_ASSIGNMENTS} items")
    crews = set(crew_names(sc))
    out: list[dict[str, Any]] = []
    for i, item in enumerate(value):
        path = f"{name}[{i}]"
        if not isinstance(item, Mapping) or set(item) != {"at_min", "ticket", "crew"}:
            raise DecisionError(path, "must be a mapping with at_min, ticket and crew")
        at = check_share(item["at_min"], 0.0, sc.horizon_min, f"{path}.at_min")
        if not isinstance(item["ticket"], str) or not TICKET_ID.match(item["ticket"]):
            raise DecisionError(f"{path}.ticket", "must be a ticket id like T12")
        if not isinstance(item["crew"], str) or item["crew"] not in crews:  # [] unhashable
            raise DecisionError(f"{path}.crew", f"unknown crew {item['crew']}")
        out.append({"at_min": at, "ticket": item["ticket"], "crew": item["crew"]})
    out.sort(key=lambda a: a["at_min"])  # stable: same-time items keep their order
    return out


# Each parser returns the new value of the decision of the same name.
COUNTER_PARSERS: dict[
    str, Callable[[ServiceCounterScenario, Any, str, ServiceCounterDecisions], Any]
] = {
    "counters_open": _parse_open,
    "counter_serves": _parse_serves,
    "kiosk_share": _parse_kiosk,
    "diversion_campaign": _parse_campaign,
}
DISPATCH_PARSERS: dict[str, Callable[[DispatchScenario, Any, str, DispatchDecisions], Any]] = {
    "crews_on_shift": _parse_crews,
    "dispatch_policy": _parse_policy,
    "surge_extra_crews": _parse_standby,
    "assignments": _parse_assignments,
}


# ---------------------------------------------------------------- specs for forms


def decision_specs(sc: Scenario) -> list[dict]:
    """The decisions a trainee may change, each with its type, bounds and default."""
    specs = []
    for name in allowed(sc):
        zh, en = LABELS[name]
        spec: dict[str, Any] = {"name": name, "label": {"zh": zh, "en": en}}
        if isinstance(sc, ServiceCounterScenario):
            spec |= _counter_spec(sc, name)
        else:
            spec |= _dispatch_spec(sc, name)
        specs.append(spec)
    return specs


def _counter_spec(sc: ServiceCounterScenario, name: str) -> dict[str, Any]:
    if name == "counters_open":
        return {
            "type": "per_hour_counts",
            "hours": sc.hours,
            "groups": [
                {"id": g.id, "min": 0, "max": g.limit, "default": g.default_schedule(sc.hours)}
                for g in sc.counters
            ],
        }
    if name == "counter_serves":
        return {
            "type": "subsets",
            "choices": sc.type_ids,
            "groups": [{"id": g.id, "default": list(g.serves)} for g in sc.counters],
        }
    if name == "kiosk_share" and sc.kiosks is not None:  # allowed only with kiosks
        return {
            "type": "number",
            "min": 0.0,
            "max": sc.kiosks.share_limit,
            "default": sc.kiosks.share,
        }
    if name == "diversion_campaign":
        return {"type": "boolean", "default": False}
    return {}


def _dispatch_spec(sc: DispatchScenario, name: str) -> dict[str, Any]:
    if name == "crews_on_shift":
        return {
            "type": "counts",
            "groups": [
                {"id": g.id, "min": 0, "max": g.limit, "default": g.count} for g in sc.crews
            ],
        }
    if name == "dispatch_policy":
        return {
            "type": "choice",
            "choices": [
                {"id": p, "label": {"zh": POLICY_LABELS[p][0], "en": POLICY_LABELS[p][1]}}
                for p in DISPATCH_POLICIES
            ],
            "default": sc.policy,
        }
    standby = sc.storm.standby if sc.storm is not None else None
    if name == "surge_extra_crews" and standby is not None:  # allowed only with a standby
        return {"type": "integer", "min": 0, "max": standby.max_crews, "default": 0}
    if name == "assignments":
        return {"type": "assignments", "crews": crew_names(sc), "default": []}
    return {}
