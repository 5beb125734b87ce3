"""Progress and completion: the one place that says how far a learner is in a course.

A course is complete when every lesson is finished and every required part is passed. The
parts come from the requirement registry (`lms.core.requirements`): a course's required
quizzes (the quiz kind adds them) and its stored `CourseRequirement` rows (practice drills);
each is checked by its kind, for one learner (`course_state`) or for many courses at once
(`course_states`, the dashboard). Completion is recorded once on the enrolment, by
`refresh_completion`, whenever evidence arrives; it stages `course_completed`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from lms.catalog.learning_models import Enrollment, LessonProgress
from lms.catalog.models import Course, CourseRequirement, Lesson
from lms.core import events, requirements
from lms.core.requirements import CoursePart, Requirement
from lms.extensions import db


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


def _parts(course_ids: list[int]) -> dict[int, list[CoursePart]]:
    parts = requirements.course_parts(course_ids)
    for req in db.session.scalars(select(CourseRequirement).where(
            CourseRequirement.course_id.in_(course_ids)).order_by(CourseRequirement.id)):
        parts.setdefault(req.course_id, []).append(CoursePart(
            Requirement(req.kind, req.ref, req.pass_score), req.extra.get("title", req.ref),
            req.required, req))
    return parts


def _part_states(user_id: int, parts: list[CoursePart],
                 outcomes: dict[requirements.Key, requirements.Outcome]) -> list[PartState]:
    return [PartState(p.requirement.kind, p.requirement.ref, p.title,
                      outcomes[(user_id, p.requirement)].met, p.required, p.target)
            for p in parts]


def course_state(user_id: int, course: Course, done: set[int] | None = None) -> CourseState:
    total = db.session.scalar(select(func.count(Lesson.id)).where(
        Lesson.course_id == course.id)) or 0
    if done is None:
        done = done_lesson_ids(user_id, course.id)
    parts = _parts([course.id])[course.id]
    outcomes = {(user_id, p.requirement): requirements.check(user_id, p.requirement)
                for p in parts}
    return CourseState(total, len(done), _part_states(user_id, parts, outcomes))


def course_states(user_id: int, course_ids: list[int]) -> dict[int, CourseState]:
    """The learner's state in many courses, in a fixed number of queries."""
    if not course_ids:
        return {}
    totals = dict(db.session.execute(select(Lesson.course_id, func.count(Lesson.id)).where(
        Lesson.course_id.in_(course_ids)).group_by(Lesson.course_id)).all())
    done = dict(db.session.execute(select(LessonProgress.course_id,
                                          func.count(LessonProgress.id)).where(
        LessonProgress.user_id == user_id, LessonProgress.course_id.in_(course_ids))
        .group_by(LessonProgress.course_id)).all())
    parts = _parts(course_ids)
    outcomes = requirements.check_many([user_id], [p.requirement for ps in parts.values()
                                                   for p in ps])
    return {cid: CourseState(totals.get(cid, 0), min(done.get(cid, 0), totals.get(cid, 0)),
                             _part_states(user_id, parts.get(cid, []), outcomes))
            for cid in course_ids}


def refresh_completion(user_id: int, course: Course) -> bool:
    """Record completion on the enrollment when the rule is met. Returns True if it just
    completed. The caller commits; `course_completed` follows the commit."""
    enrollment = db.session.scalar(select(Enrollment).where(
        Enrollment.user_id == user_id, Enrollment.course_id == course.id))
    if enrollment is None or enrollment.completed_at is not None:
        return False
    if course_state(user_id, course).complete:
        enrollment.completed_at = datetime.now(UTC)
        events.stage("course_completed", user_id=user_id, course=course)
        return True
    return False
