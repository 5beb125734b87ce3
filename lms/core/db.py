"""Small helpers shared by the model modules."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_public_id() -> str:
    """An unguessable identifier for URLs (never the integer primary key)."""
    return secrets.token_urlsafe(12)
