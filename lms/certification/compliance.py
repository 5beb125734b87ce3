"""HR's view of certifications: counts, expiring awards, gaps against job-role requirements,
and the people × certifications matrix — for the whole company or one unit's subtree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import lazyload

from lms.certification import state as award_state
from lms.certification.models import Award, Certification
from lms.core.clock import as_utc
from lms.extensions import db
from lms.people.models import JobRole, OrgUnit, RoleRequirement, User
from lms.people.org import subtree_ids


@dataclass
class Filters:
    unit: OrgUnit | None = None
    job_role: JobRole | None = None
    certification: Certification | None = None


def people_query(f: Filters) -> Select:
    stmt = select(User).where(User.active.is_(True)).order_by(User.employee_no)
    if f.unit is not None:
        stmt = stmt.where(User.org_unit_id.in_(subtree_ids(f.unit)))
    if f.job_role is not None:
        stmt = stmt.where(User.job_role_id == f.job_role.id)
    return stmt


def _people_ids(f: Filters):
    return people_query(f).with_only_columns(User.id).order_by(None)


def _people_where(f: Filters) -> list:
    """The filters as conditions on User (joined, rather than `IN (SELECT …)`)."""
    conds: list[ColumnElement[bool]] = [User.active.is_(True)]
    if f.unit is not None:
        conds.append(User.org_unit_id.in_(subtree_ids(f.unit)))
    if f.job_role is not None:
        conds.append(User.job_role_id == f.job_role.id)
    return conds


def _valid_award(at: datetime) -> list[ColumnElement[bool]]:
    return [award_state.counts_sql(at)]


def counts_by_state(f: Filters, at: datetime | None = None) -> dict[str, int]:
    at = at or datetime.now(UTC)
    # The state is decided in SQL (one row per state), whatever the number of awards. The
    # recertification window is per certification: one comparison per distinct window.
    state = award_state.state_sql(at, award_state.window_lengths()).label("state")
    stmt = (select(state).select_from(Award).join(Certification)
           .join(User, User.id == Award.user_id)
           .where(*_people_where(f), Award.status.in_(("active", "revoked"))))
    if f.certification is not None:
        stmt = stmt.where(Award.certification_id == f.certification.id)
    sub = stmt.subquery()
    counts: dict[str, int] = dict(db.session.execute(
        select(sub.c.state, func.count()).group_by(sub.c.state)).all())
    return {k: int(counts.get(k, 0)) for k in ("valid", "expiring", "expired", "revoked")}


@dataclass
class Expiring:
    name: str
    employee_no: str
    certification: str  # code
    expires_at: datetime
    days_left: int


def _expiring_where(f: Filters, days: int, at: datetime) -> list:
    conds = [*_people_where(f), Award.status == "active", Award.expires_at > at,
             Award.expires_at <= at + timedelta(days=days)]
    if f.certification is not None:
        conds.append(Award.certification_id == f.certification.id)
    return conds


def expiring(f: Filters, days: int, at: datetime | None = None,
             limit: int = 200) -> list[Expiring]:
    """The first `limit` awards expiring within `days`, soonest first: only the columns the
    list shows (the full list is the export; `count_expiring` gives its length)."""
    at = at or datetime.now(UTC)
    stmt = (select(User.name, User.employee_no, Certification.code, Award.expires_at)
            .select_from(Award).join(User, User.id == Award.user_id).join(Certification)
            .where(*_expiring_where(f, days, at)).order_by(Award.expires_at, Award.id))
    return [Expiring(name, no, code, as_utc(expires), max(0, (as_utc(expires) - at).days))
            for name, no, code, expires in db.session.execute(stmt.limit(limit))
            if expires is not None]


def count_expiring(f: Filters, days: int, at: datetime | None = None) -> int:
    at = at or datetime.now(UTC)
    return db.session.scalar(select(func.count(Award.id)).join(User, User.id == Award.user_id)
                             .where(*_expiring_where(f, days, at))) or 0


def _gap(f: Filters, at: datetime):
    """A correlated select: the person (User) lacks a required certification of their job
    role (the filtered certification, when there is one). Use `.exists()`."""
    held = (select(Award.id).where(Award.user_id == User.id,
                                   Award.certification_id == Certification.id,
                                   *_valid_award(at))
            .correlate(User, Certification))
    gap = (select(RoleRequirement.id).join(Certification,
                                           Certification.code == RoleRequirement.ref)
           .where(RoleRequirement.job_role_id == User.job_role_id,
                  RoleRequirement.kind == "certification", RoleRequirement.required.is_(True),
                  ~held.exists())
           .correlate(User))
    if f.certification is not None:
        gap = gap.where(Certification.id == f.certification.id)
    return gap


@dataclass
class UnitCompliance:
    unit: OrgUnit
    people: int
    compliant: int  # hold every certification their job role requires
    holding: int  # hold a valid award (of the filtered certification, or any)

    @property
    def percent(self) -> float:
        return round(100 * self.compliant / self.people, 1) if self.people else 0.0


def compliance_by_unit(f: Filters, at: datetime | None = None) -> list[UnitCompliance]:
    """People, compliant people and holders per unit, each unit including its sub-units
    (rolled up to the parents), in tree order — one grouped query."""
    from lms.people.org import rollup

    at = at or datetime.now(UTC)
    holds = select(Award.id).where(Award.user_id == User.id, *_valid_award(at))
    if f.certification is not None:
        holds = holds.where(Award.certification_id == f.certification.id)
    stmt = (select(User.org_unit_id, func.count(User.id),
                   func.sum(case((_gap(f, at).exists(), 0), else_=1)),
                   func.sum(case((holds.exists(), 1), else_=0)))
            .where(*_people_where(f), User.org_unit_id.is_not(None))
            .group_by(User.org_unit_id))
    own = {uid: [float(n), float(c or 0), float(h or 0)]
           for uid, n, c, h in db.session.execute(stmt)}
    return [UnitCompliance(u, int(n), int(c), int(h))
            for u, (n, c, h) in rollup(own, f.unit, width=3)]


@dataclass
class Gap:
    user: User
    missing: list[Certification] = field(default_factory=list)


def missing_required(f: Filters, at: datetime | None = None, limit: int = 500) -> list[Gap]:
    """People whose job role requires a certification they do not validly hold (the first
    `limit` by employee number; found in SQL, so only they are loaded)."""
    at = at or datetime.now(UTC)
    reqs = db.session.execute(select(RoleRequirement.job_role_id, Certification).join(
        Certification, Certification.code == RoleRequirement.ref).where(
        RoleRequirement.kind == "certification", RoleRequirement.required.is_(True))).all()
    needed: dict[int, list[Certification]] = defaultdict(list)
    for role_id, cert in reqs:
        if f.certification is None or cert.id == f.certification.id:
            needed[role_id].append(cert)
    if not needed:
        return []
    gap = _gap(f, at)
    # Scanned in employee-number order, stopping at `limit`; the page shows name, number and
    # job role only.
    people = db.session.scalars(people_query(f).where(gap.exists()).options(
        lazyload(User.org_unit), lazyload(User.role_rows)).limit(limit)).all()
    held_pairs = set(db.session.execute(select(Award.user_id, Award.certification_id).where(
        Award.user_id.in_([p.id for p in people]), *_valid_award(at))).all()) \
        if people else set()
    gaps = []
    for person in people:
        missing = [c for c in needed[person.job_role_id] if (person.id, c.id) not in held_pairs]
        if missing:
            gaps.append(Gap(person, missing))
    return gaps


@dataclass
class Matrix:
    certifications: list[Certification]
    rows: list[tuple[User, list[str]]]  # state per certification, "" when never held


def matrix(people: list[User], certs: list[Certification],
           at: datetime | None = None) -> Matrix:
    at = at or datetime.now(UTC)
    cells: dict[tuple[int, int], str] = {}
    if people and certs:
        rank = {"valid": 5, "expiring": 4, "expired": 2, "revoked": 1, "superseded": 0}
        for user_id, cert_id, status, expires, window in db.session.execute(
                select(Award.user_id, Award.certification_id, Award.status, Award.expires_at,
                       Certification.recert_window_days).join(Certification).where(
                    Award.user_id.in_([p.id for p in people]),
                    Award.certification_id.in_([c.id for c in certs]))):
            st = award_state.state_of(status, expires, window, at)
            key = (user_id, cert_id)
            if rank.get(st, 0) > rank.get(cells.get(key, ""), -1):
                cells[key] = st
    return Matrix(certs, [(p, [cells.get((p.id, c.id), "") for c in certs]) for p in people])


def all_certifications() -> list[Certification]:
    return list(db.session.scalars(select(Certification).where(Certification.active.is_(True))
                                   .order_by(Certification.code)))
