"""Numbers about practice runs: statistics for trainers, run counts, and the learner's own
standings and history."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from lms.catalog.models import Course, CourseRequirement
from lms.extensions import db
from lms.people.models import User
from lms.practice.attempts import assessment_rules
from lms.practice.debrief import FINDINGS
from lms.practice.models import Scenario, SimulationRun
from lms.practice.scenarios import engine
from lms.practice.situation import kpi_info
from lms.practice.wording import pick


@dataclass
class ScenarioStats:
    mode: str
    runs: int
    learners: int
    mean_score: float | None
    pass_score: float
    pass_rate: float | None
    histogram: list[int]
    mistakes: list[tuple[str, int, float]]  # (description, runs, share)
    missed: list[tuple[str, int, float]]  # (KPI label, runs, share)


def stats(scenario: Scenario, mode: str = "assessment") -> ScenarioStats:
    rows = db.session.execute(select(SimulationRun.user_id, SimulationRun.score,
                                     SimulationRun.findings).where(
        SimulationRun.scenario_id == scenario.id, SimulationRun.mode == mode,
        SimulationRun.status == "finished")).all()
    rules = assessment_rules(scenario)
    histogram = [0] * 10
    mistakes: Counter = Counter()
    missed: Counter = Counter()
    scores = []
    for _uid, score, found in rows:
        s = float(score or 0)
        scores.append(s)
        histogram[min(9, int(s // 10))] += 1
        codes = set()
        for f in found or []:
            if f.get("code") == "missed_target":
                missed[f["kpi"]] += 1
            elif f.get("code") not in codes:
                codes.add(f["code"])
                mistakes[f["code"]] += 1
    n = len(rows)
    info = kpi_info(engine(scenario))
    return ScenarioStats(
        mode=mode, runs=n, learners=len({r[0] for r in rows}),
        mean_score=(sum(scores) / n) if n else None, pass_score=rules.pass_score,
        pass_rate=(sum(1 for s in scores if s >= rules.pass_score) / n) if n else None,
        histogram=histogram,
        mistakes=[(str(FINDINGS.get(code, code)), k, k / n) for code, k in
                  mistakes.most_common()],
        missed=[(pick(info.get(kpi, {}).get("label")) or kpi, k, k / n)
                for kpi, k in missed.most_common()])


def run_counts() -> dict[int, tuple[int, int]]:
    """scenario id → (practice runs, assessment runs), for the trainer's list."""
    out: dict[int, list[int]] = {}
    for sid, mode, n in db.session.execute(select(
            SimulationRun.scenario_id, SimulationRun.mode, func.count(SimulationRun.id))
            .group_by(SimulationRun.scenario_id, SimulationRun.mode)):
        out.setdefault(sid, [0, 0])[0 if mode == "practice" else 1] += n
    return {k: (v[0], v[1]) for k, v in out.items()}


def history(user: User, scenario: Scenario | None = None, limit: int = 500
            ) -> list[SimulationRun]:
    stmt = select(SimulationRun).where(SimulationRun.user_id == user.id)
    if scenario is not None:
        stmt = stmt.where(SimulationRun.scenario_id == scenario.id)
    return list(db.session.scalars(stmt.order_by(SimulationRun.created_at.desc(),
                                                 SimulationRun.id.desc()).limit(limit)))


@dataclass
class MyStanding:
    best_practice: float | None
    best_assessment: float | None
    attempts: int
    open_run: SimulationRun | None


def standings(user: User) -> dict[int, MyStanding]:
    """scenario id → the learner's best scores and attempts, in two queries."""
    rows = db.session.execute(select(
        SimulationRun.scenario_id, SimulationRun.mode, func.max(SimulationRun.score),
        func.count(SimulationRun.id)).where(SimulationRun.user_id == user.id)
        .group_by(SimulationRun.scenario_id, SimulationRun.mode)).all()
    out: dict[int, MyStanding] = {}
    for sid, mode, best, count in rows:
        s = out.setdefault(sid, MyStanding(None, None, 0, None))
        if mode == "assessment":
            s.best_assessment, s.attempts = best, count
        else:
            s.best_practice = best
    for run in db.session.scalars(select(SimulationRun).where(
            SimulationRun.user_id == user.id, SimulationRun.status == "open")):
        s = out.setdefault(run.scenario_id, MyStanding(None, None, 0, None))
        if s.open_run is None or run.mode == "assessment":
            s.open_run = run
    return out


def attached_courses() -> dict[str, list[tuple[str, float | None, bool]]]:
    """scenario code → [(course code, pass score, required)] for the scenario list."""
    out: dict[str, list[tuple[str, float | None, bool]]] = {}
    for code, ref, score, required in db.session.execute(select(
            Course.code, CourseRequirement.ref, CourseRequirement.pass_score,
            CourseRequirement.required).join(CourseRequirement,
                                             CourseRequirement.course_id == Course.id)
            .where(CourseRequirement.kind == "scenario").order_by(Course.code)):
        out.setdefault(ref, []).append((code, score, required))
    return out
