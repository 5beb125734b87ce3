"""Who may change a course: its owners and editors (trainers), and admins. Decided here, once:
`can_edit`; services call `require_edit` before any change."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.catalog.models import Course
from lms.core import audit
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User
from lms.studio.models import EDITOR_ROLES, CourseEditor


class NotAllowed(ServiceError):
    """The actor may not change this course."""


def editor_role(user: User | None, course: Course) -> str | None:
    if user is None or course.id is None:
        return None
    return db.session.scalar(select(CourseEditor.role).where(
        CourseEditor.course_id == course.id, CourseEditor.user_id == user.id))


def can_edit(user: User | None, course: Course) -> bool:
    """The one rule: admins, and the course's owners and editors (who are trainers)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.has_role("admin"):
        return True
    return user.has_role("trainer") and editor_role(user, course) is not None


def can_manage_editors(user: User | None, course: Course) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.has_role("admin") or (user.has_role("trainer")
                                      and editor_role(user, course) == "owner")


def require_edit(actor: User | None, course: Course) -> None:
    """Services call this before any change; `actor=None` is the system (CLI)."""
    if actor is not None and not can_edit(actor, course):
        raise NotAllowed(_l("Only the course's owners and editors may change it."))


def editable_course_ids(user: User) -> set[int] | None:
    """Ids of the courses `user` may change; None means all of them (admins)."""
    if user.has_role("admin"):
        return None
    if not user.has_role("trainer"):
        return set()
    return set(db.session.scalars(select(CourseEditor.course_id).where(
        CourseEditor.user_id == user.id)))


def grant(course: Course, user: User, role: str = "editor") -> CourseEditor:
    """Make `user` an owner/editor of `course` (no permission check; the caller commits)."""
    row = db.session.scalar(select(CourseEditor).where(
        CourseEditor.course_id == course.id, CourseEditor.user_id == user.id))
    if row is None:
        row = CourseEditor(course_id=course.id, user_id=user.id, role=role)
        db.session.add(row)
    else:
        row.role = role
    db.session.flush()
    return row


def editors(course: Course) -> list[CourseEditor]:
    return list(db.session.scalars(select(CourseEditor).where(
        CourseEditor.course_id == course.id).order_by(CourseEditor.role.desc(),
                                                      CourseEditor.added_at)))


def add_editor(course: Course, actor: User, employee_no: str, role: str) -> CourseEditor:
    if not can_manage_editors(actor, course):
        raise NotAllowed(_l("Only the course's owners may add editors."))
    if role not in EDITOR_ROLES:
        raise ServiceError(_l("Unknown role."), field="role")
    user = db.session.scalar(select(User).where(User.employee_no == employee_no.strip()))
    if user is None or not user.active:
        raise ServiceError(_l("No active user has this employee number."), field="employee_no")
    if not user.has_role("trainer", "admin"):
        raise ServiceError(_l("Only trainers can edit courses. Ask an administrator to give "
                              "this person the trainer role first."), field="employee_no")
    row = grant(course, user, role)
    audit.record("course_editor_added", actor=actor, target=course, change="editor_added",
                 item=user.employee_no, role=role)
    db.session.commit()
    return row


def remove_editor(course: Course, actor: User, public_id: str) -> None:
    if not can_manage_editors(actor, course):
        raise NotAllowed(_l("Only the course's owners may remove editors."))
    row = db.session.scalar(select(CourseEditor).where(CourseEditor.course_id == course.id,
                                                       CourseEditor.public_id == public_id))
    if row is None:
        raise ServiceError(_l("This person is not an editor of the course."))
    if row.role == "owner":
        owners = db.session.scalar(select(func.count(CourseEditor.id)).where(
            CourseEditor.course_id == course.id, CourseEditor.role == "owner")) or 0
        if owners <= 1:
            raise ServiceError(_l("A course keeps at least one owner."))
    employee_no = row.user.employee_no
    db.session.delete(row)
    audit.record("course_editor_removed", actor=actor, target=course, change="editor_removed",
                 item=employee_no)
    db.session.commit()
