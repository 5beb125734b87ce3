"""The trainer studio: who may edit a course, uploaded files, and rule-based assignments.

A course's unpublished edits live in `Course.draft` (the package as data); see
services/studio.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.catalog.models import Course
from lms.core.db import Model, new_public_id, utcnow
from lms.people.models import JobRole, OrgUnit, User

EDITOR_ROLES = ("owner", "editor")


class CourseEditor(Model):
    """A person who may change a course. Owners may also add and remove editors."""

    __tablename__ = "course_editors"
    __table_args__ = (UniqueConstraint("course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="editor")
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


class Upload(Model):
    """A file a trainer uploaded (an image or PDF for lessons). The bytes live under the
    instance folder as `name`, a random unguessable name with the checked type's extension."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses.id", ondelete="SET NULL"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    original_name: Mapped[str] = mapped_column(String(255), default="")
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AssignmentRule(Model):
    """"Everyone in this org unit (and its sub-units) / in this job role takes this course,
    due N days after they join": applied now and to everyone who joins later."""

    __tablename__ = "assignment_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    org_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("org_units.id", ondelete="CASCADE"), index=True)
    include_subunits: Mapped[bool] = mapped_column(default=True)
    job_role_id: Mapped[int | None] = mapped_column(
        ForeignKey("job_roles.id", ondelete="CASCADE"), index=True)
    due_days: Mapped[int | None] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    course: Mapped[Course] = relationship(lazy="joined")
    org_unit: Mapped[OrgUnit | None] = relationship(lazy="joined")
    job_role: Mapped[JobRole | None] = relationship(lazy="joined")


__all__ = ["EDITOR_ROLES", "AssignmentRule", "CourseEditor", "Upload"]
