"""The course catalogue: courses, modules, lessons, and the extra parts a course requires."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Model, utcnow

COURSE_STATUSES = ("draft", "published", "archived")
CATEGORIES = ("digital-tools", "service", "data", "security", "energy", "dispatch")


class Course(Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    version: Mapped[int] = mapped_column(default=1)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    summary_zh: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(32), index=True)
    audience: Mapped[list[str]] = mapped_column(JSON, default=list)
    estimated_minutes: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    # Fingerprint of the imported package, so a re-import of the same files changes nothing.
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    # Studio edits not yet published: the package as data (services/studio.py). Deferred so
    # that lists of courses do not load it.
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True, deferred=True)
    draft_updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)

    modules: Mapped[list[Module]] = relationship(
        back_populates="course", order_by="Module.position", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Course {self.code} v{self.version}>"


class Module(Model):
    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    position: Mapped[int] = mapped_column(default=0)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))

    course: Mapped[Course] = relationship(back_populates="modules")
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="module", order_by="Lesson.position", cascade="all, delete-orphan")


class Lesson(Model):
    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"),
                                           index=True)
    # Stable key within the course (the lesson file's name); progress follows it.
    slug: Mapped[str] = mapped_column(String(80))
    # Order within the whole course (module order, then lesson order).
    position: Mapped[int] = mapped_column(default=0)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    body_md: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[int] = mapped_column(default=10)
    # The bank tag that tests this lesson (course package `topic:`); None when not given.
    topic: Mapped[str | None] = mapped_column(String(64), nullable=True)

    module: Mapped[Module] = relationship(back_populates="lessons")


class CourseRequirement(Model):
    """A part besides the lessons that completing the course needs: a quiz or a practice run.

    `ref` names the part (a quiz key of this course, or a scenario code); the progress
    service knows how to tell whether a learner has passed each kind.
    """

    __tablename__ = "course_requirements"
    __table_args__ = (UniqueConstraint("course_id", "kind", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    kind: Mapped[str] = mapped_column(String(16))  # quiz | scenario
    ref: Mapped[str] = mapped_column(String(64))
    required: Mapped[bool] = mapped_column(default=True)
    pass_score: Mapped[float | None] = mapped_column()
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
