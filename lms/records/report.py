"""The training-hours report: hours per person and per unit (rolled up to parent units) in
a period, with who is below a target — on the page and as an export with one row per
person, people with nothing included."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, lazyload

from lms.extensions import db
from lms.i18n import localized
from lms.people.models import JobRole, OrgUnit, User
from lms.people.org import rollup, subtree_ids
from lms.records import hours as rules


@dataclass
class Filters:
    start: date
    end: date
    unit: OrgUnit | None = None
    job_role: JobRole | None = None
    target: float | None = None  # hours a person should reach in the period (the filter)
    # The yearly requirements HR set (records/targets.py), used when no target is given.
    general: float | None = None
    per_role: dict[int, float] = field(default_factory=dict)

    def target_for(self, role_id: int | None) -> float | None:
        if self.target is not None:
            return self.target
        from lms.records.targets import for_role

        return for_role(role_id, self.general, self.per_role)

    @property
    def has_target(self) -> bool:
        return self.target is not None or self.general is not None or bool(self.per_role)


def people_query(f: Filters) -> Select:
    stmt = select(User).where(User.active.is_(True)).order_by(User.employee_no)
    if f.unit is not None:
        stmt = stmt.where(User.org_unit_id.in_(subtree_ids(f.unit)))
    if f.job_role is not None:
        stmt = stmt.where(User.job_role_id == f.job_role.id)
    return stmt


def _ids(f: Filters) -> Select:
    return people_query(f).with_only_columns(User.id).order_by(None)


def person_totals(f: Filters, users: list[User]) -> dict[int, rules.Totals]:
    found = rules.totals([u.id for u in users], f.start, f.end) if users else {}
    return {u.id: found.get(u.id, rules.Totals()) for u in users}


@dataclass
class UnitRow:
    unit: OrgUnit
    people: int
    hours: float
    behind: int

    @property
    def average(self) -> float:
        return round(self.hours / self.people, 1) if self.people else 0.0


def by_unit(f: Filters) -> list[UnitRow]:
    """Each unit with its people and hours, sub-units included (roll-up)."""
    found = rules.totals(_ids(f), f.start, f.end)
    own: dict[int, list[float]] = {}
    for uid, unit_id, role_id in db.session.execute(
            _ids(f).add_columns(User.org_unit_id, User.job_role_id)):
        if unit_id is None:
            continue
        hours = found[uid].hours if uid in found else 0.0
        target = f.target_for(role_id)
        behind = 1.0 if target is not None and hours < target else 0.0
        row = own.setdefault(unit_id, [0.0, 0.0, 0.0])
        row[0] += 1
        row[1] += hours
        row[2] += behind
    return [UnitRow(u, int(n), round(h, 1), int(b))
            for u, (n, h, b) in rollup(own, f.unit, width=3)]


def summary(f: Filters) -> dict[str, float]:
    found = rules.totals(_ids(f), f.start, f.end)
    people = behind = 0
    for uid, role_id in db.session.execute(_ids(f).add_columns(User.job_role_id)):
        people += 1
        target = f.target_for(role_id)
        if target is not None and (found[uid].hours if uid in found else 0.0) < target:
            behind += 1
    total = round(sum(t.hours for t in found.values()), 1)
    return {"people": people, "hours": total, "with_hours": len(found),
            "average": round(total / people, 1) if people else 0.0,
            "behind": behind if f.has_target else -1}


def export_header() -> list[str]:
    return [str(h) for h in (
        _l("Employee number"), _l("Name"), _l("Org unit"), _l("Job role"),
        _l("Courses completed"), _l("Course hours"), _l("Practice drills"),
        _l("Practice hours"), _l("Class sessions attended"), _l("Class hours"),
        _l("Training hours"), _l("Required hours"), _l("Last completed on"),
        _l("Period start"), _l("Period end"))]


def export_rows(f: Filters) -> Iterator[list]:
    from flask_babel import to_user_timezone

    from lms.core.clock import as_utc

    ids = list(db.session.scalars(people_query(f).with_only_columns(User.id)))
    for i in range(0, len(ids), 500):
        users = list(db.session.scalars(
            select(User).where(User.id.in_(ids[i:i + 500])).order_by(User.employee_no)
            .options(joinedload(User.org_unit), joinedload(User.job_role),
                     lazyload(User.role_rows))).unique())
        found = person_totals(f, users)
        for u in users:
            t = found[u.id]
            last = to_user_timezone(as_utc(t.last)).date() if t.last else None
            yield [u.employee_no, u.name, localized(u.org_unit, "name") if u.org_unit else "",
                   localized(u.job_role, "name") if u.job_role else "", t.courses,
                   t.course_hours, t.drills, t.practice_hours, t.sessions, t.class_hours,
                   t.hours, f.target_for(u.job_role_id), last, f.start, f.end]
