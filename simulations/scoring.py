"""Score 0-100 of a run against the scenario's targets, with the breakdown per target."""

from __future__ import annotations

from .scenario import Scenario, Target


def target_points(target: Target, value: float | None) -> float | None:
    """1 when the target is met, falling linearly to 0 at ``target.zero``; None without data
    (e.g. no remote ticket at all in a short night), and such targets do not count."""
    if value is None:
        return None
    if target.max is not None:
        if value <= target.max:
            return 1.0
        return max(0.0, (target.zero - value) / (target.zero - target.max))
    low = target.bound  # the min, as max is None
    if value >= low:
        return 1.0
    return max(0.0, (value - target.zero) / (low - target.zero))


def score(sc: Scenario, kpi_means: dict[str, float | None]) -> tuple[float, list[dict]]:
    targets = sc.targets or sc.default_targets()
    breakdown = []
    total = weights = 0.0
    for name, target in targets.items():
        value = kpi_means.get(name)
        points = target_points(target, value)
        if points is not None:
            total += points * target.weight
            weights += target.weight
        goal = {"max": target.max} if target.max is not None else {"min": target.min}
        breakdown.append(
            {
                "kpi": name,
                "target": goal,
                "zero_at": target.zero,
                "value": value,
                "met": None if points is None else points == 1.0,
                "points": None if points is None else round(100 * points, 1),
                "weight": target.weight,
            }
        )
    return (round(100 * total / weights, 1) if weights else 0.0), breakdown
