"""What other systems do through the API, as plain service functions (no request in sight).

- Roster sync from the HR system, keyed by employee number: creating someone who already
  exists is a conflict (updates go through update_user, where sending the same data twice
  changes nothing and logs nothing). People holding a platform role above learner are never
  changed by a token.
- Course assignment with a caller-supplied external id: the first request does the work
  and its answer is kept; the same request again gets the same answer; the same id with a
  different request is refused.

Writes are attributed to the administrator who made the token (the audit log's actor).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError

from lms.assessment.models import Attempt, Quiz
from lms.catalog import learning
from lms.catalog.learning_models import Enrollment, LessonProgress
from lms.catalog.models import Course
from lms.certification import state as award_state
from lms.certification.models import Award, Certification
from lms.core import audit
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.integration.models import ApiToken, IdempotencyKey
from lms.people import accounts
from lms.people.models import JobRole, OrgUnit, User
from lms.rotation.models import RotationPlan


class Conflict(ServiceError):
    """The request clashes with an earlier one (answered 409 by the API)."""


class NotAllowed(ServiceError):
    """The token may not do this (answered 403 by the API)."""


def now() -> datetime:
    return datetime.now(UTC)


# --- lookups ------------------------------------------------------------------------------

def user_by_employee_no(employee_no: str) -> User | None:
    return db.session.scalar(select(User).where(User.employee_no == employee_no))


def _unit(code: str | None, field: str = "org_unit") -> OrgUnit | None:
    if not code:
        return None
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code))
    if unit is None:
        raise ServiceError(_l("Unknown org unit: %(value)s.", value=code), field=field)
    return unit


def _role(code: str | None, field: str = "job_role") -> JobRole | None:
    if not code:
        return None
    role = db.session.scalar(select(JobRole).where(JobRole.code == code))
    if role is None:
        raise ServiceError(_l("Unknown job role: %(value)s.", value=code), field=field)
    return role


# --- roster sync --------------------------------------------------------------------------

USER_FIELDS = ("name", "email", "org_unit", "job_role", "locale", "active")


def users_query(*, active: bool | None = None, org_unit: str | None = None,
                job_role: str | None = None, q: str | None = None) -> Select:
    stmt = select(User).order_by(User.employee_no)
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    if org_unit:
        stmt = stmt.join(OrgUnit, OrgUnit.id == User.org_unit_id).where(OrgUnit.code == org_unit)
    if job_role:
        stmt = stmt.join(JobRole, JobRole.id == User.job_role_id).where(JobRole.code == job_role)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(User.name.ilike(like), User.employee_no.ilike(like),
                              User.email.ilike(like)))
    return stmt


def _actor(token: ApiToken | None) -> User | None:
    return token.created_by if token is not None else None


def create_user(data: dict[str, Any], token: ApiToken | None, ip: str = "") -> User:
    """Create the person. An existing employee number is a conflict: changes go through
    update_user, so a create can never silently overwrite someone."""
    employee_no = data["employee_no"].strip()
    if user_by_employee_no(employee_no) is not None:
        raise _exists()
    unit, role = _unit(data.get("org_unit")), _role(data.get("job_role"))
    locale = data.get("locale")
    _email_free(data["email"])
    try:
        user = accounts.create_user(
            employee_no=employee_no, name=data["name"], email=data["email"],
            # Never shown: the person activates the account with a one-time code.
            password=accounts.generate_temporary_password(), roles=set(),
            org_unit=unit, job_role=role, locale=locale, actor=_actor(token), ip=ip)
    except IntegrityError:  # the same employee created by a concurrent request
        db.session.rollback()
        if user_by_employee_no(employee_no) is not None:
            raise _exists() from None
        raise Conflict(_l("Another user already has this e-mail."),
                       field="email") from None
    if data.get("active") is False:
        update_user(user, {"active": False}, token, ip)
    return user


def _exists() -> Conflict:
    return Conflict(_l("A person with this employee number already exists: change them with "
                       "PATCH /users/{employee_no}."), field="employee_no")


def _guard_privileged(user: User) -> None:
    """Tokens never change people who hold a platform role above learner (administrators,
    HR, trainers, managers): a leaked integration token must not take over or lock out an
    administrator. Those people are changed by an administrator in the browser."""
    held = sorted(user.roles - {"learner"})
    if held:
        raise NotAllowed(_l("%(no)s holds the platform role(s) %(roles)s: API tokens cannot "
                            "change, rename or deactivate people with platform roles. An "
                            "administrator changes them in the browser.",
                            no=user.employee_no, roles=", ".join(held)), field="employee_no")


def _email_free(email: str, exclude_id: int | None = None) -> None:
    stmt = select(User.id).where(User.email == email.strip().lower())
    if exclude_id is not None:
        stmt = stmt.where(User.id != exclude_id)
    if db.session.scalar(stmt) is not None:
        raise Conflict(_l("Another user already has this e-mail."), field="email")


def update_user(user: User, fields: dict[str, Any], token: ApiToken | None,
                ip: str = "") -> str:
    """Apply the given fields (others stay as they are). "updated" or "unchanged"."""
    name = fields["name"].strip() if "name" in fields else user.name
    email = fields["email"].strip().lower() if "email" in fields else user.email
    unit = _unit(fields["org_unit"]) if "org_unit" in fields else user.org_unit
    role = _role(fields["job_role"]) if "job_role" in fields else user.job_role
    active = fields["active"] if "active" in fields else user.active
    locale = fields["locale"] if "locale" in fields else user.locale
    before = {"name": user.name, "email": user.email, "org_unit": user.org_unit_id,
              "job_role": user.job_role_id, "active": user.active, "locale": user.locale}
    after = {"name": name, "email": email, "org_unit": getattr(unit, "id", None),
             "job_role": getattr(role, "id", None), "active": active, "locale": locale}
    changed = sorted(k for k in after if after[k] != before[k])
    if not changed:
        return "unchanged"
    _guard_privileged(user)
    if email != user.email:
        _email_free(email, user.id)
    actor = _actor(token)
    via = {"via": "api", "token": token.prefix if token else None}
    old_job = user.job_role.code if user.job_role else None
    user.name, user.email, user.locale, user.org_unit = name, email, locale, unit
    accounts.assign_job_role(user, role)
    if old_job != (role.code if role else None):
        audit.record("job_role_changed", actor=actor, target=user, ip=ip, before=old_job,
                     after=role.code if role else None, **via)
    if user.active != active:
        user.active = active
        if not active:
            user.rotate_session_token()  # signs them out everywhere
        audit.record("user_reactivated" if active else "user_deactivated", actor=actor,
                     target=user, ip=ip, **via)
    audit.record("user_updated", actor=actor, target=user, ip=ip, fields=changed, **via)
    db.session.commit()
    return "updated"


def deactivate_user(user: User, token: ApiToken | None, ip: str = "") -> str:
    return update_user(user, {"active": False}, token, ip)


# --- enrolments ---------------------------------------------------------------------------

ENROLLMENT_STATES = ("not_started", "in_progress", "completed", "overdue")


def enrollments_query(*, employee_no: str | None = None, course: str | None = None,
                      status: str | None = None, due_before: date | None = None,
                      today: date | None = None) -> Select:
    today = today or date.today()
    stmt = (select(Enrollment).join(User, User.id == Enrollment.user_id)
            .join(Course, Course.id == Enrollment.course_id)
            .order_by(Enrollment.id))
    if employee_no:
        stmt = stmt.where(User.employee_no == employee_no)
    if course:
        stmt = stmt.where(Course.code == course)
    if due_before is not None:
        stmt = stmt.where(Enrollment.due_date < due_before)
    if status == "completed":
        stmt = stmt.where(Enrollment.completed_at.is_not(None))
    elif status == "overdue":
        stmt = stmt.where(Enrollment.completed_at.is_(None), Enrollment.due_date < today)
    elif status in ("not_started", "in_progress"):
        started = or_(
            select(LessonProgress.id).where(LessonProgress.user_id == Enrollment.user_id,
                                            LessonProgress.course_id == Enrollment.course_id)
            .exists(),
            select(Attempt.id).join(Quiz, Quiz.id == Attempt.quiz_id).where(
                Attempt.user_id == Enrollment.user_id, Quiz.course_id == Enrollment.course_id,
                Attempt.submitted_at.is_not(None)).exists())
        stmt = stmt.where(Enrollment.completed_at.is_(None),
                          or_(Enrollment.due_date.is_(None), Enrollment.due_date >= today),
                          started if status == "in_progress" else ~started)
    return stmt


def enrollment_states(enrollments: list[Enrollment], today: date | None = None) -> dict[int, str]:
    """enrollment id → not_started | in_progress | completed | overdue, in two queries.
    "in progress" once a lesson is finished or a quiz submitted."""
    from lms.catalog.progress import enrollment_status

    today = today or date.today()
    pairs = {(e.user_id, e.course_id) for e in enrollments if e.completed_at is None}
    started: set[tuple[int, int]] = set()
    if pairs:
        users = {u for u, _c in pairs}
        courses = {c for _u, c in pairs}
        for stmt in (
                select(LessonProgress.user_id, LessonProgress.course_id).where(
                    LessonProgress.user_id.in_(users), LessonProgress.course_id.in_(courses)),
                select(Attempt.user_id, Quiz.course_id).join(Quiz, Quiz.id == Attempt.quiz_id)
                .where(Attempt.user_id.in_(users), Quiz.course_id.in_(courses),
                       Attempt.submitted_at.is_not(None))):
            started.update((user_id, course_id) for user_id, course_id
                           in db.session.execute(stmt.distinct()))
    return {e.id: enrollment_status(e, 1 if (e.user_id, e.course_id) in started else 0, today)
            for e in enrollments}


def _fingerprint(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class Replay:
    status_code: int
    response: dict[str, Any]


def replay(scope: str, key: str | None, payload: dict[str, Any]) -> Replay | None:
    """The stored answer to an earlier request with this external id, if any."""
    if not key:
        return None
    row = db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.scope == scope,
                                                         IdempotencyKey.key == key))
    if row is None:
        return None
    if row.fingerprint != _fingerprint(payload):
        raise Conflict(_l("This external id was already used for a different request."),
                       field="external_id")
    if row.response is None or row.status_code is None:
        raise Conflict(_l("A request with this external id is still being processed."),
                       field="external_id")
    return Replay(row.status_code, row.response)


def assign_course(*, course_code: str, employee_nos: list[str], due_date: date | None,
                  external_id: str | None, token: ApiToken | None,
                  respond) -> Replay:
    """Assign a published course to people (learning.assign), at most once per external id.
    `respond(course, users, added, updated)` builds the answer that is kept for replays."""
    payload = {"course": course_code, "employee_nos": employee_nos,
               "due_date": due_date.isoformat() if due_date else None}
    earlier = replay("enrollments", external_id, payload)
    if earlier is not None:
        return earlier
    course = db.session.scalar(select(Course).where(Course.code == course_code))
    if course is None:
        raise ServiceError(_l("No course with this code."), field="course")
    wanted = list(dict.fromkeys(employee_nos))
    found = {u.employee_no: u for u in db.session.scalars(
        select(User).where(User.employee_no.in_(wanted)))} if wanted else {}
    for i, no in enumerate(employee_nos):
        if no not in found:
            raise ServiceError(_l("Unknown employee number: %(no)s.", no=no),
                               field=f"employee_nos.{i}")
    users = [found[no] for no in wanted]
    key_row = None
    if external_id:
        key_row = IdempotencyKey(scope="enrollments", key=external_id,
                                 fingerprint=_fingerprint(payload),
                                 token_id=token.id if token else None)
        db.session.add(key_row)
        try:
            db.session.flush()
        except IntegrityError:  # a concurrent retry of the same request got here first
            db.session.rollback()
            return replay("enrollments", external_id, payload) or Replay(409, {})
    try:
        added, updated = learning.assign(course, users, due_date, _actor(token), "assigned")
    except ServiceError:
        db.session.rollback()
        raise
    answer = respond(course, users, added, updated)
    status = 201 if added else 200
    if key_row is not None:
        key_row.status_code, key_row.response = status, answer
        db.session.commit()
    return Replay(status, answer)


# --- awards -------------------------------------------------------------------------------

AWARD_STATES = ("valid", "expiring", "expired", "revoked", "superseded")


def awards_query(*, state: str | None = None, certification: str | None = None,
                 employee_no: str | None = None, expires_before: date | None = None,
                 expires_after: date | None = None, at: datetime | None = None) -> Select:
    """Awards, filtered by their derived state (as certification.state computes it)."""
    at = at or now()
    stmt = (select(Award).join(Certification, Certification.id == Award.certification_id)
            .join(User, User.id == Award.user_id)
            .order_by(Award.issued_at.desc(), Award.id.desc()))
    if certification:
        stmt = stmt.where(Certification.code == certification)
    if employee_no:
        stmt = stmt.where(User.employee_no == employee_no)
    if expires_before is not None:
        stmt = stmt.where(Award.expires_at < _midnight(expires_before))
    if expires_after is not None:
        stmt = stmt.where(Award.expires_at >= _midnight(expires_after))
    if state:
        stmt = stmt.where(award_state.in_state_sql(state, at, award_state.window_lengths()))
    return stmt


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# --- rotation plans -----------------------------------------------------------------------

def rotation_plans_query(*, status: str | None = None, employee_no: str | None = None,
                         to_role: str | None = None) -> Select:
    stmt = (select(RotationPlan).join(User, User.id == RotationPlan.user_id)
            .order_by(RotationPlan.start_date, RotationPlan.id))
    if status:
        stmt = stmt.where(RotationPlan.status == status)
    if employee_no:
        stmt = stmt.where(User.employee_no == employee_no)
    if to_role:
        stmt = stmt.where(RotationPlan.to_role.has(JobRole.code == to_role))
    return stmt


def rotation_plan(public_id: str) -> RotationPlan | None:
    return db.session.scalar(select(RotationPlan).where(RotationPlan.public_id == public_id))


def count(stmt: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(
        stmt.order_by(None).subquery())) or 0


__all__ = ["AWARD_STATES", "ENROLLMENT_STATES", "Conflict", "NotAllowed", "Replay",
           "assign_course", "awards_query", "count", "create_user", "deactivate_user",
           "enrollment_states", "enrollments_query", "replay", "rotation_plan",
           "rotation_plans_query", "update_user", "user_by_employee_no", "users_query"]
