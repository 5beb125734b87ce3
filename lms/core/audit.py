"""Writing and reading the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Model, db, utcnow

if TYPE_CHECKING:
    from lms.people.models import User


class AuditEvent(Model):
    """A security- or HR-relevant action: who did what to whom, when, from where."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str] = mapped_column(String(32), default="")
    target_id: Mapped[str] = mapped_column(String(64), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship("User", lazy="joined")


def record(action: str, *, actor: User | None = None, target: Any = None, ip: str = "",
           **details: Any) -> AuditEvent:
    """Add an audit event to the session (the caller's commit writes it). Inside a request
    the client's address is recorded unless the caller gave one."""
    if not ip:
        from flask import has_request_context, request

        if has_request_context():
            ip = request.remote_addr or ""
    target_type, target_id = "", ""
    if getattr(target, "employee_no", None):  # a person: named by employee number
        target_type, target_id = "user", target.employee_no
    elif target is not None:
        target_type = type(target).__name__.lower()
        target_id = str(getattr(target, "code", None) or getattr(target, "id", ""))
    event = AuditEvent(action=action, actor_id=actor.id if actor else None,
                       target_type=target_type, target_id=target_id, ip=ip or "",
                       details={k: v for k, v in details.items() if v is not None})
    db.session.add(event)
    return event


ACTIONS = (
    "login", "login_failed", "login_throttled", "logout", "password_changed",
    "password_reset", "user_created", "user_updated", "user_deactivated", "user_reactivated",
    "roles_changed", "job_role_changed", "org_unit_created", "org_unit_updated",
    "job_role_created", "job_role_updated", "course_imported", "course_assigned",
    "certification_defined", "certification_updated", "award_issued", "award_revoked",
    "awards_expired", "roster_imported", "rotation_planned", "rotation_cancelled",
    "rotation_completed", "api_token_created", "api_token_revoked",
    "role_path_saved",
    # certification (issue 16): holds, retiring, extra attempts
    "award_hold_lifted", "certification_retired", "certification_reinstated",
    "certification_evaluated", "attempts_granted", "attempts_reset",
    # trainer studio (target: the course)
    "course_created", "course_edited", "course_published", "course_draft_discarded",
    "course_archived", "course_restored", "course_editor_added", "course_editor_removed",
    "file_uploaded", "assignment_rule_created", "assignment_rule_removed",
)
