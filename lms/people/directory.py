"""Finding people: directory filters shared by managers, HR and admins."""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from lms.extensions import db
from lms.people.models import JobRole, OrgUnit, User
from lms.people.org import subtree_ids


def directory(*, unit: OrgUnit | None = None, job_role: JobRole | None = None,
              q: str = "", active: bool | None = None) -> Select:
    """People in `unit` and its sub-units, optionally by job role and a search text."""
    stmt = select(User).order_by(User.employee_no)
    if unit is not None:
        stmt = stmt.where(User.org_unit_id.in_(subtree_ids(unit)))
    if job_role is not None:
        stmt = stmt.where(User.job_role_id == job_role.id)
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    q = (q or "").strip()
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(User.name.ilike(like), User.employee_no.ilike(like),
                              User.email.ilike(like)))
    return stmt


def team_unit_for(user: User) -> OrgUnit | None:
    """The unit a manager leads: their own org unit (and everything under it)."""
    return user.org_unit


def unit_by_id(unit_id: int | None) -> OrgUnit | None:
    return db.session.get(OrgUnit, unit_id) if unit_id else None


def job_role_by_id(role_id: int | None) -> JobRole | None:
    return db.session.get(JobRole, role_id) if role_id else None


def with_role(role: str) -> list[User]:
    """Active people holding a platform role (e.g. everyone in HR, to tell them things)."""
    from lms.people.models import UserRole

    return list(db.session.scalars(select(User).join(UserRole, UserRole.user_id == User.id)
                                   .where(UserRole.role == role, User.active.is_(True))
                                   .order_by(User.employee_no)))


def managers_of(user: User) -> list[User]:
    """The team leaders whose team includes `user`: managers of the person's unit or of a
    unit above it (a manager leads their own unit and everything under it)."""
    from lms.people.models import UserRole

    if user.org_unit is None:
        return []
    ids = [int(p) for p in user.org_unit.path.strip("/").split("/") if p]
    return [m for m in db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == "manager", User.active.is_(True), User.org_unit_id.in_(ids),
               User.id != user.id).order_by(User.employee_no))]
