"""Classroom and on-site courses (培训班 / 实训): a class with its sessions, who is enrolled
(or waiting, or nominated), and attendance per session — which credits training hours and
satisfies the "class attended" requirement."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Model, new_public_id, utcnow
from lms.people.models import User

CLASS_STATUSES = ("open", "closed")
SEAT_STATUSES = ("enrolled", "waiting")


class TrainingClass(Model):
    __tablename__ = "training_classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="SET NULL"))
    capacity: Mapped[int] = mapped_column(default=30)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                    ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    sessions: Mapped[list[ClassSession]] = relationship(
        back_populates="training_class", order_by="ClassSession.starts_at",
        cascade="all, delete-orphan")


class ClassSession(Model):
    __tablename__ = "class_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"),
                                          index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    minutes: Mapped[int] = mapped_column(default=90)
    place: Mapped[str] = mapped_column(String(200), default="")
    trainer: Mapped[str] = mapped_column(String(100), default="")
    # Shown by the trainer in the room; learners type it to check in.
    checkin_code: Mapped[str] = mapped_column(String(12))

    training_class: Mapped[TrainingClass] = relationship(back_populates="sessions")


class ClassSeat(Model):
    """A person on a class: enrolled (a seat) or waiting for one; nominated when someone
    else put them there."""

    __tablename__ = "class_seats"
    __table_args__ = (UniqueConstraint("class_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"),
                                          index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="enrolled")
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                      ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class Attendance(Model):
    """A person was present at a session: by check-in code, or recorded by hand."""

    __tablename__ = "class_attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("class_sessions.id", ondelete="CASCADE"),
                                            index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(16), default="code")  # code | manual
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                     ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HoursTarget(Model):
    """The yearly training hours (学时) HR requires: of everyone (job_role_id NULL), or of
    the people in one job role (overrides the general one)."""

    __tablename__ = "training_hours_targets"
    __table_args__ = (UniqueConstraint("job_role_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_role_id: Mapped[int | None] = mapped_column(ForeignKey("job_roles.id",
                                                                  ondelete="CASCADE"))
    hours: Mapped[float] = mapped_column()
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                    ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)
