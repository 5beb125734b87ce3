"""Progress of many people in many courses: the team view, a course's learners, training
files. Percent and status follow the one rule in `progress` (lessons plus required parts,
through the requirement registry); a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload

from lms.catalog.learning_models import Enrollment, LessonProgress
from lms.catalog.models import Course, Lesson
from lms.catalog.progress import _parts, enrollment_status
from lms.core import requirements
from lms.extensions import db
from lms.people.models import User

STATUSES = ("not_started", "in_progress", "completed", "overdue")


@dataclass
class ProgressRow:
    enrollment: Enrollment
    user: User
    course: Course
    percent: int
    status: str  # not_started | in_progress | completed | overdue

    @property
    def started(self) -> bool:
        return self.percent > 0 or self.enrollment.last_lesson_id is not None \
            or self.enrollment.completed_at is not None

    @property
    def completed_at(self) -> datetime | None:
        return self.enrollment.completed_at

    @property
    def due_date(self) -> date | None:
        return self.enrollment.due_date


def progress_rows(user_ids: list[int] | None = None, course_id: int | None = None,
                  today: date | None = None, only_assigned: bool = False) -> list[ProgressRow]:
    """One row per enrolment of the given people (and/or of one course), ordered by person
    then course code."""
    today = today or date.today()
    stmt = (select(Enrollment).join(User, User.id == Enrollment.user_id)
            .join(Course, Course.id == Enrollment.course_id)
            .options(joinedload(Enrollment.user).options(lazyload(User.org_unit),
                                                         lazyload(User.job_role),
                                                         lazyload(User.role_rows)))
            .order_by(User.employee_no, Course.code))
    if user_ids is not None:
        if not user_ids:
            return []
        stmt = stmt.where(Enrollment.user_id.in_(user_ids))
    if course_id is not None:
        stmt = stmt.where(Enrollment.course_id == course_id)
    if only_assigned:
        stmt = stmt.where(Enrollment.source != "self")
    enrollments = list(db.session.scalars(stmt).unique())
    if not enrollments:
        return []
    course_ids = sorted({e.course_id for e in enrollments})
    people = sorted({e.user_id for e in enrollments})
    totals = dict(db.session.execute(select(Lesson.course_id, func.count(Lesson.id)).where(
        Lesson.course_id.in_(course_ids)).group_by(Lesson.course_id)).all())
    done = {(u, c): n for u, c, n in db.session.execute(
        select(LessonProgress.user_id, LessonProgress.course_id, func.count(LessonProgress.id))
        .where(LessonProgress.user_id.in_(people), LessonProgress.course_id.in_(course_ids))
        .group_by(LessonProgress.user_id, LessonProgress.course_id))}
    parts = _parts(course_ids)
    outcomes = requirements.check_many(people, [p.requirement for ps in parts.values()
                                                for p in ps])
    rows = []
    for e in enrollments:
        if e.completed_at is not None:
            percent = 100
        else:
            required = [p for p in parts.get(e.course_id, []) if p.required]
            units = totals.get(e.course_id, 0) + len(required)
            got = min(done.get((e.user_id, e.course_id), 0), totals.get(e.course_id, 0)) + sum(
                1 for p in required if outcomes[(e.user_id, p.requirement)].met)
            percent = int(round(100 * got / units)) if units else 0
        rows.append(ProgressRow(e, e.user, e.course, percent,
                                enrollment_status(e, percent, today)))
    return rows


def summary(rows: list[ProgressRow]) -> dict[str, int]:
    """How many rows are in each status, plus `assigned` (not self-enrolled) and `started`."""
    counts = Counter(r.status for r in rows)
    out = {s: counts.get(s, 0) for s in STATUSES}
    out["assigned"] = sum(1 for r in rows if r.enrollment.source != "self")
    out["started"] = sum(1 for r in rows if r.started)
    out["total"] = len(rows)
    return out


def by_user(rows: list[ProgressRow]) -> dict[int, list[ProgressRow]]:
    out: dict[int, list[ProgressRow]] = {}
    for r in rows:
        out.setdefault(r.user.id, []).append(r)
    return out


def assignable_courses() -> list[Course]:
    return list(db.session.scalars(select(Course).where(Course.status == "published")
                                   .order_by(Course.code)))


def remind(rows: list[ProgressRow], actor: User) -> int:
    """Remind everyone whose row is not completed (in-app, and by e-mail when mail is set
    up). Returns how many were reminded. The caller commits."""
    from flask_babel import lazy_gettext as _l

    from lms.core import audit
    from lms.notifications.notify import notify

    pending = [r for r in rows if r.status != "completed"]
    for r in pending:
        due = r.due_date.isoformat() if r.due_date else "—"
        notify(r.user, "reminder",
               str(_l("Reminder: finish %(t)s (due %(d)s)", t=r.course.title_zh, d=due)),
               str(_l("You have done %(p)d%% so far.", p=r.percent)),
               link=f"/learn/courses/{r.course.code}")
    if pending:
        audit.record("course_reminder_sent", actor=actor, target=pending[0].course,
                     people=len(pending))
    return len(pending)
