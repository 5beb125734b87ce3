"""How long notifications are kept: read ones go after `NOTIFICATIONS_KEEP_DAYS` (the
retention purge job runs this); unread ones stay until read."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete

from lms.core.clock import now
from lms.extensions import db
from lms.jobs.maintenance import purger
from lms.notifications.models import Notification


@purger("notifications")
def purge_read(config: Any) -> int:
    cutoff = now() - timedelta(days=int(config.get("NOTIFICATIONS_KEEP_DAYS", 365)))
    return cast("CursorResult[Any]", db.session.execute(
        delete(Notification).where(Notification.read_at.is_not(None),
                                   Notification.created_at < cutoff),
        execution_options={"synchronize_session": False})).rowcount
