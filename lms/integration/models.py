"""The integration API's own records: access tokens, idempotency keys and xAPI statements."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Model, utcnow
from lms.people.models import User

API_SCOPES = ("read", "write")


class ApiToken(Model):
    """A bearer token for another system (HR, the data platform …).

    Only the sha256 of the secret is stored; the secret is shown once, when it is made.
    `prefix` (also part of the secret) names the token in lists, logs and rate limits.
    """

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Every token expires (tokens made before expiry existed: see tokens.expires_at()).
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    created_by: Mapped[User | None] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}>"


class IdempotencyKey(Model):
    """A write the caller named with its own external id: replaying the same request returns
    the stored answer; the same id with a different request is refused."""

    __tablename__ = "api_idempotency_keys"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(32))  # which kind of write, e.g. "enrollments"
    key: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[str] = mapped_column(String(64))  # sha256 of the canonical request
    status_code: Mapped[int | None] = mapped_column()
    response: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id",
                                                           ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class XapiStatement(Model):
    """One learning record as an xAPI statement, written once in the transaction of the
    learning event it records, and forwarded to an external LRS later when one is set."""

    __tablename__ = "xapi_statements"
    __table_args__ = (
        Index("ix_xapi_statements_forward_due", "forwarded_at", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)  # a UUID
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    verb: Mapped[str] = mapped_column(String(255), index=True)  # the verb IRI
    actor: Mapped[dict[str, Any]] = mapped_column(JSON)
    object: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    context: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    timestamp: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    stored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                index=True)
    forwarded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    forward_attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(String(500), default="")

    user: Mapped[User] = relationship()


__all__ = ["API_SCOPES", "ApiToken", "IdempotencyKey", "XapiStatement"]
