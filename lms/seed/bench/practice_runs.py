"""Simulation runs of the bench data: the built-in scenarios run once each (their trimmed
results reused as the stored results of generated runs), assessment runs for courses'
practice items, and practice-mode runs."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from lms.core.db import new_public_id
from lms.extensions import db
from lms.seed.bench.plan import Person
from lms.seed.bench.state import BenchState


def _decision_sets(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The defaults, and the numeric decisions half-way and all the way to their maximum:
    enough spread to find runs that pass and runs that fail each scenario."""
    out: list[dict[str, Any]] = [{}]
    for share in (0.5, 1.0):
        decisions: dict[str, Any] = {}
        for spec in specs:
            kind, name = spec.get("type"), spec["name"]

            def towards(default, top, share=share):
                return type(default)(default + (top - default) * share)

            if kind in ("integer", "number") and "max" in spec:
                decisions[name] = towards(spec["default"], spec["max"])
            elif kind == "counts":
                decisions[name] = {g["id"]: towards(g["default"], g["max"])
                                   for g in spec["groups"]}
            elif kind == "per_hour_counts":
                decisions[name] = {g["id"]: [towards(v, g["max"]) for v in g["default"]]
                                   for g in spec["groups"]}
        out.append(decisions)
    return out


class PracticeSteps(BenchState):
    """Simulation scenarios and the runs drawn from them."""

    def _scenarios(self) -> None:
        """Import the built-in scenarios and run each once, to reuse its (trimmed) result as
        the stored result of the generated runs (seeded runs are reproducible from it)."""
        try:
            from lms.practice.runs import trim
            from lms.practice.scenarios import engine, import_builtins

            import_builtins()
            import simulations
            from lms.practice.models import Scenario

            for scenario in db.session.scalars(select(Scenario).order_by(Scenario.code)):
                sc = engine(scenario)
                found = []
                for decisions in _decision_sets(simulations.decision_specs(sc)):
                    for seed in (11, 22, 33):
                        try:
                            result = simulations.run(sc, decisions, seed, 5,
                                                     records=sc.kind == "dispatch")
                        except simulations.DecisionError:
                            break
                        found.append({
                            "scenario_id": scenario.id, "code": scenario.code,
                            "kind": scenario.kind, "seed": seed, "yaml": scenario.yaml,
                            "horizon": float(sc.horizon_min), "replications": 5,
                            "result": trim(result), "score": float(result.score),
                            "kpis": {k: v.mean for k, v in result.kpis.items()},
                            "decisions": decisions})
                self.sim_templates.extend(found)
        except Exception as e:  # noqa: BLE001 - practice is optional here; say why it is skipped
            db.session.rollback()
            self.practice = False
            self.sim_templates = []
            self.counts["simulation runs skipped"] = 1
            self.skip_reason = f"{type(e).__name__}: {e}"
            return
        db.session.commit()
        self.counts["scenarios"] += len({t["scenario_id"] for t in self.sim_templates})
        self.sim_by_code = defaultdict(list)
        for t in self.sim_templates:
            self.sim_by_code[t["code"]].append(t)

    def _sim(self, code: str, mark: float, passing: bool) -> list[dict[str, Any]]:
        return [t for t in self.sim_by_code.get(code, []) if (t["score"] >= mark) == passing]

    def _run_row(self, p: Person, t: dict[str, Any], mode: str, number: int | None,
                 at: datetime) -> dict[str, Any]:
        return {"public_id": new_public_id(), "user_id": p.id, "scenario_id": t["scenario_id"],
                "mode": mode, "attempt_no": number, "interactive": False, "seed": t["seed"],
                "replications": t["replications"], "decisions": t["decisions"], "log": [],
                "clock_min": t["horizon"], "scenario_yaml": t["yaml"], "status": "finished",
                "result": t["result"], "score": t["score"], "kpis": t["kpis"], "findings": [],
                "version": 1, "created_at": at - timedelta(minutes=3), "finished_at": at}

    def _drills(self, p: Person, drills: list[tuple[str, float, bool]], passed: bool,
                t: datetime, rows: dict[str, list[dict]], run_no: dict[int, int],
                rng: random.Random) -> datetime | None:
        """A course's practice items: a passed course has an assessment run at or above the
        pass score for each required item (sometimes after a failed one); an open course has
        at most failed ones. Returns when the last required item was passed."""
        last = t
        for ref, mark, required in drills:
            fail, good = self._sim(ref, mark, False), self._sim(ref, mark, True)
            plan: list[dict[str, Any]] = []
            if fail and rng.random() < 0.3:
                plan.append(rng.choice(fail))
            if passed and required and good:
                plan.append(rng.choice(good))
            elif passed and not required and rng.random() < 0.4 and (good or fail):
                plan.append(rng.choice(good or fail))
            for tmpl in plan:
                if run_no[tmpl["scenario_id"]] >= 3:
                    break
                run_no[tmpl["scenario_id"]] += 1
                last = self._at(last, rng, 0.01, 3)
                rows["runs"].append(self._run_row(p, tmpl, "assessment",
                                                  run_no[tmpl["scenario_id"]], last))
        return last if passed else None

    def _runs(self, p: Person, rows: dict[str, list[dict]], rng: random.Random) -> None:
        """Practice-mode runs (they count towards no course or certification)."""
        kind = {"counter_clerk": "service_counter", "dispatcher": "dispatch"}.get(p.role or "")
        if kind is None and rng.random() > 0.15:
            return
        templates = [t for t in self.sim_templates if kind is None or t["kind"] == kind]
        for _i in range(rng.randint(1, 4)):
            at = self.now - timedelta(days=rng.uniform(1, 400))
            rows["runs"].append(self._run_row(p, rng.choice(templates), "practice", None, at))
