"""Writing and reading the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from lms.extensions import db
from lms.people.models import User
from lms.people.security_models import AuditEvent


def record(action: str, *, actor: User | None = None, target: Any = None, ip: str = "",
           **details: Any) -> AuditEvent:
    """Add an audit event to the session (the caller's commit writes it)."""
    target_type, target_id = "", ""
    if isinstance(target, User):
        target_type, target_id = "user", target.employee_no
    elif target is not None:
        target_type = type(target).__name__.lower()
        target_id = str(getattr(target, "code", None) or getattr(target, "id", ""))
    event = AuditEvent(action=action, actor_id=actor.id if actor else None,
                       target_type=target_type, target_id=target_id, ip=ip or "",
                       details={k: v for k, v in details.items() if v is not None})
    db.session.add(event)
    return event


def events_query(action: str | None = None, actor_no: str | None = None) -> Select:
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor_no:
        stmt = stmt.join(User, AuditEvent.actor_id == User.id).where(
            User.employee_no == actor_no)
    return stmt


ACTIONS = (
    "login", "login_failed", "login_throttled", "logout", "password_changed",
    "password_reset", "user_created", "user_updated", "user_deactivated", "user_reactivated",
    "roles_changed", "job_role_changed", "org_unit_created", "org_unit_updated",
    "job_role_created", "job_role_updated", "course_imported", "course_assigned",
    "certification_defined", "certification_updated", "award_issued", "award_revoked",
    "awards_expired", "roster_imported", "rotation_planned", "rotation_cancelled",
    "rotation_completed", "api_token_created", "api_token_revoked",
    "role_path_saved",
    # trainer studio (target: the course)
    "course_created", "course_edited", "course_published", "course_draft_discarded",
    "course_archived", "course_restored", "course_editor_added", "course_editor_removed",
    "file_uploaded", "assignment_rule_created", "assignment_rule_removed",
)
