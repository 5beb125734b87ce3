"""Score 0-100 of a run against the scenario's targets and budget, with the breakdown.

Rules that make the score a fair measure:

- a target on a wait or arrival-time KPI is scored on the version of that KPI that counts
  everyone (``SCORED_AS``): a customer who walks out, is turned away or is still waiting at
  closing counts as a miss, and a ticket never reached counts with the time it had waited by
  the end of the run (censored at the horizon) once it is past its commitment;
- a target without data (no remote ticket at all in a short night) is a miss, unless the
  scenario marks it ``if_no_data: not_applicable``; it never silently drops out;
- the budget binds: over it, the whole score is multiplied by a factor falling from 1 at the
  budget to 0 at its ``zero_at``, whatever the weights of the targets.
"""

from __future__ import annotations

from .kpis import scored_as
from .scenario import Scenario, Target


def target_points(target: Target, value: float | None) -> float | None:
    """1 when the target is met, falling linearly to 0 at ``target.zero``. Without data: 0 (a
    miss), or None when the scenario says the target does not apply then."""
    if value is None:
        return None if target.if_no_data == "not_applicable" else 0.0
    if target.max is not None:
        if value <= target.max:
            return 1.0
        return max(0.0, (target.zero - value) / (target.zero - target.max))
    low = target.bound  # the min, as max is None
    if value >= low:
        return 1.0
    return max(0.0, (value - target.zero) / (low - target.zero))


def score(sc: Scenario, kpi_means: dict[str, float | None]) -> tuple[float, list[dict]]:
    """The score and one breakdown row per target (then one for the budget, if any)."""
    targets = sc.targets or sc.default_targets()
    breakdown = []
    total = weights = 0.0
    for name, target in targets.items():
        scored = scored_as(name)
        value = kpi_means.get(scored)
        points = target_points(target, value)
        if points is not None:
            total += points * target.weight
            weights += target.weight
        goal = {"max": target.max} if target.max is not None else {"min": target.min}
        row = {
            "kpi": name,
            "target": goal,
            "zero_at": target.zero,
            "value": value,
            "met": None if points is None else points == 1.0,
            "points": None if points is None else round(100 * points, 1),
            "weight": target.weight,
        }
        if scored != name:
            row["scored_on"] = scored
        if value is None:
            row["no_data"] = target.if_no_data
        breakdown.append(row)
    result = 100 * total / weights if weights else 0.0
    budget = sc.budget
    if budget is not None:
        value = kpi_means.get(budget.kpi)
        factor = budget.factor(value)
        result *= factor
        breakdown.append(
            {
                "kpi": budget.kpi,
                "budget": True,
                "target": {"max": budget.max},
                "zero_at": budget.zero,
                "value": value,
                "met": factor == 1.0,
                "points": round(100 * factor, 1),
                "weight": None,
                "factor": factor,
            }
        )
    return round(result, 1), breakdown
