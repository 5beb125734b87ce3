"""Named plans of a scenario: the reference plan (written in the scenario file), every resource
at its maximum all day, and a plan that starves demand (half the reference's resources).

They are decisions mappings as ``run`` takes them, limited to the decisions the scenario
lets the trainee change. Tests use them to show that the budget binds and the targets bite;
assessments score the reference plan on the same days as the trainee's.
"""

from __future__ import annotations

from typing import Any

from .catalogue import allowed
from .decisions import validate_decisions
from .errors import DecisionError, ScenarioError
from .scenario import Scenario
from .scenario_checks import LATE_CHECKS


def reference_plan(sc: Scenario) -> dict[str, Any]:
    """The scenario's reference plan (the starting decisions if the file has none)."""
    if sc.reference is not None:
        return dict(sc.reference.decisions)
    return {}


def maximum_plan(sc: Scenario) -> dict[str, Any]:
    """Every resource the trainee controls at its maximum all day."""
    ok = allowed(sc)
    plan: dict[str, Any] = {}
    if sc.kind == "service_counter":
        if "counters_open" in ok:
            plan["counters_open"] = {g.id: g.limit for g in sc.counters}
        if "kiosk_share" in ok and sc.kiosks is not None:
            plan["kiosk_share"] = sc.kiosks.share_limit
        if "diversion_campaign" in ok:
            plan["diversion_campaign"] = True
    else:
        if "crews_on_shift" in ok:
            plan["crews_on_shift"] = {g.id: g.limit for g in sc.crews}
        if "surge_extra_crews" in ok and sc.storm is not None and sc.storm.standby is not None:
            plan["surge_extra_crews"] = sc.storm.standby.max_crews
    return plan


def starved_plan(sc: Scenario) -> dict[str, Any]:
    """Half the reference plan's counters or crews (rounded down), hour by hour; no standby
    crews and no campaign. Everything else as in the reference plan."""
    full = validate_decisions(sc, reference_plan(sc)).to_dict()
    ok = allowed(sc)
    plan = {k: v for k, v in reference_plan(sc).items() if k in ok}
    if sc.kind == "service_counter":
        if "counters_open" in ok:
            plan["counters_open"] = {
                g: [n // 2 for n in hours] for g, hours in full["counters_open"].items()
            }
        if "diversion_campaign" in ok:
            plan["diversion_campaign"] = False
    else:
        if "crews_on_shift" in ok:
            plan["crews_on_shift"] = {g: n // 2 for g, n in full["crews_on_shift"].items()}
        if "surge_extra_crews" in ok:
            plan["surge_extra_crews"] = 0
    return plan


def _check_reference(sc: Scenario) -> None:
    """Scenario-time check: the reference plan written in the file is a valid plan."""
    if sc.reference is None:
        return
    try:
        validate_decisions(sc, sc.reference.decisions)
    except DecisionError as exc:
        where = f"reference.decisions.{exc.path}" if exc.path else "reference.decisions"
        raise ScenarioError(where, exc.message) from None


LATE_CHECKS.append(_check_reference)
