"""Practice runs: whole-day and step-through, scored, saved, and what follows a scored run.

Rules that make practice scores trustworthy:
- every score is computed here from the engine's result; nothing a request sends is taken
  as a score;
- the seed and the attempt number come from `lms.practice.attempts`; a unique constraint
  stops two concurrent starts from both taking the last attempt;
- a run is reproducible from what it stores (the scenario snapshot, decisions, seed and the
  step-through log), so an open step-through run survives a restart and a finished one can
  be replayed decision by decision (`lms.practice.replay`);
- the work done inside one request is bounded (``ENTITY_BUDGET``): replications are chosen
  so a run answers in well under a second (variants are capped in size too).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

import simulations
from lms.catalog.learning_models import Enrollment
from lms.catalog.models import Course, CourseRequirement
from lms.core import events
from lms.core.clock import now
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User
from lms.practice.assessment_days import assessment_seed, reference_on_same_days
from lms.practice.attempts import (
    AssessmentRules,
    allowance,
    attempts_used,
    check_can_run,
    new_seed,
)
from lms.practice.debrief import findings
from lms.practice.decisions import check_decisions, explain
from lms.practice.models import Scenario, SimulationRun
from lms.practice.scenarios import engine
from simulations import DecisionError, Session
from simulations.advice import advise

# Expected arrivals (customers or tickets) simulated for one request, over all replications.
ENTITY_BUDGET = 30_000
MIN_REPLICATIONS, MAX_REPLICATIONS = 5, 30
MAX_LOG = 5_000  # step-through actions in one run
MAX_TICKET_POINTS = 3_000
MAX_ADVICE = 3  # suggestions kept with a run, best first


def replications_for(sc) -> int:
    expected = max(1.0, sc.expected_entities())
    return max(MIN_REPLICATIONS, min(MAX_REPLICATIONS, int(ENTITY_BUDGET // expected)))


def trim(result, tickets: list[dict] | None = None) -> dict:
    """What the result pages need from an engine result (no per-replication values)."""
    d = result.to_dict()
    out = {k: d[k] for k in ("scenario", "name", "kind", "replications", "seed", "kpis",
                             "score", "score_ci95", "score_breakdown", "series", "decisions",
                             "kpi_info")}
    if "zones" in d:
        out["zones"] = d["zones"]
    if d.get("rejected_decisions"):
        out["rejected_decisions"] = d["rejected_decisions"][:100]
    if tickets is not None:
        out["tickets"] = tickets[:MAX_TICKET_POINTS]
    return out


def ticket_points(records: list[dict] | None) -> list[dict] | None:
    if records is None:
        return None
    return [{"id": r["id"], "zone": r["zone"], "priority": r["priority"],
             "created": r["created_min"], "arrival": r["arrival_min"],
             "within": r["within_commitment"], "crew": r["crew"]} for r in records]


def _score(run: SimulationRun, result, sc, effective: dict, log: list[dict]) -> None:
    run.result = trim(result, ticket_points(result.records) if sc.kind == "dispatch" else None)
    run.score = float(result.score)
    run.kpis = {name: k.mean for name, k in result.kpis.items()}
    run.findings = findings(sc, effective, log, result)
    run.status = "finished"
    run.finished_at = now()


def _after_commit(run: SimulationRun) -> None:
    """Course completion and certifications react to a scored assessment run."""
    if run.status != "finished":
        return
    events.stage("practice_finished", user_id=run.user_id, run=run)  # every run: xAPI record
    if run.mode != "assessment":
        db.session.commit()
        return
    from lms.catalog.progress import refresh_completion

    course_ids = db.session.scalars(select(CourseRequirement.course_id).where(
        CourseRequirement.kind == "scenario", CourseRequirement.ref == run.scenario.code))
    ids = list(course_ids)
    if ids:
        for course in list(db.session.scalars(select(Course).join(
                Enrollment, Enrollment.course_id == Course.id).where(
                Course.id.in_(ids), Enrollment.user_id == run.user_id,
                Enrollment.completed_at.is_(None)))):
            refresh_completion(run.user_id, course)
    events.stage("practice_scored", user_id=run.user_id, run=run)
    db.session.commit()


def _save_new(run: SimulationRun, user: User, scenario: Scenario,
              rules: AssessmentRules | None) -> SimulationRun:
    """Insert the run; an assessment takes the next attempt number (unique per learner)."""
    for _try in range(3):
        if run.mode == "assessment":
            if rules:
                current, limit = allowance(user.id, scenario, rules)
                if limit and current >= limit:
                    raise ServiceError(_l("You have used all %(n)d assessment attempts for "
                                          "this scenario.", n=limit))
            run.attempt_no = attempts_used(user.id, scenario) + 1
        db.session.add(run)
        try:
            db.session.commit()
            return run
        except IntegrityError:
            db.session.rollback()  # another tab took this attempt number a moment ago
            if run.mode != "assessment":
                raise
    raise ServiceError(_l("Please try again."))


def run_whole_day(user: User, scenario: Scenario, decisions: dict, *, mode: str = "practice",
                  seed: int | None = None) -> SimulationRun:
    """Run the whole day with the learner's plan; scored, stored and finished at once."""
    rules = check_can_run(user, scenario, mode)
    sc = engine(scenario)
    check_decisions(sc, decisions, whole_day=True)
    # An assessment is scored on the scenario's fixed, hidden days, the same for everyone.
    seed = assessment_seed(scenario) if mode == "assessment" else new_seed(mode, seed)
    reps = replications_for(sc)
    try:
        result = simulations.run(sc, decisions, seed, reps, records=sc.kind == "dispatch")
    except DecisionError as e:
        raise ServiceError(explain(e.message, sc), field=e.path) from None
    run = SimulationRun(user_id=user.id, scenario_id=scenario.id, mode=mode, seed=seed,
                        replications=reps, decisions=decisions, log=[], interactive=False,
                        scenario_yaml=scenario.yaml, clock_min=sc.horizon_min)
    _score(run, result, sc, result.decisions.to_dict(), [])
    extra: dict = {"advice": advise(sc, decisions, seed, reps, max_days=reps)[:MAX_ADVICE]}
    if mode == "assessment":
        extra["reference"] = reference_on_same_days(sc, seed, reps)
    run.result = {**(run.result or {}), **extra}
    run = _save_new(run, user, scenario, rules)
    _after_commit(run)
    return run


def load_session(run: SimulationRun) -> Session:
    """Rebuild the engine state of a run from its scenario snapshot, seed and log."""
    sc = engine(run.scenario_yaml)
    try:
        session = Session.replay(sc, run.log or [], run.decisions or None, run.seed)
        if run.clock_min > session.now:
            session.run_until(min(run.clock_min, session.horizon))
    except DecisionError as e:
        raise ServiceError(_l("This run cannot be rebuilt (%(e)s).", e=str(e))) from None
    return session


def manual_dispatch(session: Session) -> bool:
    return session.scenario.kind == "dispatch" and getattr(session.model, "policy", "") == \
        "manual"


def _waiting_situation(session: Session) -> tuple[set[str], set[str]]:
    state = session.state(limit=1000)
    idle = {c["id"] for c in state.get("crews", []) if c["state"] == "idle"}
    return {t["id"] for t in state["waiting"]}, idle


def next_stop(session: Session) -> float:
    """The next full hour of the shift (the regular decision point)."""
    return min(session.horizon, (math.floor(session.now / 60 + 1e-9) + 1) * 60.0)


def advance(session: Session) -> None:
    """Run to the next decision point: the next full hour, or — under manual dispatch — the
    first minute a ticket waits while a crew is idle and that situation is new."""
    target = next_stop(session)
    if not manual_dispatch(session):
        session.run_until(target)
        return
    seen_waiting, seen_idle = _waiting_situation(session)
    t = session.now
    while t < target:
        t = min(target, math.floor(t + 1e-9) + 1.0)
        session.run_until(t)
        waiting, idle = _waiting_situation(session)
        if waiting and idle and (waiting - seen_waiting or idle - seen_idle):
            return
        seen_waiting &= waiting
        seen_idle &= idle


def start_step_through(user: User, scenario: Scenario, decisions: dict, *,
                       mode: str = "practice", seed: int | None = None) -> SimulationRun:
    """Open a step-through run (one replication) paused at its first decision point.
    Practice only: one simulated day is too much luck to assess on, and decisions taken while
    watching one day cannot be replayed on other days."""
    if mode == "assessment":
        raise ServiceError(_l("Assessments score a whole-day plan over a fixed set of days: "
                              "choose “Run the assessment”. Step through the day in practice "
                              "mode."))
    rules = check_can_run(user, scenario, mode)
    sc = engine(scenario)
    check_decisions(sc, decisions, whole_day=False)
    seed = new_seed(mode, seed)
    run = SimulationRun(user_id=user.id, scenario_id=scenario.id, mode=mode, seed=seed,
                        replications=1, decisions=decisions, log=[], interactive=True,
                        scenario_yaml=scenario.yaml, status="open")
    session = Session(sc, decisions, seed)
    advance(session)
    run.clock_min = session.now
    return _save_new(run, user, scenario, rules)


def run_for(user: User, public_id: str) -> SimulationRun | None:
    """The run with this id if it is the user's own (anyone else gets None → 404)."""
    return db.session.scalar(select(SimulationRun).where(SimulationRun.public_id == public_id,
                                                         SimulationRun.user_id == user.id))


@dataclass
class StepAction:
    action: str
    params: dict
    field: str  # the form field it came from, for error messages


def _effective(sc, run: SimulationRun, session: Session, decisions: dict) -> dict:
    """The decisions as they stood at the end of a step-through run (for the findings)."""
    full = simulations.validate_decisions(sc, run.decisions or None).to_dict()
    state = session.state(limit=0)
    if sc.kind == "service_counter":
        full["counters_open"] = state["counters_open"]
        if state.get("kiosk_share") is not None:
            full["kiosk_share"] = state["kiosk_share"]
        full["diversion_campaign"] = state["diversion_campaign"]
    else:
        for entry in run.log:
            if entry["action"] == "set_crews":
                full["crews_on_shift"][entry["group"]] = entry["count"]
            elif entry["action"] == "set_policy":
                full["dispatch_policy"] = entry["policy"]
            elif entry["action"] == "set_standby":
                full["surge_extra_crews"] = entry["count"]
        full["assignments"] = [e for e in run.log if e["action"] == "assign"]
    return full


def step(user: User, run: SimulationRun, actions: list[StepAction], go: str,
         version: int) -> SimulationRun:
    """Apply the learner's actions now, then stay, continue to the next decision point or
    run to the end. Either every action applies or none (the log is only saved whole)."""
    if run.user_id != user.id:
        raise ServiceError(_l("This run is not yours."))
    if run.status != "open" or not run.interactive:
        raise ServiceError(_l("This run has finished."))
    if version != run.version:
        raise ServiceError(_l("This run has moved on in another window. The page now shows "
                              "where it stands."))
    if go not in ("apply", "continue", "finish"):
        raise ServiceError(_l("Unknown step."))
    session = load_session(run)
    if len(session.log) + len(actions) > MAX_LOG:
        raise ServiceError(_l("Too many actions in one run."))
    for a in actions:
        try:
            session.apply(a.action, **a.params)
        except DecisionError as e:
            raise ServiceError(explain(e.message, session.scenario), field=a.field) from None
    if go == "continue":
        advance(session)
    elif go == "finish":
        session.run_until(session.horizon)
    run.log = [dict(e) for e in session.log]
    run.clock_min = session.now
    if session.now >= session.horizon:
        sc = engine(run.scenario_yaml)
        effective = _effective(sc, run, session, run.decisions)
        result = session.finish(records=sc.kind == "dispatch")
        _score(run, result, sc, effective, run.log)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ServiceError(_l("This run has moved on in another window. The page now shows "
                              "where it stands.")) from None
    _after_commit(run)
    return run
