"""Requirement kind "scenario": an assessment-mode run of the scenario scoring at least the
mark (the requirement's `min_score`, else the default pass score). Practice-mode runs never
count."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.core.clock import as_utc
from lms.core.requirements import Key, Kind, Outcome, Requirement, register
from lms.extensions import db
from lms.practice.models import Scenario, SimulationRun

DEFAULT_PASS_SCORE = 70.0


def _outcome(req: Requirement, best: SimulationRun | None) -> Outcome:
    mark = req.min_score if req.min_score is not None else DEFAULT_PASS_SCORE
    if best is None:
        return Outcome(False, _l("scenario %(s)s: no assessment run", s=req.ref))
    score = best.score or 0
    if score < mark:
        return Outcome(False, _l("scenario %(s)s: best score %(b)g < %(m)g", s=req.ref,
                                 b=score, m=mark), score=score, started=True)
    return Outcome(True, _l("scenario %(s)s: %(b)g ≥ %(m)g", s=req.ref, b=score, m=mark),
                   {"scenario": req.ref, "run": best.public_id, "score": best.score,
                    "finished_at": as_utc(best.finished_at).isoformat()
                    if best.finished_at else None}, score=score, started=True)


def _scored(user_ids: list[int], codes: set[str], since: datetime | None):
    stmt = select(SimulationRun).join(Scenario).where(
        SimulationRun.user_id.in_(user_ids), Scenario.code.in_(codes),
        SimulationRun.mode == "assessment", SimulationRun.status == "finished",
        SimulationRun.score.is_not(None))
    if since is not None:
        stmt = stmt.where(SimulationRun.finished_at >= since)
    return stmt


class ScenarioKind(Kind):
    name = "scenario"
    label = _l("Practice score (assessment mode)")

    def exists(self, ref: str) -> bool:
        return db.session.scalar(select(Scenario.id).where(Scenario.code == ref)) is not None

    def check(self, user_id: int, req: Requirement, since: datetime | None = None) -> Outcome:
        best = db.session.scalar(_scored([user_id], {req.ref}, since).order_by(
            SimulationRun.score.desc(), SimulationRun.finished_at).limit(1))
        return _outcome(req, best)

    def check_many(self, user_ids: list[int], reqs: list[Requirement],
                   since: datetime | None = None) -> dict[Key, Outcome]:
        ranked = _scored(user_ids, {r.ref for r in reqs}, since).with_only_columns(
            SimulationRun.id, func.row_number().over(
                partition_by=(SimulationRun.user_id, SimulationRun.scenario_id),
                order_by=(SimulationRun.score.desc(), SimulationRun.finished_at)
            ).label("rank")).subquery()
        best: dict[tuple[int, str], SimulationRun] = {}
        for run, code in db.session.execute(
                select(SimulationRun, Scenario.code).join(Scenario)
                .join(ranked, ranked.c.id == SimulationRun.id).where(ranked.c.rank == 1)):
            best[(run.user_id, code)] = run
        return {(uid, req): _outcome(req, best.get((uid, req.ref)))
                for uid in user_ids for req in reqs}


register(ScenarioKind())
