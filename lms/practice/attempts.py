"""Who may start a practice run, with which seed, and how assessment attempts are counted.

- an assessment run's seed is drawn here (``secrets``) when the attempt starts, stored with
  the run and never shown before the run is finished;
- pass score and attempt limit come from the courses that attach the scenario (the
  strictest wins), else the defaults; attempts are numbered per learner and scenario.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.catalog.models import Course, CourseRequirement
from lms.core import requirements
from lms.core.clock import now
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User
from lms.practice.kinds import DEFAULT_PASS_SCORE
from lms.practice.models import Scenario, SimulationRun

DEFAULT_MAX_ATTEMPTS = 3
MAX_SEED = 2**62


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


def allowance(user_id: int, scenario: Scenario, rules: AssessmentRules) -> tuple[int, int]:
    """(attempts used in the current allowance, the person's limit — 0 = unlimited): a reset
    granted by a trainer or HR starts a new allowance, extra attempts raise the limit."""
    since = requirements.allowance_start(user_id, "scenario", scenario.code, now())
    stmt = select(func.count(SimulationRun.id)).where(
        SimulationRun.user_id == user_id, SimulationRun.scenario_id == scenario.id,
        SimulationRun.mode == "assessment")
    if since is not None:
        stmt = stmt.where(SimulationRun.created_at >= since)
    used = db.session.scalar(stmt) or 0
    limit = rules.max_attempts
    if limit:
        limit += requirements.extra_attempts(user_id, "scenario", scenario.code, since)
    return used, limit


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


def new_seed(mode: str, seed: int | None) -> int:
    if mode == "assessment":
        return secrets.randbelow(MAX_SEED)
    if seed is None:
        return secrets.randbelow(1_000_000)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < MAX_SEED:
        raise ServiceError(_l("The seed must be a whole number from 0 to %(m)d.",
                              m=MAX_SEED - 1), field="seed")
    return seed


def check_can_run(user: User, scenario: Scenario, mode: str) -> AssessmentRules | None:
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
    used, limit = allowance(user.id, scenario, rules)
    if limit and used >= limit:
        raise ServiceError(_l("You have used all %(n)d assessment attempts for this scenario.",
                              n=limit))
    return rules
