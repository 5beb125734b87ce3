"""Training hours (学时): the one rule that turns completed learning into hours.

- An online course credits its lessons' minutes, on the day it is completed.
- A practice scenario credits PRACTICE_MINUTES once per scenario and period, the first time
  a run of it in assessment mode is finished in that period.
- A classroom session attended (records/classes.py) credits its minutes, on its day.
- A certification credits nothing itself: the courses and drills behind it already did.
- One 学时 is HOUR_MINUTES (45) minutes; a person's hours are their minutes / 45, rounded to
  one decimal (rounded once, on the total, so the report and the file agree).

Everything here runs a fixed number of queries whatever the number of people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, select

from lms.catalog.learning_models import Enrollment
from lms.catalog.models import Lesson
from lms.extensions import db
from lms.practice.models import SimulationRun
from lms.records.models import Attendance, ClassSession

HOUR_MINUTES = 45
PRACTICE_MINUTES = 45


def to_hours(minutes: float) -> float:
    return round(minutes / HOUR_MINUTES, 1)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in UTC — the calendar days of the organisation's zone."""
    try:
        from flask_babel import get_timezone

        zone = get_timezone()
    except RuntimeError:  # outside a request: UTC
        zone = UTC
    lo = datetime.combine(start, time.min, tzinfo=zone).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    return lo, hi


def course_minutes_sq():
    return (select(Lesson.course_id.label("course_id"),
                   func.coalesce(func.sum(Lesson.minutes), 0).label("minutes"))
            .group_by(Lesson.course_id).subquery())


@dataclass
class Totals:
    courses: int = 0
    course_minutes: int = 0
    drills: int = 0
    last: datetime | None = None
    class_minutes: int = 0
    sessions: int = 0

    @property
    def practice_minutes(self) -> int:
        return self.drills * PRACTICE_MINUTES

    @property
    def minutes(self) -> int:
        return self.course_minutes + self.practice_minutes + self.class_minutes

    @property
    def class_hours(self) -> float:
        return to_hours(self.class_minutes)

    @property
    def course_hours(self) -> float:
        return to_hours(self.course_minutes)

    @property
    def practice_hours(self) -> float:
        return to_hours(self.practice_minutes)

    @property
    def hours(self) -> float:
        return to_hours(self.minutes)


def totals(people: Select | Iterable[int], start: date, end: date) -> dict[int, Totals]:
    """user id → what they completed in [start, end] (people with nothing are absent)."""
    lo, hi = period_bounds(start, end)
    ids = people if isinstance(people, Select) else list(people)
    minutes = course_minutes_sq()
    out: dict[int, Totals] = {}
    for uid, n, m, last in db.session.execute(
            select(Enrollment.user_id, func.count(Enrollment.id),
                   func.coalesce(func.sum(minutes.c.minutes), 0),
                   func.max(Enrollment.completed_at))
            .outerjoin(minutes, minutes.c.course_id == Enrollment.course_id)
            .where(Enrollment.user_id.in_(ids), Enrollment.completed_at >= lo,
                   Enrollment.completed_at < hi)
            .group_by(Enrollment.user_id)):
        out[uid] = Totals(int(n), int(m or 0), 0, last)
    for uid, drills, last in db.session.execute(
            select(SimulationRun.user_id, func.count(func.distinct(SimulationRun.scenario_id)),
                   func.max(SimulationRun.finished_at))
            .where(SimulationRun.user_id.in_(ids), SimulationRun.mode == "assessment",
                   SimulationRun.status == "finished", SimulationRun.finished_at >= lo,
                   SimulationRun.finished_at < hi)
            .group_by(SimulationRun.user_id)):
        t = out.setdefault(uid, Totals())
        t.drills = int(drills)
        _later(t, last)
    for uid, n, m, last in db.session.execute(
            select(Attendance.user_id, func.count(Attendance.id),
                   func.coalesce(func.sum(ClassSession.minutes), 0),
                   func.max(ClassSession.starts_at))
            .join(ClassSession, ClassSession.id == Attendance.session_id)
            .where(Attendance.user_id.in_(ids), ClassSession.starts_at >= lo,
                   ClassSession.starts_at < hi)
            .group_by(Attendance.user_id)):
        t = out.setdefault(uid, Totals())
        t.sessions, t.class_minutes = int(n), int(m or 0)
        _later(t, last)
    return out


def _later(t: Totals, last: datetime | None) -> None:
    if last is not None and (t.last is None or _utc(last) > _utc(t.last)):
        t.last = last


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
