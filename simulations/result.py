"""The result of a run: KPIs with 95% confidence intervals, time series, score, records."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .decisions import Decisions, decision_specs
from .kpis import kpi_info
from .scenario import Scenario
from .scoring import score
from .stats import mean, mean_ci


@dataclass(frozen=True)
class KPI:
    mean: float | None
    ci95: list[float] | None  # None with fewer than two replications
    values: list[float | None]  # one per replication

    def to_dict(self) -> dict:
        return {"mean": self.mean, "ci95": self.ci95}


@dataclass
class Result:
    scenario: Scenario
    decisions: Decisions
    seed: int
    replications: int
    kpis: dict[str, KPI]
    score: float
    score_breakdown: list[dict]
    series: dict[str, Any]  # interval_min (a number), then one list per series
    extra: dict = field(default_factory=dict)
    records: list[dict] | None = None
    rejected: list[dict] = field(default_factory=list)
    # The score of each replication (day) alone, and a 95% interval on the score from the
    # spread between days (None with one day).
    score_values: list[float] = field(default_factory=list)
    score_ci95: list[float] | None = None

    @classmethod
    def build(
        cls,
        sc: Scenario,
        dec: Decisions,
        seed: int,
        outputs: list[dict],
        rejected: list[dict] | None = None,
    ) -> Result:
        info = _kpi_info(sc)
        kpis = {}
        for name in outputs[0]["kpis"]:
            values = [out["kpis"][name] for out in outputs]
            m, ci = mean_ci(values)
            if ci is not None:  # keep the interval inside the KPI's possible range
                top = {"share": 1.0, "0-100": 100.0}.get(info[name]["unit"], math.inf)
                ci = [max(0.0, ci[0]), min(top, ci[1])]
            kpis[name] = KPI(m, ci, values)
        total, breakdown = score(sc, {name: k.mean for name, k in kpis.items()})
        per_day = [score(sc, out["kpis"])[0] for out in outputs]
        _m, spread = mean_ci(list(per_day))
        band = None
        if spread is not None:
            half = (spread[1] - spread[0]) / 2
            band = [max(0.0, round(total - half, 1)), min(100.0, round(total + half, 1))]
        return cls(
            scenario=sc,
            decisions=dec,
            seed=seed,
            replications=len(outputs),
            kpis=kpis,
            score=total,
            score_breakdown=breakdown,
            series=_series(sc, outputs),
            extra=outputs[0]["extra"],
            records=outputs[0].get("records"),
            rejected=rejected or [],
            score_values=per_day,
            score_ci95=band,
        )

    def kpi_means(self) -> dict[str, float | None]:
        return {name: k.mean for name, k in self.kpis.items()}

    def to_dict(self) -> dict:
        sc = self.scenario
        out = {
            "scenario": sc.id,
            "name": sc.title.model_dump(),
            "kind": sc.kind,
            "replications": self.replications,
            "seed": self.seed,
            "kpis": {name: k.to_dict() for name, k in self.kpis.items()},
            "score": self.score,
            "score_ci95": self.score_ci95,
            "score_breakdown": self.score_breakdown,
            "series": self.series,
            "decisions": self.decisions.to_dict(),
            "decision_bounds": decision_specs(sc),
            "kpi_info": _kpi_info(sc),
        }
        out.update(self.extra)
        if self.rejected:
            out["rejected_decisions"] = self.rejected
        if self.records is not None:
            out["records"] = self.records
        return out


def _kpi_info(sc: Scenario) -> dict:
    if sc.kind == "dispatch":
        return kpi_info(sc.kind, zones=sc.zone_ids)
    return kpi_info(sc.kind, priority=sc.priority is not None)


def _series(sc: Scenario, outputs: list[dict]) -> dict[str, Any]:
    """Per-interval series averaged over replications, with times and clock labels."""
    step = sc.interval_min
    first = outputs[0]["series"]
    n = len(next(iter(first.values())))
    starts = [step * i for i in range(n)]
    out: dict[str, Any] = {
        "interval_min": step,
        "t_min": starts,
        "clock": [clock(sc.start_clock, t) for t in starts],
    }
    for name in first:
        columns = zip(*(o["series"][name] for o in outputs), strict=True)
        out[name] = [mean([v for v in col if v is not None]) for col in columns]
    return out


def clock(start: str, minutes: float) -> str:
    """Wall-clock label ``HH:MM`` of ``minutes`` after the opening time (``+1d`` past midnight)."""
    h, m = (int(x) for x in start.split(":"))
    total = h * 60 + m + math.floor(minutes + 1e-9)
    days, rest = divmod(total, 1440)
    label = f"{rest // 60:02d}:{rest % 60:02d}"
    return label if days == 0 else f"{label} +{days}d"
