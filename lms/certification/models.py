"""Skill certifications, what they require, and the awards people hold."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Model, utcnow
from lms.people.models import User

REQUIREMENT_KINDS = ("course", "quiz", "scenario", "certification")
AWARD_STATUSES = ("active", "revoked", "superseded")


def new_verification_code() -> str:
    """Unguessable, URL-safe and short enough to print under a QR code."""
    return secrets.token_urlsafe(18)


def new_badge_salt() -> str:
    return secrets.token_hex(12)


class Certification(Model):
    __tablename__ = "certifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_zh: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    validity_months: Mapped[int | None] = mapped_column()  # None = never expires
    recert_window_days: Mapped[int] = mapped_column(default=60)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    requirements: Mapped[list[CertRequirement]] = relationship(
        back_populates="certification", order_by="CertRequirement.position",
        cascade="all, delete-orphan", lazy="selectin")


class CertRequirement(Model):
    """One condition of a certification.

    kind=course: `ref` is a course code, completed. kind=quiz: `ref` is "<course code>/<quiz
    key>", best score ≥ min_score. kind=scenario: `ref` is a scenario code, an assessment-mode
    run scoring ≥ min_score. kind=certification: `ref` is another certification's code, held.
    """

    __tablename__ = "cert_requirements"

    id: Mapped[int] = mapped_column(primary_key=True)
    certification_id: Mapped[int] = mapped_column(
        ForeignKey("certifications.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str] = mapped_column(String(80))
    min_score: Mapped[float | None] = mapped_column()
    position: Mapped[int] = mapped_column(default=0)

    certification: Mapped[Certification] = relationship(back_populates="requirements")


class Award(Model):
    """A certification held by a person. At most one active award per person and
    certification (a partial unique index); expiry is `expires_at` passing."""

    __tablename__ = "awards"
    __table_args__ = (
        Index("uq_awards_one_active", "user_id", "certification_id", unique=True,
              postgresql_where=text("status = 'active'"),
              sqlite_where=text("status = 'active'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    verification_code: Mapped[str] = mapped_column(String(32), unique=True,
                                                   default=new_verification_code)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    certification_id: Mapped[int] = mapped_column(
        ForeignKey("certifications.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    source: Mapped[str] = mapped_column(String(16), default="auto")  # auto | manual
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                   ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoke_reason: Mapped[str] = mapped_column(String(500), default="")
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Open Badges: the salt hashing this recipient's e-mail (one per award, so hashes cannot
    # be reversed with one dictionary). None on awards issued before salts were per award:
    # they keep the old shared salt, so badges already handed out still verify.
    badge_salt: Mapped[str | None] = mapped_column(String(32), default=new_badge_salt)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    certification: Mapped[Certification] = relationship(lazy="joined")


class AwardHold(Model):
    """A revocation hold: while it is open, the person is not awarded the certification
    automatically again. HR lifts it with a reason; from then on only evidence dated after
    `placed_at` (the revocation) counts."""

    __tablename__ = "award_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    certification_id: Mapped[int] = mapped_column(
        ForeignKey("certifications.id", ondelete="CASCADE"), index=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"),
                                          index=True)
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    placed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                   ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(500), default="")
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                   ondelete="SET NULL"))
    lift_reason: Mapped[str] = mapped_column(String(500), default="")

    award: Mapped[Award] = relationship(foreign_keys=[award_id])


class AwardEvent(Model):
    """The history of an award: issued, reminded, renewed, expired, revoked, superseded,
    hold lifted, expiry notices."""

    __tablename__ = "award_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"),
                                          index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    action: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(500), default="")

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")
