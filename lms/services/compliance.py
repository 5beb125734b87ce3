"""HR's view of certifications: counts, expiring awards, gaps against job-role requirements,
and the people × certifications matrix — for the whole company or one unit's subtree."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, and_, func, select

from ..extensions import db
from ..models import Award, Certification, JobRole, OrgUnit, RoleRequirement, User
from .accounts import as_utc
from .org import subtree_ids


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


def counts_by_state(f: Filters, at: datetime | None = None) -> dict[str, int]:
    at = at or datetime.now(UTC)
    # One row per distinct (status, expiry date, window): few, whatever the number of awards.
    stmt = (select(func.count(Award.id), Award.status, Award.expires_at,
                   Certification.recert_window_days)
            .join(Certification).where(Award.user_id.in_(_people_ids(f)),
                                       Award.status.in_(("active", "revoked")))
            .group_by(Award.status, Award.expires_at, Certification.recert_window_days))
    if f.certification is not None:
        stmt = stmt.where(Award.certification_id == f.certification.id)
    counts: Counter[str] = Counter()
    for n, status, expires, window in db.session.execute(stmt):
        counts[_state(status, expires, window, at)] += n
    return {k: counts.get(k, 0) for k in ("valid", "expiring", "expired", "revoked")}


def _state(status: str, expires, window: int, at: datetime) -> str:
    if status != "active":
        return status
    if expires is None:
        return "valid"
    expires = as_utc(expires)
    if expires <= at:
        return "expired"
    return "expiring" if expires - timedelta(days=window) <= at else "valid"


def counts_by_unit(f: Filters, at: datetime | None = None) -> list[tuple[OrgUnit, int, int]]:
    """(unit, people, people holding a valid award of the filtered certification or any)."""
    at = at or datetime.now(UTC)
    valid = and_(Award.status == "active",
                 (Award.expires_at.is_(None)) | (Award.expires_at > at))
    if f.certification is not None:
        valid = and_(valid, Award.certification_id == f.certification.id)
    holders = (select(Award.user_id).where(valid).distinct()).subquery()
    stmt = (select(User.org_unit_id, func.count(User.id),
                   func.count(holders.c.user_id))
            .outerjoin(holders, holders.c.user_id == User.id)
            .where(User.id.in_(_people_ids(f)), User.org_unit_id.is_not(None))
            .group_by(User.org_unit_id))
    rows = db.session.execute(stmt).all()
    units = {u.id: u for u in db.session.scalars(select(OrgUnit).where(
        OrgUnit.id.in_([r[0] for r in rows])))} if rows else {}
    return sorted(((units[uid], n, h) for uid, n, h in rows), key=lambda r: r[0].path)


@dataclass
class Expiring:
    award: Award
    user: User
    days_left: int


def expiring(f: Filters, days: int, at: datetime | None = None) -> list[Expiring]:
    at = at or datetime.now(UTC)
    stmt = (select(Award, User).join(User, User.id == Award.user_id)
            .where(Award.user_id.in_(_people_ids(f)), Award.status == "active",
                   Award.expires_at > at, Award.expires_at <= at + timedelta(days=days))
            .order_by(Award.expires_at))
    if f.certification is not None:
        stmt = stmt.where(Award.certification_id == f.certification.id)
    return [Expiring(a, u, max(0, (as_utc(a.expires_at) - at).days))
            for a, u in db.session.execute(stmt.limit(2000))]


@dataclass
class Gap:
    user: User
    missing: list[Certification] = field(default_factory=list)


def missing_required(f: Filters, at: datetime | None = None, limit: int = 500) -> list[Gap]:
    """People whose job role requires a certification they do not validly hold."""
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
    people = db.session.scalars(people_query(f).where(
        User.job_role_id.in_(list(needed)))).all()
    held = set(db.session.execute(select(Award.user_id, Award.certification_id).where(
        Award.user_id.in_([p.id for p in people]), Award.status == "active",
        (Award.expires_at.is_(None)) | (Award.expires_at > at))).all()) if people else set()
    gaps = []
    for person in people:
        missing = [c for c in needed[person.job_role_id] if (person.id, c.id) not in held]
        if missing:
            gaps.append(Gap(person, missing))
            if len(gaps) >= limit:
                break
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
        for award in db.session.scalars(select(Award).where(
                Award.user_id.in_([p.id for p in people]),
                Award.certification_id.in_([c.id for c in certs]))):
            st = _state(award.status, award.expires_at, award.certification.recert_window_days,
                        at)
            key = (award.user_id, award.certification_id)
            if rank.get(st, 0) > rank.get(cells.get(key, ""), -1):
                cells[key] = st
    return Matrix(certs, [(p, [cells.get((p.id, c.id), "") for c in certs]) for p in people])


def all_certifications() -> list[Certification]:
    return list(db.session.scalars(select(Certification).where(Certification.active.is_(True))
                                   .order_by(Certification.code)))


def export_rows(f: Filters, at: datetime | None = None):
    """Every award of the filtered people, streamed for CSV/XLSX export."""
    at = at or datetime.now(UTC)
    stmt = (select(User.employee_no, User.name, OrgUnit.name_zh, Certification.code,
                   Certification.name_zh, Award.status, Award.issued_at, Award.expires_at,
                   Certification.recert_window_days, Award.verification_code)
            .join(User, User.id == Award.user_id).join(Certification)
            .outerjoin(OrgUnit, OrgUnit.id == User.org_unit_id)
            .where(Award.user_id.in_(_people_ids(f)), Award.status != "superseded")
            .order_by(User.employee_no, Certification.code)
            .execution_options(yield_per=1000))
    if f.certification is not None:
        stmt = stmt.where(Award.certification_id == f.certification.id)
    for no, name, unit, code, cname, status, issued, expires, window, vcode in \
            db.session.execute(stmt):
        yield [no, name, unit or "", code, cname, _state(status, expires, window, at),
               as_utc(issued).date().isoformat(),
               as_utc(expires).date().isoformat() if expires else "", vcode]


EXPORT_HEADER = ["employee_no", "name", "org_unit", "certification", "certification_name",
                 "state", "issued", "expires", "verification_code"]
