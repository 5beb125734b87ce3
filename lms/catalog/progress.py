"""Progress and completion: the one place that says how far a learner is in a course.

A course is complete when every lesson is finished and every required extra part is
passed: required quizzes (passed attempt) and required practice items (checked by the
function registered for that kind — practice scenarios register theirs). Completion is
recorded once on the enrollment, by `refresh_completion`, whenever evidence arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from lms.assessment.models import Attempt, Quiz
from lms.catalog.learning_models import Enrollment, LessonProgress
from lms.catalog.models import Course, CourseRequirement, Lesson
from lms.extensions import db

# kind → function(user_id, requirement) -> bool, for CourseRequirement rows.
REQUIREMENT_CHECKERS: dict[str, Callable[[int, CourseRequirement], bool]] = {}


def register_requirement(kind: str):
    def deco(fn):
        REQUIREMENT_CHECKERS[kind] = fn
        return fn
    return deco


@dataclass
class PartState:
    kind: str  # quiz | scenario | …
    ref: str
    title: str
    passed: bool
    required: bool
    target: object = None


@dataclass
class CourseState:
    lessons_total: int
    lessons_done: int
    parts: list[PartState] = field(default_factory=list)

    @property
    def lessons_complete(self) -> bool:
        return self.lessons_done >= self.lessons_total

    @property
    def complete(self) -> bool:
        return self.lessons_complete and all(p.passed for p in self.parts if p.required)

    @property
    def percent(self) -> int:
        units = self.lessons_total + sum(1 for p in self.parts if p.required)
        done = self.lessons_done + sum(1 for p in self.parts if p.required and p.passed)
        return int(round(100 * done / units)) if units else 0


def enrollment_status(enrollment: Enrollment, percent: int, today: date | None = None) -> str:
    """not_started | in_progress | completed | overdue"""
    if enrollment.completed_at is not None:
        return "completed"
    today = today or date.today()
    if enrollment.due_date is not None and enrollment.due_date < today:
        return "overdue"
    return "in_progress" if percent > 0 else "not_started"


def done_lesson_ids(user_id: int, course_id: int) -> set[int]:
    return set(db.session.scalars(select(LessonProgress.lesson_id).where(
        LessonProgress.user_id == user_id, LessonProgress.course_id == course_id)))


def quiz_passed(user_id: int, quiz_id: int) -> bool:
    return db.session.scalar(select(Attempt.id).where(
        Attempt.user_id == user_id, Attempt.quiz_id == quiz_id,
        Attempt.passed.is_(True)).limit(1)) is not None


def course_state(user_id: int, course: Course, done: set[int] | None = None) -> CourseState:
    from lms.i18n import localized

    total = db.session.scalar(select(func.count(Lesson.id)).where(
        Lesson.course_id == course.id)) or 0
    if done is None:
        done = done_lesson_ids(user_id, course.id)
    state = CourseState(total, len(done))
    quizzes = db.session.scalars(select(Quiz).where(Quiz.course_id == course.id,
                                                    Quiz.required.is_(True))
                                 .order_by(Quiz.key)).all()
    passed_ids = set(db.session.scalars(select(Attempt.quiz_id).where(
        Attempt.user_id == user_id, Attempt.passed.is_(True),
        Attempt.quiz_id.in_([q.id for q in quizzes])))) if quizzes else set()
    for quiz in quizzes:
        state.parts.append(PartState("quiz", quiz.key, localized(quiz, "title"),
                                     quiz.id in passed_ids, True, quiz))
    for req in db.session.scalars(select(CourseRequirement).where(
            CourseRequirement.course_id == course.id).order_by(CourseRequirement.id)):
        checker = REQUIREMENT_CHECKERS.get(req.kind)
        passed = bool(checker and checker(user_id, req))
        state.parts.append(PartState(req.kind, req.ref, req.extra.get("title", req.ref), passed,
                                     req.required, req))
    return state


def refresh_completion(user_id: int, course: Course) -> bool:
    """Record completion on the enrollment when the rule is met. Returns True if it just
    completed. The caller commits."""
    enrollment = db.session.scalar(select(Enrollment).where(
        Enrollment.user_id == user_id, Enrollment.course_id == course.id))
    if enrollment is None or enrollment.completed_at is not None:
        return False
    if course_state(user_id, course).complete:
        enrollment.completed_at = datetime.now(UTC)
        from lms.core import events

        events.emit("course_completed", user_id=user_id, course=course)
        return True
    return False
