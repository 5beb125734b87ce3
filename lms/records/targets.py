"""Yearly training-hours requirements: one for everyone, and per job role (which wins)."""

from __future__ import annotations

from sqlalchemy import select

from lms.core import audit
from lms.extensions import db
from lms.people.models import User
from lms.records.models import HoursTarget


def current() -> tuple[float | None, dict[int, float]]:
    """(the general requirement, {job role id: its requirement})."""
    general, per_role = None, {}
    for t in db.session.scalars(select(HoursTarget)):
        if t.job_role_id is None:
            general = t.hours
        else:
            per_role[t.job_role_id] = t.hours
    return general, per_role


def for_role(role_id: int | None, general: float | None,
             per_role: dict[int, float]) -> float | None:
    if role_id is not None and role_id in per_role:
        return per_role[role_id]
    return general


def save(general: float | None, per_role: dict[int, float | None], actor: User) -> None:
    """Replace the requirements: None (or empty) removes one."""
    rows = {t.job_role_id: t for t in db.session.scalars(select(HoursTarget))}
    wanted: dict[int | None, float | None] = {None: general}
    for role_id, hours in per_role.items():
        wanted[role_id] = hours
    for key, hours in wanted.items():
        row = rows.get(key)
        if hours is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(HoursTarget(job_role_id=key, hours=hours,
                                       updated_by_id=actor.id))
        else:
            row.hours, row.updated_by_id = hours, actor.id
    audit.record("training_hours_targets_saved", actor=actor, general=general,
                 per_role={str(k): v for k, v in per_role.items() if v is not None})
    db.session.commit()
