"""Requirement kind "course": the course is completed (recorded on the enrolment)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.catalog.learning_models import Enrollment
from lms.catalog.models import Course
from lms.core.clock import as_utc
from lms.core.requirements import Key, Kind, Outcome, Requirement, register
from lms.extensions import db


def _outcome(req: Requirement, row: tuple[int, datetime | None] | None) -> Outcome:
    if row is None:
        return Outcome(False, _l("course %(c)s not started", c=req.ref))
    _uid, done = row
    if done is None:
        return Outcome(False, _l("course %(c)s in progress", c=req.ref), started=True)
    return Outcome(True, _l("course %(c)s completed", c=req.ref),
                   {"course": req.ref, "completed_at": as_utc(done).isoformat()}, started=True)


class CourseKind(Kind):
    name = "course"
    label = _l("Course completed")

    def exists(self, ref: str) -> bool:
        return db.session.scalar(select(Course.id).where(Course.code == ref)) is not None

    def check(self, user_id: int, req: Requirement, since: datetime | None = None) -> Outcome:
        row = db.session.execute(select(Enrollment.user_id, Enrollment.completed_at)
                                 .join(Course, Course.id == Enrollment.course_id)
                                 .where(Course.code == req.ref, Enrollment.user_id == user_id)
                                 ).first()
        return _outcome(req, tuple(row) if row is not None else None)  # type: ignore[arg-type]

    def check_many(self, user_ids: list[int], reqs: list[Requirement],
                   since: datetime | None = None) -> dict[Key, Outcome]:
        rows: dict[tuple[int, str], tuple[int, datetime | None]] = {}
        for uid, code, done in db.session.execute(
                select(Enrollment.user_id, Course.code, Enrollment.completed_at)
                .join(Course, Course.id == Enrollment.course_id)
                .where(Enrollment.user_id.in_(user_ids),
                       Course.code.in_({r.ref for r in reqs}))):
            rows[(uid, code)] = (uid, done)
        return {(uid, req): _outcome(req, rows.get((uid, req.ref)))
                for uid in user_ids for req in reqs}


register(CourseKind())
