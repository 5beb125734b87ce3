"""Planning and completing job rotations; the rotation board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, lazyload

from lms.catalog import learning
from lms.catalog.models import Course
from lms.core import audit, requirements
from lms.core.errors import ServiceError
from lms.core.requirements import Requirement
from lms.extensions import db
from lms.people import accounts
from lms.people.models import JobRole, OrgUnit, User
from lms.people.org import subtree_ids
from lms.rotation import readiness
from lms.rotation.models import RotationPlan

PREP_LEAD_DAYS = 7  # learning is due this many days before the move
WARN_DAYS = 30  # warn when the start is this close …
WARN_READINESS = 80  # … and readiness below this


def _courses_for(role: JobRole) -> list[Course]:
    """The published courses of a role's path: its course items, and the courses its
    certifications require — in path order, without repeats."""
    from lms.certification.models import Certification, CertRequirement

    codes: list[str] = []
    for req in readiness.requirements_by_role([role.id]).get(role.id, []):
        if req.kind == "course":
            codes.append(req.ref)
        elif req.kind == "certification":
            codes.extend(db.session.scalars(select(CertRequirement.ref).join(Certification)
                                            .where(Certification.code == req.ref,
                                                   CertRequirement.kind == "course")
                                            .order_by(CertRequirement.position)))
    seen, ordered = set(), []
    for code in codes:
        if code not in seen:
            seen.add(code)
            ordered.append(code)
    courses = {c.code: c for c in db.session.scalars(select(Course).where(
        Course.code.in_(ordered), Course.status == "published"))}
    return [courses[c] for c in ordered if c in courses]


def plan(*, user: User, to_role: JobRole, start: date, mentor: User | None, notes: str,
         actor: User, scope: OrgUnit | None = None) -> tuple[RotationPlan, list[Course]]:
    """Plan a rotation and enrol the person in the missing parts of the target path, due
    before the start. `scope` limits a manager to their own unit."""
    if scope is not None and (user.org_unit is None or
                              not user.org_unit.path.startswith(scope.path)):
        raise ServiceError(_l("You can only plan rotations for your own team."),
                           field="employee_no")
    if start <= date.today():
        raise ServiceError(_l("The start date must be in the future."), field="start_date")
    if user.job_role_id == to_role.id:
        raise ServiceError(_l("%(name)s already holds this job role.", name=user.name),
                           field="to_role")
    if mentor is not None and mentor.id == user.id:
        raise ServiceError(_l("A person cannot mentor themselves."), field="mentor")
    open_plan = db.session.scalar(select(RotationPlan.id).where(
        RotationPlan.user_id == user.id, RotationPlan.status == "active"))
    if open_plan is not None:
        raise ServiceError(_l("%(name)s already has an open rotation plan.", name=user.name),
                           field="employee_no")
    rotation = RotationPlan(user_id=user.id, from_role_id=user.job_role_id,
                            to_role_id=to_role.id, start_date=start,
                            mentor_id=mentor.id if mentor else None, notes=(notes or "").strip(),
                            created_by_id=actor.id)
    db.session.add(rotation)
    db.session.flush()
    due = max(date.today() + timedelta(days=1), start - timedelta(days=PREP_LEAD_DAYS))
    courses = _courses_for(to_role)
    done = requirements.check_many([user.id], [Requirement("course", c.code) for c in courses])
    enrolled = []
    for course in courses:
        if done[(user.id, Requirement("course", course.code))].met:
            continue
        added, updated = learning.assign(course, [user], due, actor, source="rule")
        if added or updated:
            enrolled.append(course)
    audit.record("rotation_planned", actor=actor, target=user, to_role=to_role.code,
                 start=start.isoformat(), courses=[c.code for c in enrolled])
    db.session.commit()
    return rotation, enrolled


def cancel(rotation: RotationPlan, actor: User) -> None:
    if rotation.status != "active":
        raise ServiceError(_l("This rotation is already closed."))
    rotation.status, rotation.closed_at = "cancelled", datetime.now(UTC)
    audit.record("rotation_cancelled", actor=actor, target=rotation.user)
    db.session.commit()


def complete(rotation: RotationPlan, actor: User, on: date | None = None) -> list[str]:
    """The person moves: record the new role in their history and re-evaluate what the new
    role requires. Returns the required certifications they now lack."""
    if rotation.status != "active":
        raise ServiceError(_l("This rotation is already closed."))
    user = rotation.user
    accounts.assign_job_role(user, rotation.to_role, start=on or date.today(),
                             note=f"rotation {rotation.public_id}")
    rotation.status, rotation.closed_at = "moved", datetime.now(UTC)
    audit.record("rotation_completed", actor=actor, target=user,
                 to_role=rotation.to_role.code)
    db.session.commit()
    from lms.certification import rules as certification

    certification.check_and_issue(user.id)
    state = readiness.for_person(user.id, rotation.to_role)
    missing = [i.requirement.ref for i in state.gaps if i.requirement.kind == "certification"]
    if missing:
        from lms.notifications.notify import notify

        notify(user, "role_requirements",
               str(_l("Your new job role requires: %(c)s", c=", ".join(missing))),
               link="/learn/next-role")
        db.session.commit()
    return missing


# --- board -----------------------------------------------------------------------------

@dataclass
class Card:
    plan: RotationPlan
    readiness: int
    days_left: int
    column: str  # planned | in_preparation | ready | moved | cancelled
    warning: bool


def plans_query(scope: OrgUnit | None = None) -> Select:
    stmt = select(RotationPlan).order_by(RotationPlan.start_date, RotationPlan.id)
    if scope is not None:
        stmt = stmt.join(User, User.id == RotationPlan.user_id).where(
            User.org_unit_id.in_(subtree_ids(scope)))
    return stmt


def board(scope: OrgUnit | None = None, today: date | None = None,
          closed_days: int = 90) -> dict[str, list[Card]]:
    """Cards by column, in a fixed number of queries."""
    today = today or date.today()
    since = datetime.now(UTC) - timedelta(days=closed_days)
    # The cards show the person's name and the two roles: nothing else of the people is
    # loaded (no org unit, job role, platform roles or mentor per card).
    plans = list(db.session.scalars(plans_query(scope).where(
        (RotationPlan.status == "active") | (RotationPlan.closed_at >= since)).options(
        joinedload(RotationPlan.user).options(lazyload(User.org_unit), lazyload(User.job_role),
                                              lazyload(User.role_rows)),
        lazyload(RotationPlan.mentor))).unique())
    active = [p for p in plans if p.status == "active"]
    roles = {p.to_role_id: p.to_role for p in active}
    reqs = readiness.requirements_by_role(list(roles))
    ev = readiness.load_evidence(list({p.user_id for p in active}),
                                 [r for rs in reqs.values() for r in rs])
    columns: dict[str, list[Card]] = {k: [] for k in ("planned", "in_preparation", "ready",
                                                      "moved", "cancelled")}
    for p in plans:
        days = (p.start_date - today).days
        if p.status != "active":
            columns[p.status].append(Card(p, 100 if p.status == "moved" else 0, days,
                                          p.status, False))
            continue
        pct = readiness.readiness(p.user_id, p.to_role, reqs.get(p.to_role_id, []), ev).percent
        column = "ready" if pct >= 100 else ("in_preparation" if pct > 0 else "planned")
        columns[column].append(Card(p, pct, days, column,
                                    days <= WARN_DAYS and pct < WARN_READINESS))
    return columns


def plan_for(public_id: str, scope: OrgUnit | None = None) -> RotationPlan | None:
    return db.session.scalar(plans_query(scope).where(RotationPlan.public_id == public_id))


def my_plans(user: User) -> list[RotationPlan]:
    return list(db.session.scalars(select(RotationPlan).where(
        RotationPlan.user_id == user.id).order_by(RotationPlan.created_at.desc())))


def skills_matrix(unit: OrgUnit | None, page_users: list[User]) -> tuple[list[JobRole],
                                                                         dict[tuple[int, int],
                                                                              int]]:
    roles = list(db.session.scalars(select(JobRole).order_by(JobRole.code)))
    return roles, readiness.matrix([u.id for u in page_users], roles)
