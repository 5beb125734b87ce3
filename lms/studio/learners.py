"""A course's learners, for its trainers: who is assigned, started, finished, overdue, and
their best quiz score — on the page and as an export."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.assessment.models import Attempt, Quiz
from lms.catalog import team_progress as progress
from lms.catalog.models import Course
from lms.core.clock import as_utc
from lms.extensions import db

STATUS_LABELS = {"not_started": _l("Not started"), "in_progress": _l("In progress"),
                 "completed": _l("Completed"), "overdue": _l("Overdue")}
SOURCE_LABELS = {"self": _l("Self-enrolled"), "assigned": _l("Assigned to them"),
                 "rule": _l("By rule")}


def rows(course: Course) -> list[progress.ProgressRow]:
    return progress.progress_rows(course_id=course.id)


def best_scores(course: Course) -> dict[int, float]:
    """user id → best submitted score over the course's quizzes."""
    return {uid: float(score) for uid, score in db.session.execute(
        select(Attempt.user_id, func.max(Attempt.score)).join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Quiz.course_id == course.id, Attempt.submitted_at.is_not(None))
        .group_by(Attempt.user_id)) if score is not None}


def export_header() -> list[str]:
    return [str(h) for h in (_l("Employee number"), _l("Name"), _l("Org unit"),
                             _l("Enrolled as"), _l("Status"), _l("Share done (%)"),
                             _l("Due date"), _l("Completed on"), _l("Best quiz score"))]


def export_rows(course: Course) -> Iterator[list]:
    from flask_babel import to_user_timezone

    from lms.i18n import localized

    scores = best_scores(course)
    for r in rows(course):
        unit = r.user.org_unit
        done = to_user_timezone(as_utc(r.completed_at)).date() if r.completed_at else None
        yield [r.user.employee_no, r.user.name, localized(unit, "name") if unit else "",
               str(SOURCE_LABELS.get(r.enrollment.source, r.enrollment.source)),
               str(STATUS_LABELS[r.status]), r.percent, r.due_date, done,
               scores.get(r.user.id)]
