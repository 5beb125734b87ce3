"""The learner's side of the catalogue: finding courses, enrolling, reading lessons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError

from lms.catalog.learning_models import Enrollment, LessonProgress
from lms.catalog.models import Course, Lesson, Module
from lms.catalog.progress import (
    CourseState,
    course_state,
    course_states,
    enrollment_status,
    refresh_completion,
)
from lms.core import audit
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User


def published_course(code: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.code == code,
                                                  Course.status == "published"))


def catalog_query(q: str = "", category: str = "") -> Select:
    stmt = select(Course).where(Course.status == "published").order_by(Course.code)
    if category:
        stmt = stmt.where(Course.category == category)
    q = (q or "").strip()
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Course.code.ilike(like), Course.title_zh.ilike(like),
                              Course.title_en.ilike(like), Course.summary_zh.ilike(like),
                              Course.summary_en.ilike(like)))
    return stmt


def get_enrollment(user_id: int, course_id: int) -> Enrollment | None:
    return db.session.scalar(select(Enrollment).where(Enrollment.user_id == user_id,
                                                      Enrollment.course_id == course_id))


def enroll(user: User, course: Course) -> Enrollment:
    """Self-enrolment in a published course (idempotent)."""
    if course.status != "published":
        raise ServiceError(_l("This course is not open for enrolment."))
    existing = get_enrollment(user.id, course.id)
    if existing is not None:
        return existing
    enrollment = Enrollment(user_id=user.id, course_id=course.id, source="self")
    db.session.add(enrollment)
    try:
        db.session.commit()
    except IntegrityError:  # a double click raced us; the other request enrolled
        db.session.rollback()
        raced = get_enrollment(user.id, course.id)
        if raced is None:  # not that race: some other constraint failed
            raise
        return raced
    return enrollment


def assign(course: Course, users: list[User], due: date | None, actor: User | None,
           source: str = "assigned") -> tuple[int, int]:
    """Assign a course to people with a due date. Returns (newly assigned, updated)."""
    if course.status != "published":
        raise ServiceError(_l("Only published courses can be assigned."), field="course")
    if due is not None and due < date.today():
        raise ServiceError(_l("The due date is in the past."), field="due_date")
    existing = {e.user_id: e for e in db.session.scalars(select(Enrollment).where(
        Enrollment.course_id == course.id, Enrollment.user_id.in_([u.id for u in users])))}
    added = updated = 0
    for user in users:
        enrollment = existing.get(user.id)
        if enrollment is None:
            db.session.add(Enrollment(user_id=user.id, course_id=course.id, source=source,
                                      assigned_by_id=actor.id if actor else None, due_date=due))
            added += 1
        elif enrollment.completed_at is None:
            enrollment.source, enrollment.due_date = source, due
            enrollment.assigned_by_id = actor.id if actor else None
            updated += 1
    if source != "rule" or added:
        _notify_assigned(course, [u for u in users if u.id not in existing], due)
    audit.record("course_assigned", actor=actor, target=course, people=len(users),
                 due=due.isoformat() if due else None)
    db.session.commit()
    return added, updated


def _notify_assigned(course: Course, users: list[User], due: date | None) -> None:
    from lms.notifications.notify import notify

    for user in users:
        title = str(_l("New course assigned: %(t)s", t=course.title_zh))
        body = str(_l("Due %(d)s", d=due.isoformat())) if due else ""
        notify(user, "assignment", title, body, link=f"/learn/courses/{course.code}")


# --- lessons ---------------------------------------------------------------------------

@dataclass
class Outline:
    course: Course
    modules: list[Module]
    lessons: list[Lesson]
    done: set[int]
    state: CourseState
    enrollment: Enrollment | None
    resume: Lesson | None


def outline(user: User, course: Course) -> Outline:
    """Everything the course page shows, in a fixed number of queries."""
    modules = list(db.session.scalars(select(Module).where(Module.course_id == course.id)
                                      .order_by(Module.position)))
    lessons = list(db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)
                                      .order_by(Lesson.position)))
    done = db.session.scalars(select(LessonProgress.lesson_id).where(
        LessonProgress.user_id == user.id, LessonProgress.course_id == course.id)).all()
    done_set = set(done)
    enrollment = get_enrollment(user.id, course.id)
    state = course_state(user.id, course, done_set)
    resume = None
    if lessons:
        resume = next((le for le in lessons if le.id not in done_set), None)
        if enrollment is not None and enrollment.last_lesson_id is not None:
            last = next((le for le in lessons if le.id == enrollment.last_lesson_id), None)
            if last is not None and last.id not in done_set:
                resume = last
        resume = resume or lessons[0]
    return Outline(course, modules, lessons, done_set, state, enrollment, resume)


def lesson_in(course: Course, slug: str) -> Lesson | None:
    return db.session.scalar(select(Lesson).where(Lesson.course_id == course.id,
                                                  Lesson.slug == slug))


def neighbours(lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
    prev = db.session.scalar(select(Lesson).where(
        Lesson.course_id == lesson.course_id, Lesson.position < lesson.position)
        .order_by(Lesson.position.desc()).limit(1))
    nxt = db.session.scalar(select(Lesson).where(
        Lesson.course_id == lesson.course_id, Lesson.position > lesson.position)
        .order_by(Lesson.position).limit(1))
    return prev, nxt


def open_lesson(user: User, course: Course, lesson: Lesson) -> Enrollment:
    """A learner opens a lesson: enrol if needed and remember it for "resume"."""
    enrollment = get_enrollment(user.id, course.id) or enroll(user, course)
    if enrollment.last_lesson_id != lesson.id:
        enrollment.last_lesson_id = lesson.id
        db.session.commit()
    return enrollment


def is_done(user: User, lesson: Lesson) -> bool:
    return db.session.scalar(select(LessonProgress.id).where(
        LessonProgress.user_id == user.id, LessonProgress.lesson_id == lesson.id)) is not None


def complete_lesson(user: User, course: Course, lesson: Lesson) -> bool:
    """Mark a lesson finished (once). Returns True when this completed the course."""
    if get_enrollment(user.id, course.id) is None:
        enroll(user, course)
    if not is_done(user, lesson):
        db.session.add(LessonProgress(user_id=user.id, lesson_id=lesson.id,
                                      course_id=course.id))
        try:
            db.session.flush()
        except IntegrityError:  # the same lesson finished in another tab at the same moment
            db.session.rollback()
            return False
        from lms.core import events

        events.stage("lesson_completed", user_id=user.id, lesson=lesson, course=course)
    completed = refresh_completion(user.id, course)
    db.session.commit()
    return completed


# --- dashboard -------------------------------------------------------------------------

@dataclass
class DashboardRow:
    enrollment: Enrollment
    course: Course
    percent: int
    status: str


def _completed_at(row: DashboardRow) -> datetime:
    assert row.enrollment.completed_at is not None  # what puts a row in the "completed" group
    return row.enrollment.completed_at


def dashboard(user: User, today: date | None = None) -> dict[str, list[DashboardRow]]:
    """The learner's enrolments, grouped and ordered, in a fixed number of queries."""
    today = today or date.today()
    enrollments = list(db.session.scalars(select(Enrollment).where(
        Enrollment.user_id == user.id)))
    states = course_states(user.id, [e.course_id for e in enrollments])
    groups: dict[str, list[DashboardRow]] = {"assigned": [], "in_progress": [],
                                             "completed": [], "not_started": []}
    for e in enrollments:
        percent = 100 if e.completed_at else states[e.course_id].percent
        row = DashboardRow(e, e.course, percent, enrollment_status(e, percent, today))
        if row.status == "completed":
            groups["completed"].append(row)
        elif e.source != "self":
            groups["assigned"].append(row)
        elif row.status == "not_started":
            groups["not_started"].append(row)
        else:
            groups["in_progress"].append(row)
    groups["assigned"].sort(key=lambda r: (r.enrollment.due_date or date.max, r.course.code))
    groups["in_progress"].sort(key=lambda r: -r.percent)
    groups["completed"].sort(key=_completed_at, reverse=True)
    return groups


def my_status_by_course(user: User) -> dict[int, str]:
    """course id → 'enrolled' | 'completed' for the catalog's badges and filter."""
    rows = db.session.execute(select(Enrollment.course_id, Enrollment.completed_at).where(
        Enrollment.user_id == user.id)).all()
    return {cid: ("completed" if done else "enrolled") for cid, done in rows}
