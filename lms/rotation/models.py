"""Job rotation plans (岗位轮换). Readiness is derived from the target role's requirements,
never stored."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Model, new_public_id, utcnow
from lms.people.models import JobRole, User

PLAN_STATUSES = ("active", "moved", "cancelled")


class RotationPlan(Model):
    __tablename__ = "rotation_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    from_role_id: Mapped[int | None] = mapped_column(ForeignKey("job_roles.id"))
    to_role_id: Mapped[int] = mapped_column(ForeignKey("job_roles.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date, index=True)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                    ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    mentor: Mapped[User | None] = relationship(foreign_keys=[mentor_id], lazy="joined")
    from_role: Mapped[JobRole | None] = relationship(foreign_keys=[from_role_id],
                                                        lazy="joined")
    to_role: Mapped[JobRole] = relationship(foreign_keys=[to_role_id], lazy="joined")
