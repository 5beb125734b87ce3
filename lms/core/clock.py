"""Time: stored in UTC, shown in the organisation's zone (LMS_TIMEZONE)."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo


def now() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def add_months(start: datetime, months: int) -> datetime:
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


# --- showing times: always in the organisation's zone (LMS_TIMEZONE) -----------------------

DEFAULT_ZONE = "Asia/Shanghai"


def zone_name() -> str:
    from flask import current_app, has_app_context

    if has_app_context():
        return str(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_ZONE)
    return DEFAULT_ZONE


def zone() -> tzinfo:
    try:
        return ZoneInfo(zone_name())
    except (KeyError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def local(value: datetime) -> datetime:
    """A stored (UTC) time in the organisation's zone."""
    return as_utc(value).astimezone(zone())


def local_date(value: datetime | None) -> str:
    """The calendar date in the organisation's zone, e.g. "2026-12-08" ("" for None)."""
    return local(value).strftime("%Y-%m-%d") if value is not None else ""


def local_time(value: datetime | None) -> str:
    """Date and time of day in the organisation's zone, the zone named:
    "2026-12-08 07:30 Asia/Shanghai" ("" for None)."""
    if value is None:
        return ""
    return f"{local(value).strftime('%Y-%m-%d %H:%M')} {zone_name()}"
