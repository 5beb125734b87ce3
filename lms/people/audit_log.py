"""Reading the audit log (written through lms.core.audit.record)."""

from __future__ import annotations

from sqlalchemy import Select, select

from lms.core.audit import AuditEvent
from lms.people.models import User


def events_query(action: str | None = None, actor_no: str | None = None) -> Select:

    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor_no:
        stmt = stmt.join(User, AuditEvent.actor_id == User.id).where(
            User.employee_no == actor_no)
    return stmt
