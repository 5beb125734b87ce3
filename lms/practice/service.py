"""Practice drills: stored scenarios, whole-day and step-through runs, scoring, statistics,
trainer variants — the rules, with no request in sight.

Rules that make practice scores trustworthy:
- every score is computed here from the engine's result; nothing a request sends is taken
  as a score;
- an assessment run's seed is drawn here (``secrets``) when the attempt starts, stored with
  the run and never shown before the run is finished; attempts are numbered per learner and
  scenario and a unique constraint stops two concurrent starts from both taking the last one;
- a run is reproducible from what it stores (the scenario snapshot, decisions, seed and the
  step-through log), so an open step-through run survives a restart and a finished one can
  be replayed decision by decision;
- the work done inside one request is bounded (``ENTITY_BUDGET``): replications are chosen
  so a run answers in well under a second, and variants are capped in size.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import yaml
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

import simulations
from lms.catalog.learning_models import Enrollment
from lms.catalog.models import Course, CourseRequirement
from lms.core import audit, events
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User
from lms.practice.kinds import DEFAULT_PASS_SCORE  # noqa: E402
from lms.practice.models import Scenario, SimulationRun
from simulations import DecisionError, ScenarioError, Session
from simulations.decisions import LABELS, POLICY_LABELS, allowed
from simulations.theory import MMc

DEFAULT_MAX_ATTEMPTS = 3
# Expected arrivals (customers or tickets) simulated for one request, over all replications.
ENTITY_BUDGET = 30_000
MIN_REPLICATIONS, MAX_REPLICATIONS = 5, 30
# A trainer's variant may expect at most this many arrivals in one day (keeps runs in-request).
MAX_VARIANT_ARRIVALS = 10_000
MAX_LOG = 5_000  # step-through actions in one run
MAX_SEED = 2**62
STATE_ROWS = 40  # waiting customers / tickets listed on a step page
MAX_TICKET_POINTS = 3_000


def now() -> datetime:
    return datetime.now(UTC)


def pick(text: dict | None) -> str:
    """The Chinese or English side of a ``{"zh", "en"}`` text, by the interface language."""
    if not text:
        return ""
    if str(get_locale() or "zh").startswith("en"):
        return text.get("en") or text.get("zh") or ""
    return text.get("zh") or text.get("en") or ""


def num(x: float) -> str:
    """A number as people write it: 15, 0.85, 2.5 (no trailing zeros)."""
    return f"{x:g}"


def clock(start: str, minutes: float) -> str:
    from simulations.result import clock as _clock

    return _clock(start, minutes)


# --- scenarios -------------------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def _parse(text: str):
    return simulations.load_scenario_text(text)


def engine(scenario_or_yaml: Scenario | str):
    """The engine's scenario object for a stored scenario (or YAML text), cached."""
    text = scenario_or_yaml if isinstance(scenario_or_yaml, str) else scenario_or_yaml.yaml
    try:
        return _parse(text)
    except ScenarioError as e:
        raise ServiceError(_l("This scenario cannot be loaded (%(e)s). Please tell your "
                              "trainer.", e=str(e))) from None


def scenario_by_code(code: str, active_only: bool = True) -> Scenario | None:
    stmt = select(Scenario).where(Scenario.code == code)
    if active_only:
        stmt = stmt.where(Scenario.active.is_(True))
    return db.session.scalar(stmt)


def scenarios(active_only: bool = True) -> list[Scenario]:
    stmt = select(Scenario).options(selectinload(Scenario.based_on)).order_by(
        Scenario.kind.desc(), Scenario.difficulty, Scenario.code)
    if active_only:
        stmt = stmt.where(Scenario.active.is_(True))
    return list(db.session.scalars(stmt))


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fill(row: Scenario, sc, text: str) -> None:
    row.kind = sc.kind
    row.name_zh, row.name_en = sc.title.zh[:200], sc.title.en[:200]
    desc = sc.description
    row.description_zh = desc.zh if desc else ""
    row.description_en = desc.en if desc else ""
    row.difficulty = sc.difficulty
    row.yaml, row.content_hash = text, _hash(text)


@dataclass
class ImportResult:
    code: str
    action: str  # created | updated | unchanged | failed
    message: str = ""


def _import_file(path) -> ImportResult:
    """Add or update one built-in scenario in the session (the caller commits)."""
    try:
        text = path.read_text(encoding="utf-8")
        sc = simulations.load_scenario_text(text, source=path.name)
    except (OSError, UnicodeDecodeError) as e:
        return ImportResult(path.stem, "failed", f"{path.name}: {e}")
    except ScenarioError as e:
        return ImportResult(path.stem, "failed", str(e))
    row = db.session.scalar(select(Scenario).where(Scenario.code == sc.id))
    if row is not None and row.source != "builtin":
        return ImportResult(sc.id, "failed", f"{path.name}: the id {sc.id} is used by a variant")
    if row is not None and row.content_hash == _hash(text):
        return ImportResult(sc.id, "unchanged")
    created = row is None
    if created:
        row = Scenario(code=sc.id, source="builtin")
        db.session.add(row)
    _fill(row, sc, text)
    audit.record("scenario_imported", target=row, result="created" if created else "updated")
    return ImportResult(sc.id, "created" if created else "updated")


def import_builtins(progress: Callable[[Iterable], Iterable] | None = None) -> list[ImportResult]:
    """Load or update the built-in scenarios of ``simulations/scenarios`` (idempotent, keyed by
    the scenario id). Each scenario commits on its own; a broken file changes nothing."""
    from simulations.scenario import BUILTIN_DIR

    results = []
    for path in (progress or (lambda x: x))(sorted(BUILTIN_DIR.glob("*.yaml"))):
        result = _import_file(path)
        if result.action in ("created", "updated"):
            db.session.commit()
        results.append(result)
    return results


def ensure_scenario(code: str) -> Scenario | None:
    """The stored scenario with this code; a missing built-in one is added to the session
    (not committed: the caller's transaction decides)."""
    row = db.session.scalar(select(Scenario).where(Scenario.code == code))
    if row is not None:
        return row
    try:
        path = simulations.builtin_scenarios().get(code)
    except ScenarioError:
        path = None
    if path is None or _import_file(path).action == "failed":
        return None
    db.session.flush()
    return db.session.scalar(select(Scenario).where(Scenario.code == code))


# --- the situation in plain language -----------------------------------------------------

@dataclass
class Situation:
    kind: str
    start: str
    end: str
    hours: int
    horizon_min: float
    hour_labels: list[str]
    demand: list[dict]  # [{"label": text, "values": [per hour]}]
    demand_total: float
    rows: list[tuple[str, str]]  # (what, value) facts
    resources: list[dict]
    targets: list[dict]
    decisions: list[str]
    extra: dict = field(default_factory=dict)


def _name(obj, fallback: str) -> str:
    name = getattr(obj, "name", None)
    return pick(name.model_dump()) if name is not None else fallback


def _hourly_dispatch(sc, zone) -> list[float]:
    out = [0.0] * sc.hours
    for start, end, rate in sc.zone_segments(zone):
        t = start
        while t < end - 1e-9:
            h = min(int(t // 60), sc.hours - 1)
            stop = min(end, 60.0 * (h + 1))
            out[h] += rate * (stop - t)
            t = stop
    return out


def target_rows(sc) -> list[dict]:
    info = kpi_info(sc)
    rows = []
    for name, target in (sc.targets or sc.default_targets()).items():
        meta = info.get(name, {"label": {"zh": name, "en": name}, "unit": ""})
        goal = ("max", target.max) if target.max is not None else ("min", target.min)
        rows.append({"kpi": name, "label": pick(meta["label"]), "unit": meta["unit"],
                     "op": goal[0], "value": goal[1], "zero_at": target.zero,
                     "weight": target.weight})
    return rows


def kpi_info(sc) -> dict:
    if sc.kind == "dispatch":
        return simulations.kpi_info(sc.kind, zones=sc.zone_ids)
    return simulations.kpi_info(sc.kind, priority=sc.priority is not None)


def situation(scenario: Scenario) -> Situation:
    sc = engine(scenario)
    labels = [clock(sc.start_clock, 60 * h) for h in range(sc.hours)]
    decisions = [pick({"zh": LABELS[n][0], "en": LABELS[n][1]}) for n in allowed(sc)]
    facts: list[tuple[str, str]] = []
    resources: list[dict] = []
    extra: dict = {}
    if sc.kind == "service_counter":
        rates = sc.arrivals.hourly_rates(sc.hours)
        demand = [{"label": str(_l("Customers per hour")), "values": rates}]
        total = sc.expected_entities()
        extra["types"] = [{
            "name": _name(t, t.id), "share": t.share,
            "mean_min": t.service_min.mean_value,
            "online": (sc.online.share.get(t.id, 0.0) if sc.online else 0.0),
        } for t in sc.service_types]
        facts.append((str(_l("Target wait")), str(_l("%(m)s min", m=num(sc.target_wait_min)))))
        if sc.patience_min is not None:
            facts.append((str(_l("Patience")), str(_l(
                "customers leave after about %(m)s min of waiting on average",
                m=num(sc.patience_min.mean_value)))))
        if sc.priority is not None:
            facts.append((str(_l("Priority customers")), str(_l(
                "%(p)s%% (%(n)s) are served first", p=num(100 * sc.priority.share),
                n=_name(sc.priority, "")))))
        if sc.max_waiting is not None:
            facts.append((str(_l("Hall capacity")), str(_l("%(n)d waiting at most",
                                                            n=sc.max_waiting))))
        for g in sc.counters:
            resources.append({
                "name": _name(g, g.id), "count": g.count, "max": g.limit,
                "detail": ", ".join(_name(t, t.id) for t in sc.service_types
                                    if t.id in g.serves)})
        if sc.kiosks is not None:
            resources.append({
                "name": _name(sc.kiosks, str(_l("Self-service kiosks"))),
                "count": sc.kiosks.count, "max": sc.kiosks.count,
                "detail": str(_l("%(p)s%% of eligible customers use them unguided; guidance "
                                 "can raise it to %(m)s%%",
                                 p=num(100 * sc.kiosks.share),
                                 m=num(100 * sc.kiosks.share_limit)))})
        if sc.online is not None and sc.online.campaign is not None:
            facts.append((str(_l("Online campaign")), str(_l(
                "moves more simple cases online; needs %(n)d lobby guide(s) all day",
                n=sc.online.campaign.lobby_staff))))
    else:
        demand = [{"label": _name(z, z.id), "values": _hourly_dispatch(sc, z)} for z in sc.zones]
        total = sc.expected_entities()
        extra["zones"] = [{
            "name": _name(z, z.id), "commitment": z.commitment,
            "travel": z.travel_min.mean_value, "repair": z.repair_min.mean_value,
        } for z in sc.zones]
        extra["priorities"] = [{"name": _name(p, p.id), "share": p.share}
                               for p in sc.priorities]
        policy = POLICY_LABELS[sc.policy]
        facts.append((str(_l("Dispatch policy at the start")),
                      pick({"zh": policy[0], "en": policy[1]})))
        for g in sc.crews:
            zone = next((z for z in sc.zones if z.id == g.base), None)
            detail = str(_l("based in %(z)s", z=_name(zone, g.base)))
            if g.shift is not None:
                detail += " · " + str(_l("on duty %(a)s–%(b)s",
                                         a=clock(sc.start_clock, g.shift.start_min),
                                         b=clock(sc.start_clock, g.shift.end_min)))
            resources.append({"name": _name(g, g.id), "count": g.count, "max": g.limit,
                              "detail": detail})
        if sc.storm is not None:
            st = sc.storm
            facts.append((_name(st, str(_l("Storm"))), str(_l(
                "%(a)s–%(b)s, fault tickets ×%(m)s",
                a=clock(sc.start_clock, st.start_min), b=clock(sc.start_clock, st.end_min),
                m="/".join(num(st.factor(z.id)) for z in sc.zones)))))
            if st.standby is not None:
                resources.append({
                    "name": _name(st.standby, str(_l("Standby crews"))), "count": 0,
                    "max": st.standby.max_crews,
                    "detail": str(_l("can be called in; they need %(m)s min to mobilise",
                                     m=num(st.standby.mobilise_min)))})
    return Situation(kind=sc.kind, start=sc.start_clock,
                     end=clock(sc.start_clock, sc.horizon_min), hours=sc.hours,
                     horizon_min=sc.horizon_min, hour_labels=labels, demand=demand,
                     demand_total=total, rows=facts, resources=resources,
                     targets=target_rows(sc), decisions=decisions, extra=extra)


# --- assessment rules --------------------------------------------------------------------

@dataclass
class AssessmentRules:
    pass_score: float
    max_attempts: int  # 0 = unlimited
    courses: list[tuple[Course, CourseRequirement]]


def assessment_rules(scenario: Scenario) -> AssessmentRules:
    """Pass score and attempt limit: the strictest of the courses that attach the scenario as
    a practice item (attempt limits live on the course requirement), else the defaults."""
    rows = db.session.execute(select(Course, CourseRequirement).join(
        CourseRequirement, CourseRequirement.course_id == Course.id).where(
        CourseRequirement.kind == "scenario", CourseRequirement.ref == scenario.code)
        .order_by(Course.code)).all()
    courses = [(c, r) for c, r in rows]
    scores = [r.pass_score for _c, r in courses if r.pass_score is not None]
    limits = [int(r.extra.get("max_attempts") or 0) for _c, r in courses
              if (r.extra or {}).get("max_attempts") is not None]
    positive = [n for n in limits if n > 0]
    if positive:
        limit = min(positive)
    elif limits:
        limit = 0
    else:
        limit = DEFAULT_MAX_ATTEMPTS
    return AssessmentRules(max(scores) if scores else DEFAULT_PASS_SCORE, limit, courses)


def attempts_used(user_id: int, scenario: Scenario) -> int:
    return db.session.scalar(select(func.count(SimulationRun.id)).where(
        SimulationRun.user_id == user_id, SimulationRun.scenario_id == scenario.id,
        SimulationRun.mode == "assessment")) or 0


def open_assessment(user_id: int, scenario: Scenario) -> SimulationRun | None:
    return db.session.scalar(select(SimulationRun).where(
        SimulationRun.user_id == user_id, SimulationRun.scenario_id == scenario.id,
        SimulationRun.mode == "assessment", SimulationRun.status == "open"))


def best_assessment(user_id: int, code: str, since: datetime | None = None
                    ) -> SimulationRun | None:
    stmt = select(SimulationRun).join(Scenario).where(
        SimulationRun.user_id == user_id, Scenario.code == code,
        SimulationRun.mode == "assessment", SimulationRun.status == "finished",
        SimulationRun.score.is_not(None))
    if since is not None:
        stmt = stmt.where(SimulationRun.finished_at >= since)
    return db.session.scalar(stmt.order_by(SimulationRun.score.desc(),
                                           SimulationRun.finished_at).limit(1))


# --- decisions ---------------------------------------------------------------------------

def decision_specs(scenario: Scenario) -> list[dict]:
    return simulations.decision_specs(engine(scenario))


_ENGINE_MESSAGES = [
    (re.compile(r"^no counter group serves (\S+)$"),
     lambda sc, m: _l("No counter group serves “%(t)s”: give it to at least one group.",
                      t=_type_name(sc, m.group(1)))),
    (re.compile(r"^must be between (\S+) and (\S+)$"),
     lambda sc, m: _l("Enter a number from %(min)s to %(max)s.", min=m.group(1),
                      max=m.group(2))),
    (re.compile(r"^must be a whole number$"), lambda sc, m: _l("Enter a whole number.")),
    (re.compile(r"^must be a number$"), lambda sc, m: _l("Enter a number.")),
    (re.compile(r"^crew (\S+) is (\w+), not idle$"),
     lambda sc, m: _l("Crew %(c)s is no longer free.", c=m.group(1))),
    (re.compile(r"^no waiting ticket (\S+)$"),
     lambda sc, m: _l("Ticket %(t)s is no longer waiting.", t=m.group(1))),
    (re.compile(r"^the scenario has ended$"), lambda sc, m: _l("The shift has ended.")),
]


def _type_name(sc, tid: str) -> str:
    for t in getattr(sc, "service_types", []) or []:
        if t.id == tid:
            return _name(t, tid)
    return tid


def explain(message: str, sc=None) -> str:
    """The engine's English one-liner in the learner's language, where we know it."""
    for pattern, text in _ENGINE_MESSAGES:
        m = pattern.match(message)
        if m:
            return str(text(sc, m))
    return message


def check_decisions(sc, decisions: dict, *, whole_day: bool) -> dict:
    """Validate with the engine; the mapping back, or ServiceError naming the engine path."""
    try:
        dec = simulations.validate_decisions(sc, decisions)
    except DecisionError as e:
        raise ServiceError(explain(e.message, sc), field=e.path) from None
    if whole_day and sc.kind == "dispatch" and dec.dispatch_policy == "manual":
        raise ServiceError(_l("With manual dispatch nobody sends the crews in a whole-day run: "
                              "choose “Step through the day” to assign crews yourself, or "
                              "another policy."), field="dispatch_policy")
    return decisions


def normalised_decisions(scenario: Scenario, decisions: dict | None) -> dict:
    """The full decision values (defaults filled in) for the decisions the scenario opens."""
    sc = engine(scenario)
    try:
        full = simulations.validate_decisions(sc, decisions or None).to_dict()
    except DecisionError:
        full = simulations.validate_decisions(sc, None).to_dict()
    return {k: v for k, v in full.items() if k in allowed(sc)}


def replications_for(sc) -> int:
    expected = max(1.0, sc.expected_entities())
    return max(MIN_REPLICATIONS, min(MAX_REPLICATIONS, int(ENTITY_BUDGET // expected)))


# --- results -----------------------------------------------------------------------------

def trim(result, tickets: list[dict] | None = None) -> dict:
    """What the result pages need from an engine result (no per-replication values)."""
    d = result.to_dict()
    out = {k: d[k] for k in ("scenario", "name", "kind", "replications", "seed", "kpis",
                             "score", "score_breakdown", "series", "decisions", "kpi_info")}
    if "zones" in d:
        out["zones"] = d["zones"]
    if d.get("rejected_decisions"):
        out["rejected_decisions"] = d["rejected_decisions"][:100]
    if tickets is not None:
        out["tickets"] = tickets[:MAX_TICKET_POINTS]
    return out


def _tickets(records: list[dict] | None) -> list[dict] | None:
    if records is None:
        return None
    return [{"id": r["id"], "zone": r["zone"], "priority": r["priority"],
             "created": r["created_min"], "arrival": r["arrival_min"],
             "within": r["within_commitment"], "crew": r["crew"]} for r in records]


def _score(run: SimulationRun, result, sc, effective: dict, log: list[dict]) -> None:
    run.result = trim(result, _tickets(result.records) if sc.kind == "dispatch" else None)
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


def _new_seed(mode: str, seed: int | None) -> int:
    if mode == "assessment":
        return secrets.randbelow(MAX_SEED)
    if seed is None:
        return secrets.randbelow(1_000_000)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < MAX_SEED:
        raise ServiceError(_l("The seed must be a whole number from 0 to %(m)d.",
                              m=MAX_SEED - 1), field="seed")
    return seed


def _check_can_run(user: User, scenario: Scenario, mode: str) -> AssessmentRules | None:
    if not scenario.active:
        raise ServiceError(_l("This scenario is not available."))
    if mode not in ("practice", "assessment"):
        raise ServiceError(_l("Unknown mode."))
    if mode == "practice":
        return None
    rules = assessment_rules(scenario)
    if open_assessment(user.id, scenario) is not None:
        raise ServiceError(_l("You have an assessment attempt in progress for this scenario: "
                              "finish it first."))
    if rules.max_attempts and attempts_used(user.id, scenario) >= rules.max_attempts:
        raise ServiceError(_l("You have used all %(n)d assessment attempts for this scenario.",
                              n=rules.max_attempts))
    return rules


def _save_new(run: SimulationRun, user: User, scenario: Scenario,
              rules: AssessmentRules | None) -> SimulationRun:
    """Insert the run; an assessment takes the next attempt number (unique per learner)."""
    for _try in range(3):
        if run.mode == "assessment":
            used = attempts_used(user.id, scenario)
            if rules and rules.max_attempts and used >= rules.max_attempts:
                raise ServiceError(_l("You have used all %(n)d assessment attempts for this "
                                      "scenario.", n=rules.max_attempts))
            run.attempt_no = used + 1
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
    rules = _check_can_run(user, scenario, mode)
    sc = engine(scenario)
    check_decisions(sc, decisions, whole_day=True)
    seed = _new_seed(mode, seed)
    reps = replications_for(sc)
    try:
        result = simulations.run(sc, decisions, seed, reps, records=sc.kind == "dispatch")
    except DecisionError as e:
        raise ServiceError(explain(e.message, sc), field=e.path) from None
    run = SimulationRun(user_id=user.id, scenario_id=scenario.id, mode=mode, seed=seed,
                        replications=reps, decisions=decisions, log=[], interactive=False,
                        scenario_yaml=scenario.yaml, clock_min=sc.horizon_min)
    _score(run, result, sc, result.decisions.to_dict(), [])
    run = _save_new(run, user, scenario, rules)
    _after_commit(run)
    return run


# --- step-through ------------------------------------------------------------------------

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


def _manual(session: Session) -> bool:
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
    if not _manual(session):
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
    """Open a step-through run (one replication) paused at its first decision point. An
    assessment attempt counts from here: its seed is fixed now."""
    rules = _check_can_run(user, scenario, mode)
    sc = engine(scenario)
    check_decisions(sc, decisions, whole_day=False)
    seed = _new_seed(mode, seed)
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


@dataclass
class StepView:
    run: SimulationRun
    state: dict
    actions: list[str]
    next_clock: str
    manual: bool
    log: list[dict]
    upcoming: float | None = None  # expected arrivals in the coming hour


def _upcoming(sc, now_min: float) -> float | None:
    h = int(now_min // 60)
    if h >= sc.hours:
        return None
    if sc.kind == "service_counter":
        return sc.arrivals.hourly_rates(sc.hours)[h]
    return sum(_hourly_dispatch(sc, z)[h] for z in sc.zones)


def step_view(run: SimulationRun) -> StepView:
    session = load_session(run)
    sc = session.scenario
    ok = [a["action"] for a in session.actions()]
    return StepView(run=run, state=session.state(limit=STATE_ROWS), actions=ok,
                    next_clock=clock(sc.start_clock, next_stop(session)),
                    manual=_manual(session), log=log_rows(sc, run.log),
                    upcoming=_upcoming(sc, session.now))


def log_rows(sc, log: list[dict]) -> list[dict]:
    return [{"clock": clock(sc.start_clock, e["at_min"]), "at_min": e["at_min"],
             "text": describe_action(sc, e)} for e in log]


def describe_action(sc, entry: dict) -> str:
    a = entry["action"]
    if a == "set_open":
        return str(_l("%(g)s: %(n)d counters open from now on",
                      g=_group_name(sc.counters, entry["group"]), n=entry["count"]))
    if a == "set_serves":
        types = {t.id: _name(t, t.id) for t in sc.service_types}
        return str(_l("%(g)s now serve: %(t)s", g=_group_name(sc.counters, entry["group"]),
                      t=", ".join(types.get(t, t) for t in entry["types"])))
    if a == "set_kiosk_share":
        return str(_l("Kiosk guidance set to %(p)s%%", p=num(100 * entry['share'])))
    if a == "set_campaign":
        return str(_l("Online campaign started")) if entry["on"] else \
            str(_l("Online campaign stopped"))
    if a == "set_crews":
        return str(_l("%(g)s: %(n)d crews on the roster from now on",
                      g=_group_name(sc.crews, entry["group"]), n=entry["count"]))
    if a == "set_policy":
        label = POLICY_LABELS.get(entry["policy"], (entry["policy"],) * 2)
        return str(_l("Dispatch policy: %(p)s", p=pick({"zh": label[0], "en": label[1]})))
    if a == "set_standby":
        return str(_l("%(n)d standby crews called in", n=entry["count"]))
    if a == "assign":
        return str(_l("Crew %(c)s sent to ticket %(t)s", c=entry["crew"], t=entry["ticket"]))
    return a


def _group_name(groups, gid: str) -> str:
    g = next((x for x in groups if x.id == gid), None)
    return _name(g, gid) if g is not None else gid


# --- replay for debriefing ---------------------------------------------------------------

@dataclass
class ReplayView:
    run: SimulationRun
    points: list[dict]  # [{"index", "clock", "at_min", "actions": [text]}]
    index: int
    state: dict
    taken: list[str]
    identical: bool | None


def replay_points(sc, log: list[dict]) -> list[float]:
    times = {60.0 * h for h in range(sc.hours)} | {float(e["at_min"]) for e in log} | \
        {float(sc.horizon_min)}
    return sorted(t for t in times if t <= sc.horizon_min)


def replay(run: SimulationRun, index: int = 0, verify: bool = False) -> ReplayView:
    """The state of the shift at one decision moment, rebuilt from seed and log: for a
    step-through run each moment a decision was taken and every full hour; for a whole-day
    run every hour (first replication)."""
    sc = engine(run.scenario_yaml)
    log = run.log or []
    times = replay_points(sc, log)
    index = max(0, min(index, len(times) - 1))
    at = times[index]
    try:
        session = Session(sc, run.decisions or None, run.seed)
        for entry in log:
            if entry["at_min"] >= at:
                break
            params = {k: v for k, v in entry.items() if k not in ("at_min", "action")}
            session.run_until(entry["at_min"])
            session.apply(entry["action"], **params)
        session.run_until(at)
    except DecisionError as e:
        raise ServiceError(_l("This run cannot be rebuilt (%(e)s).", e=str(e))) from None
    by_time: dict[float, list[str]] = {}
    for entry in log:
        by_time.setdefault(float(entry["at_min"]), []).append(describe_action(sc, entry))
    points = [{"index": i, "clock": clock(sc.start_clock, t), "at_min": t,
               "actions": by_time.get(t, [])} for i, t in enumerate(times)]
    identical = None
    if verify and run.status == "finished" and run.interactive:
        again = Session.replay(sc, log, run.decisions or None, run.seed).finish()
        identical = (again.score == run.score and
                     {n: k.mean for n, k in again.kpis.items()} == run.kpis)
    return ReplayView(run=run, points=points, index=index, state=session.state(STATE_ROWS),
                      taken=by_time.get(at, []), identical=identical)


# --- history -----------------------------------------------------------------------------

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


# --- decision mistakes -------------------------------------------------------------------

FINDINGS = {
    "understaffed_peak": _l("Too few counters open at the peak hour"),
    "understaffed_hours": _l("Too few counters in other busy hours"),
    "overstaffed_quiet": _l("More counters than needed in quiet hours"),
    "kiosks_unused": _l("Kiosk guidance left low while waits were over target"),
    "campaign_unused": _l("Online campaign not used while the hall missed its targets"),
    "too_few_crews": _l("Too few crews on shift for the normal ticket load"),
    "storm_understaffed": _l("Too few crews (with standby) for the storm"),
    "zone_uncovered": _l("Zone-dedicated dispatch with a zone that has no crew"),
    "manual_idle": _l("Manual dispatch with few crews sent"),
    "idle_crews": _l("Many idle crews on shift"),
    "missed_target": _l("Missed target"),
}


def _needed_counters(sc, dec: dict) -> list[int]:
    """Counters needed per hour by an Erlang C rule of thumb: the fewest counters for which a
    steady queue with that hour's demand keeps the mean wait within the target."""
    rates = sc.arrivals.hourly_rates(sc.hours)
    online = dict(sc.online.share) if sc.online else {}
    if sc.online and sc.online.campaign and dec.get("diversion_campaign"):
        for t, extra in sc.online.campaign.extra_share.items():
            online[t] = online.get(t, 0.0) + extra
    kiosk_share = dec.get("kiosk_share", sc.kiosks.share if sc.kiosks else 0.0) or 0.0
    kiosk_types = set(sc.kiosks.types) if sc.kiosks else set()
    share = work = 0.0
    for t in sc.service_types:
        part = t.share * (1 - online.get(t.id, 0.0))
        if t.id in kiosk_types:
            part *= 1 - kiosk_share
        share += part
        work += part * t.service_min.mean_value
    target = sc.target_wait_min
    goal = sc.targets.get("mean_wait_min")
    if goal is not None and goal.max is not None and goal.max > 0:
        target = min(target, goal.max)
    if share <= 0 or work <= 0:
        return [0] * sc.hours
    mean_service = work / share
    out = []
    for rate in rates:
        lam = rate * share / 60.0
        if lam <= 0:
            out.append(0)
            continue
        mu = 1.0 / mean_service
        c = max(1, math.floor(lam / mu) + 1)
        while c < 200 and MMc(lam, mu, c).mean_wait > target:
            c += 1
        out.append(c)
    return out


def _crew_load(sc, storm: bool) -> float:
    """Crews kept busy on average (travel there and back plus repair), outside or inside the
    storm window."""
    load = 0.0
    for z in sc.zones:
        rates = [r for s, e, r in sc.zone_segments(z)
                 if sc.storm is None or (sc.storm.start_min <= s < sc.storm.end_min) == storm]
        if not rates:
            continue
        per_min = sum(rates) / len(rates)
        load += per_min * (2 * z.travel_min.mean_value + z.repair_min.mean_value)
    return load


SERVICE_KPIS = ("mean_wait_min", "p90_wait_min", "service_level", "abandon_rate",
                "satisfaction", "prob_wait", "mean_wait_priority_min", "mean_wait_regular_min")
SERVICE_PREFIXES = ("sla_compliance", "mean_arrival_min", "p90_arrival_min", "backlog_end",
                    "mean_restore_min", "unserved_at_close", "balk_rate")
COST_KPIS = ("staff_hours", "crew_hours", "overtime_hours")


def findings(sc, dec: dict, log: list[dict], result) -> list[dict]:
    """Decision mistakes in a scored run (codes in FINDINGS).

    A decision is called a mistake only when the outcome confirms it: too few counters or
    crews (against a queueing rule of thumb for the hour's demand) when a service target was
    clearly missed, too many when a cost target was; a zone left without crews under
    zone-dedicated dispatch, or manual dispatch with few crews sent, always."""
    out: list[dict] = []
    missed = [b["kpi"] for b in result.score_breakdown if b["met"] is False]
    for kpi in missed:
        out.append({"code": "missed_target", "kpi": kpi})
    # Missed clearly (more than a tenth of the way to no points), not by a hair.
    clearly = [b["kpi"] for b in result.score_breakdown
               if b["points"] is not None and b["points"] < 90]
    service_missed = any(k in SERVICE_KPIS or k.startswith(SERVICE_PREFIXES) for k in clearly)
    cost_missed = any(k in clearly for k in COST_KPIS)
    if sc.kind == "service_counter":
        needed = _needed_counters(sc, dec)
        plan = dec.get("counters_open", {})
        opened = [sum(v[h] for v in plan.values()) for h in range(sc.hours)]
        rates = sc.arrivals.hourly_rates(sc.hours)
        peak = max(range(sc.hours), key=lambda h: rates[h])
        if service_missed and opened[peak] < needed[peak]:
            out.append({"code": "understaffed_peak", "hour": clock(sc.start_clock, 60 * peak),
                        "open": opened[peak], "needed": needed[peak],
                        "max": sum(g.limit for g in sc.counters)})
        short = [h for h in range(sc.hours) if h != peak and opened[h] < needed[h]]
        if service_missed and short:
            out.append({"code": "understaffed_hours", "hours": [
                clock(sc.start_clock, 60 * h) for h in short]})
        extra = [h for h in range(sc.hours) if opened[h] >= needed[h] + 2]
        if cost_missed and extra:
            out.append({"code": "overstaffed_quiet", "hours": [
                clock(sc.start_clock, 60 * h) for h in extra],
                "counter_hours": sum(opened[h] - needed[h] for h in extra)})
        if "kiosk_share" in allowed(sc) and service_missed and \
                (dec.get("kiosk_share") or 0) < sc.kiosks.share_limit - 1e-9:
            out.append({"code": "kiosks_unused"})
        if "diversion_campaign" in allowed(sc) and missed and not dec.get("diversion_campaign"):
            out.append({"code": "campaign_unused"})
    else:
        crews = sum(dec.get("crews_on_shift", {}).values())
        normal = _crew_load(sc, storm=False)
        top = sum(g.limit for g in sc.crews)
        if service_missed and crews < math.ceil(normal / 0.8 - 1e-9):
            out.append({"code": "too_few_crews", "crews": crews,
                        "needed": math.ceil(normal / 0.8 - 1e-9), "max": top})
        if sc.storm is not None and service_missed:
            stormy = _crew_load(sc, storm=True)
            standby = dec.get("surge_extra_crews", 0) or 0
            if crews + standby < math.ceil(stormy / 0.9 - 1e-9):
                most = top + (sc.storm.standby.max_crews if sc.storm.standby else 0)
                out.append({"code": "storm_understaffed", "crews": crews + standby,
                            "needed": math.ceil(stormy / 0.9 - 1e-9), "max": most})
        if dec.get("dispatch_policy") == "zone_dedicated":
            based = Counter()
            for g in sc.crews:
                based[g.base] += dec.get("crews_on_shift", {}).get(g.id, 0)
            bare = [z.id for z in sc.zones if based[z.id] == 0]
            if bare:
                out.append({"code": "zone_uncovered", "zones": bare})
        if dec.get("dispatch_policy") == "manual" or any(
                e["action"] == "set_policy" and e["policy"] == "manual" for e in log):
            sent = sum(1 for e in log if e["action"] == "assign")
            tickets = (result.kpis.get("tickets").mean or 0) if "tickets" in result.kpis else 0
            if tickets and sent < 0.5 * tickets:
                out.append({"code": "manual_idle", "sent": sent, "tickets": round(tickets)})
        util = result.kpis.get("crew_utilization")
        if util is not None and util.mean is not None and util.mean < 0.3 and cost_missed:
            out.append({"code": "idle_crews", "utilization": util.mean})
    return out


def describe_finding(f: dict, info: dict | None = None) -> str:
    code = f.get("code")
    if code == "missed_target":
        label = pick((info or {}).get(f["kpi"], {}).get("label")) or f["kpi"]
        return str(_l("Missed target: %(k)s", k=label))
    base = str(FINDINGS.get(code, code))
    if code == "understaffed_peak":
        text = base + " " + str(_l("(%(h)s: %(o)d open, about %(n)d needed)", h=f["hour"],
                                   o=f["open"], n=f["needed"]))
        if f.get("max") is not None and f["needed"] > f["max"]:
            text += " " + str(_l("— more than can open (%(m)d): move demand to kiosks or "
                                 "online too.", m=f["max"]))
        return text
    if code in ("understaffed_hours", "overstaffed_quiet"):
        return base + " (" + ", ".join(f["hours"]) + ")"
    if code in ("too_few_crews", "storm_understaffed"):
        text = base + " " + str(_l("(%(c)d on shift, about %(n)d needed)", c=f["crews"],
                                   n=f["needed"]))
        if f.get("max") is not None and f["needed"] > f["max"]:
            text += " " + str(_l("— more than can be on duty (%(m)d): a backlog is unavoidable, "
                                 "so send the urgent tickets first.", m=f["max"]))
        return text
    if code == "zone_uncovered":
        return base + " (" + ", ".join(f["zones"]) + ")"
    if code == "manual_idle":
        return base + " " + str(_l("(%(s)d sent for about %(t)d tickets)", s=f["sent"],
                                   t=f["tickets"]))
    return base


# --- statistics for trainers -------------------------------------------------------------

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


# --- trainer variants --------------------------------------------------------------------

class VariantError(ServiceError):
    """A variant the engine's loader refuses; `problems` are (form field or None, message)."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        super().__init__(problems[0][1], field=problems[0][0])
        self.problems = problems


ID_RE = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


def parse_numbers(text: str) -> list[float]:
    """"12, 20 22;16" → [12, 20, 22, 16]; ValueError on anything else."""
    parts = [p for p in re.split(r"[\s,;，、]+", (text or "").strip()) if p]
    if not parts:
        raise ValueError("empty")
    values = [float(p) for p in parts]
    if any(not math.isfinite(v) for v in values):
        raise ValueError("not finite")
    return values


@dataclass
class VariantInput:
    code: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    difficulty: int | None
    demand: dict[str, str]  # stream id ("arrivals" or a zone id) → per-hour rates text
    groups: dict[str, tuple[int, int]]  # counter / crew group id → (count, max)
    kiosks: int | None
    standby: int | None
    targets: dict[str, tuple[float, float | None, float] | None]  # kpi → (goal, zero_at, w)
    allow: list[str]


def variant_defaults(base: Scenario) -> dict[str, Any]:
    """The variant form's starting values, read from the base scenario."""
    sc = engine(base)
    data: dict[str, Any] = {
        "code": "", "name_zh": f"{sc.title.zh}（变体）"[:200],
        "name_en": f"{sc.title.en} (variant)"[:200],
        "description_zh": sc.description.zh if sc.description else "",
        "description_en": sc.description.en if sc.description else "",
        "difficulty": sc.difficulty or 0,
        "allow": list(allowed(sc)),
    }
    if sc.kind == "service_counter":
        data["demand-arrivals"] = _numbers(sc.arrivals.hourly_rates(sc.hours))
        for i, g in enumerate(sc.counters):
            data[f"count-{i}"], data[f"max-{i}"] = g.count, g.limit
        if sc.kiosks is not None:
            data["kiosks"] = sc.kiosks.count
    else:
        for i, z in enumerate(sc.zones):
            data[f"demand-{i}"] = _numbers(z.hourly_rates(sc.hours))
        for i, g in enumerate(sc.crews):
            data[f"count-{i}"], data[f"max-{i}"] = g.count, g.limit
        if sc.storm is not None and sc.storm.standby is not None:
            data["standby"] = sc.storm.standby.max_crews
    targets = sc.targets or sc.default_targets()
    for name in target_kpis(sc):
        t = targets.get(name)
        data[f"t-{name}-on"] = t is not None
        if t is not None:
            data[f"t-{name}-goal"] = t.max if t.max is not None else t.min
            data[f"t-{name}-zero"] = t.zero_at
            data[f"t-{name}-weight"] = t.weight
    return data


def _numbers(values: list[float]) -> str:
    return ", ".join(num(v) for v in values)


def target_kpis(sc) -> list[str]:
    """KPIs a target can be set on (those with a better direction)."""
    return [name for name, meta in kpi_info(sc).items() if meta["better"]]


def _compact(values: list[float]) -> dict:
    if len(set(values)) == 1:
        return {"rate_per_hour": values[0]}
    return {"profile": values}


def build_variant(base: Scenario, data: VariantInput, *, code_taken: Callable[[str], bool]
                  ) -> tuple[dict, Any]:
    """The variant as a mapping and the engine's scenario, validated by the engine's loader.
    Raises VariantError naming form fields."""
    problems: list[tuple[str | None, str]] = []
    code = (data.code or "").strip().lower()
    if not ID_RE.match(code):
        problems.append(("code", str(_l("Use a lower-case id: a letter, then letters, digits, "
                                        "“-” or “_” (at most 64)."))))
    elif code_taken(code):
        problems.append(("code", str(_l("This id is already used by another scenario."))))
    raw = yaml.safe_load(base.yaml)
    sc = engine(base)
    raw["id"] = code or "variant"
    raw["name"] = {"zh": data.name_zh.strip(), "en": data.name_en.strip()}
    if data.description_zh.strip() or data.description_en.strip():
        raw["description"] = {"zh": data.description_zh.strip() or data.description_en.strip(),
                              "en": data.description_en.strip() or data.description_zh.strip()}
    else:
        raw.pop("description", None)
    if data.difficulty:
        raw["difficulty"] = data.difficulty
    else:
        raw.pop("difficulty", None)
    streams = ["arrivals"] if sc.kind == "service_counter" else [z.id for z in sc.zones]
    for i, stream in enumerate(streams):
        fld = "demand-arrivals" if sc.kind == "service_counter" else f"demand-{i}"
        try:
            values = parse_numbers(data.demand.get(stream, ""))
        except ValueError:
            problems.append((fld, str(_l("Give one number per hour, separated by commas."))))
            continue
        if len(values) != 1 and len(values) != sc.hours:
            problems.append((fld, str(_l("Give one number for the whole day or one per hour "
                                         "(%(n)d values).", n=sc.hours))))
            continue
        target = raw["arrivals"] if sc.kind == "service_counter" else raw["zones"][i]
        target.pop("rate_per_hour", None)
        target.pop("profile", None)
        target.update(_compact(values))
    groups = raw["counters"] if sc.kind == "service_counter" else raw["crews"]
    for i, g in enumerate(groups):
        count, top = data.groups.get(g["id"], (g.get("count", 0), g.get("max_count")))
        g["count"] = count
        g["max_count"] = max(top, count) if top is not None else count
        if sc.kind == "service_counter" and "schedule" in g:
            g["schedule"] = [min(x, g["max_count"]) for x in g["schedule"]]
            if count != sc.counters[i].count:
                g.pop("schedule")  # a new staffing level replaces the hourly plan
    if data.kiosks is not None and raw.get("kiosks") is not None:
        raw["kiosks"]["count"] = data.kiosks
    if data.standby is not None and raw.get("storm", {}).get("standby") is not None:
        raw["storm"]["standby"]["max_crews"] = data.standby
    targets: dict[str, dict] = {}
    info = kpi_info(sc)
    for name, spec in data.targets.items():
        if spec is None:
            continue
        goal, zero, weight = spec
        key = "max" if info[name]["better"] == "lower" else "min"
        t: dict[str, float] = {key: goal, "weight": weight}
        if zero is not None:
            t["zero_at"] = zero
        targets[name] = t
    if not targets:
        problems.append(("targets", str(_l("Keep at least one target: the score is measured "
                                           "against the targets."))))
    raw["targets"] = targets
    raw.setdefault("decisions", {})
    raw["decisions"]["allow"] = list(data.allow)
    if not data.allow:
        problems.append(("allow", str(_l("Open at least one decision to the learner."))))
    if problems:
        raise VariantError(problems)
    try:
        variant = simulations.load_scenario(raw)
    except ScenarioError as e:
        raise VariantError([(_field_for(sc, e.path), f"{e.path}: {e.message}" if e.path
                             else e.message)]) from None
    if variant.expected_entities() > MAX_VARIANT_ARRIVALS:
        raise VariantError([("demand-arrivals" if sc.kind == "service_counter" else "demand-0",
                             str(_l("About %(n)d arrivals a day: at most %(m)d, so that a run "
                                    "answers at once.", n=round(variant.expected_entities()),
                                    m=MAX_VARIANT_ARRIVALS)))])
    return raw, variant


def _field_for(sc, path: str) -> str | None:
    """The variant form field an engine error path belongs to."""
    m = re.match(r"^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?", path or "")
    if not m:
        return None
    head, index, sub = m.group(1), m.group(2), m.group(3)
    if head == "arrivals":
        return "demand-arrivals"
    if head == "zones" and index is not None:
        return f"demand-{index}"
    if head in ("counters", "crews") and index is not None:
        return f"max-{index}" if sub == "max_count" else f"count-{index}"
    if head == "kiosks":
        return "kiosks"
    if head == "storm":
        return "standby"
    if head == "targets":
        return f"t-{sub}-goal" if sub else "targets"
    if head == "decisions":
        return "allow"
    if head in ("id", "name", "description", "difficulty"):
        return {"id": "code", "name": "name_zh", "description": "description_zh"}.get(head,
                                                                                     head)
    return None


def preview(raw: dict) -> dict:
    """A run of the variant with its default decisions (not stored): the trimmed result."""
    sc = simulations.load_scenario(raw)
    result = simulations.run(sc, None, 1, replications_for(sc),
                             records=sc.kind == "dispatch")
    return trim(result, _tickets(result.records) if sc.kind == "dispatch" else None)


def dump_variant(base: Scenario, raw: dict, actor: User) -> str:
    notes = [line for line in base.yaml.splitlines() if line.startswith("#")]
    head = [f"# Variant of {base.code}, made in the training studio by {actor.employee_no} "
            f"on {now().date().isoformat()}.",
            "# Notes of the scenario it is based on:"] + notes
    body = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(head) + "\n" + body


def save_variant(base: Scenario, data: VariantInput, actor: User,
                 existing: Scenario | None = None) -> Scenario:
    """Create a variant of `base` (or update `existing`, a variant). Runs keep the scenario
    text they ran against, so editing never changes a past result."""
    if existing is not None and existing.source != "variant":
        raise ServiceError(_l("Built-in scenarios are not edited here: make a variant."))

    def taken(code: str) -> bool:
        other = db.session.scalar(select(Scenario.id).where(Scenario.code == code))
        return other is not None and (existing is None or other != existing.id)

    raw, variant = build_variant(existing or base, data, code_taken=taken)
    text = dump_variant(base, raw, actor)
    row = existing or Scenario(source="variant", based_on_id=base.id,
                               created_by_id=actor.id)
    row.code = variant.id
    _fill(row, variant, text)
    db.session.add(row)
    audit.record("scenario_variant_saved", actor=actor, target=row, based_on=base.code,
                 result="updated" if existing is not None else "created")
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise VariantError([("code", str(_l("This id is already used by another "
                                            "scenario.")))]) from None
    return row


def set_active(scenario: Scenario, active: bool, actor: User) -> None:
    scenario.active = active
    audit.record("scenario_variant_saved", actor=actor, target=scenario,
                 result="activated" if active else "retired")
    db.session.commit()


__all__ = [
    "DEFAULT_MAX_ATTEMPTS", "DEFAULT_PASS_SCORE", "AssessmentRules", "ImportResult",
    "ScenarioStats", "Situation", "StepAction", "VariantError", "VariantInput",
    "assessment_rules", "import_builtins", "replay", "run_whole_day", "situation",
    "start_step_through", "stats", "step", "step_view",
]
