"""Reading one's in-app notifications."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Select, func, select, update

from lms.extensions import db
from lms.notifications.models import Notification
from lms.people.models import User


def query(user: User) -> Select:
    return select(Notification).where(Notification.user_id == user.id).order_by(
        Notification.created_at.desc(), Notification.id.desc())


def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def mark_all_read(user: User) -> None:
    db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(
        read_at=datetime.now(UTC)))
    db.session.commit()
