"""A person's training file (培训档案): completed courses with their hours, quiz results,
practice drills and certificates — what the page, the print view and the export show."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.assessment.models import Attempt
from lms.catalog.learning_models import Enrollment
from lms.catalog.models import Course
from lms.certification import rules as certs
from lms.certification import state as award_state
from lms.certification.models import Award
from lms.core.clock import as_utc
from lms.extensions import db
from lms.people.models import User
from lms.practice.models import SimulationRun
from lms.records import hours as rules
from lms.records.models import Attendance, ClassSession


@dataclass
class CourseLine:
    course: Course
    completed_at: datetime
    minutes: int

    @property
    def hours(self) -> float:
        return rules.to_hours(self.minutes)


@dataclass
class TrainingFile:
    user: User
    courses: list[CourseLine] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    runs: list[SimulationRun] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    totals: rules.Totals = field(default_factory=rules.Totals)
    sessions: list[ClassSession] = field(default_factory=list)


def training_file(user: User, start: date | None = None, end: date | None = None) -> TrainingFile:
    """Everything `user` completed (in [start, end] when given, all time otherwise)."""
    start = start or date(2000, 1, 1)
    end = end or date(2999, 12, 31)
    lo, hi = rules.period_bounds(start, end)
    minutes = rules.course_minutes_sq()
    courses = [CourseLine(c, done, int(m or 0)) for c, done, m in db.session.execute(
        select(Course, Enrollment.completed_at, minutes.c.minutes)
        .join(Enrollment, Enrollment.course_id == Course.id)
        .outerjoin(minutes, minutes.c.course_id == Course.id)
        .where(Enrollment.user_id == user.id, Enrollment.completed_at >= lo,
               Enrollment.completed_at < hi)
        .order_by(Enrollment.completed_at))]
    attempts = list(db.session.scalars(select(Attempt).where(
        Attempt.user_id == user.id, Attempt.submitted_at.is_not(None),
        Attempt.submitted_at >= lo, Attempt.submitted_at < hi)
        .order_by(Attempt.submitted_at)))
    runs = list(db.session.scalars(select(SimulationRun).where(
        SimulationRun.user_id == user.id, SimulationRun.mode == "assessment",
        SimulationRun.status == "finished", SimulationRun.finished_at >= lo,
        SimulationRun.finished_at < hi).order_by(SimulationRun.finished_at)))
    awards = [a for a in certs.awards_of(user.id) if a.status != "superseded"]
    totals = rules.totals([user.id], start, end).get(user.id, rules.Totals())
    sessions = list(db.session.scalars(
        select(ClassSession).join(Attendance, Attendance.session_id == ClassSession.id)
        .where(Attendance.user_id == user.id, ClassSession.starts_at >= lo,
               ClassSession.starts_at < hi)
        .options(joinedload(ClassSession.training_class)).order_by(ClassSession.starts_at)))
    return TrainingFile(user, courses, attempts, runs, awards, totals, sessions)


def _day(value: datetime | None) -> date | None:
    if value is None:
        return None
    from flask_babel import to_user_timezone

    return to_user_timezone(as_utc(value)).date()


def export_header() -> list[str]:
    return [str(h) for h in (_l("Record type"), _l("Code"), _l("Title"), _l("Date"),
                             _l("Training hours"), _l("Score"), _l("Result"))]


def export_rows(f: TrainingFile) -> Iterator[list]:
    yes, no = str(_l("passed")), str(_l("not passed"))
    for c in f.courses:
        yield [str(_l("Course")), c.course.code, c.course.title_zh, _day(c.completed_at),
               c.hours, None, str(_l("completed"))]
    for se in f.sessions:
        yield [str(_l("Class")), se.training_class.code, se.training_class.title_zh,
               _day(se.starts_at), rules.to_hours(se.minutes), None, str(_l("attended"))]
    for a in f.attempts:
        yield [str(_l("Quiz")), a.quiz.key, a.quiz.title_zh, _day(a.submitted_at), None,
               a.score, yes if a.passed else no]
    for r in f.runs:
        yield [str(_l("Practice")), r.scenario.code, r.scenario.name_zh, _day(r.finished_at),
               None, r.score, None]
    for w in f.awards:
        yield [str(_l("Certification")), w.certification.code, w.certification.name_zh,
               _day(w.issued_at), None, None, award_state.label(certs.state(w))]
