"""The database handle and small helpers shared by the model modules.

`db` lives here (not in lms/extensions.py, which re-exports it) so that the shared kernel
imports nothing above it. Its session is `FollowUpSession` (lms/core/events.py).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from lms.core.events import FollowUpSession

# Named constraints so Alembic migrations are stable on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base, session_options={"class_": FollowUpSession})

# The base class of every model. Flask-SQLAlchemy builds `db.Model` at run time (adding the
# table-name and bind helpers); the type checker sees the declarative base it extends.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_public_id() -> str:
    """An unguessable identifier for URLs (never the integer primary key)."""
    return secrets.token_urlsafe(12)


def commit_keeping_loaded() -> None:
    """Commit without expiring what the session holds: for a response that streams after
    the commit (an export whose audit record is written first), whose generator reads
    objects loaded before it — the request's session may be gone by the time it runs."""
    session = db.session()
    before = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = before
