"""Classroom courses (培训班): creating a class and its sessions, enrolment with a capacity
and a waiting list, nomination, check-in by the code the trainer shows, attendance
corrected by hand (audited).

A person has attended a class when present at ATTEND_SHARE of its sessions (at least one);
each session attended credits its minutes as training hours (records/hours.py)."""

from __future__ import annotations

import math
import secrets
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from lms.catalog.models import Course
from lms.core import audit, events
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User
from lms.records.models import Attendance, ClassSeat, ClassSession, TrainingClass

ATTEND_SHARE = 0.8
CHECKIN_EARLY = timedelta(minutes=30)  # check-in opens this long before the start …
CHECKIN_LATE = timedelta(minutes=60)  # … and closes this long after the end
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_code() -> str:
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))


def needed(sessions: int) -> int:
    return max(1, math.ceil(ATTEND_SHARE * sessions)) if sessions else 0


def by_public_id(public_id: str) -> TrainingClass | None:
    return db.session.scalar(select(TrainingClass).where(TrainingClass.public_id == public_id))


def all_classes() -> list[TrainingClass]:
    return list(db.session.scalars(select(TrainingClass).order_by(TrainingClass.created_at.desc(),
                                                                  TrainingClass.id.desc())))


def create_class(*, code: str, title_zh: str, title_en: str, course_code: str, capacity: int,
                 description: str, actor: User) -> TrainingClass:
    code = (code or "").strip().upper()
    if db.session.scalar(select(TrainingClass.id).where(TrainingClass.code == code)):
        raise ServiceError(_l("A class with this code already exists."), field="code")
    course_id = None
    if (course_code or "").strip():
        course_id = db.session.scalar(select(Course.id).where(
            Course.code == course_code.strip().upper()))
        if course_id is None:
            raise ServiceError(_l("No course has this code."), field="course_code")
    cls = TrainingClass(code=code, title_zh=title_zh.strip(), title_en=(title_en or
                        title_zh).strip(), course_id=course_id, capacity=capacity,
                        description=(description or "").strip(), created_by_id=actor.id)
    db.session.add(cls)
    db.session.flush()
    audit.record("class_created", actor=actor, target=cls)
    db.session.commit()
    return cls


def add_session(cls: TrainingClass, *, starts_at: datetime, minutes: int, place: str,
                trainer: str, actor: User) -> ClassSession:
    session = ClassSession(class_id=cls.id, starts_at=starts_at.astimezone(UTC),
                           minutes=minutes, place=place.strip(), trainer=trainer.strip(),
                           checkin_code=new_code())
    db.session.add(session)
    audit.record("class_session_added", actor=actor, target=cls,
                 starts_at=session.starts_at.isoformat())
    db.session.commit()
    return session


def seats(cls: TrainingClass) -> list[ClassSeat]:
    return list(db.session.scalars(select(ClassSeat).where(ClassSeat.class_id == cls.id)
                                   .order_by(ClassSeat.created_at, ClassSeat.id)))


def _taken(cls: TrainingClass) -> int:
    return db.session.scalar(select(func.count(ClassSeat.id)).where(
        ClassSeat.class_id == cls.id, ClassSeat.status == "enrolled")) or 0


def _seat(cls: TrainingClass, user: User, actor: User | None) -> ClassSeat | None:
    if db.session.scalar(select(ClassSeat.id).where(ClassSeat.class_id == cls.id,
                                                    ClassSeat.user_id == user.id)):
        return None
    status = "enrolled" if _taken(cls) < cls.capacity else "waiting"
    seat = ClassSeat(class_id=cls.id, user_id=user.id, status=status,
                     nominated_by_id=actor.id if actor else None)
    db.session.add(seat)
    db.session.flush()
    return seat


def enrol(cls: TrainingClass, user: User) -> ClassSeat:
    """The learner signs up: a seat while there is one, else the waiting list."""
    if cls.status != "open":
        raise ServiceError(_l("This class is closed for enrolment."))
    seat = _seat(cls, user, None)
    if seat is None:
        raise ServiceError(_l("You are already on this class."))
    try:
        db.session.commit()
    except IntegrityError:  # a double click
        db.session.rollback()
        raise ServiceError(_l("You are already on this class.")) from None
    _notify_schedule(cls, [seat])
    return seat


def nominate(cls: TrainingClass, users: list[User], actor: User) -> tuple[int, int]:
    """HR or a trainer puts people on the class. Returns (seated, waiting)."""
    added = [s for s in (_seat(cls, u, actor) for u in users) if s is not None]
    audit.record("class_nominated", actor=actor, target=cls, people=len(added))
    db.session.commit()
    _notify_schedule(cls, added)
    return (sum(1 for s in added if s.status == "enrolled"),
            sum(1 for s in added if s.status == "waiting"))


def _notify_schedule(cls: TrainingClass, added: list[ClassSeat]) -> None:
    from flask_babel import to_user_timezone

    from lms.notifications.notify import notify

    lines = [f"{to_user_timezone(s.starts_at).strftime('%Y-%m-%d %H:%M')} {s.place}"
             for s in cls.sessions]
    for seat in added:
        user = db.session.get(User, seat.user_id)
        if user is None:
            continue
        title = (_l("You are on the class %(t)s", t=cls.title_zh) if seat.status == "enrolled"
                 else _l("You are on the waiting list of %(t)s", t=cls.title_zh))
        notify(user, "class", str(title), "\n".join(lines), link="/learn/classes")
    db.session.commit()


def check_in(user: User, session: ClassSession, code: str,
             now: datetime | None = None) -> Attendance:
    now = now or datetime.now(UTC)
    seat = db.session.scalar(select(ClassSeat).where(ClassSeat.class_id == session.class_id,
                                                     ClassSeat.user_id == user.id))
    if seat is None or seat.status != "enrolled":
        raise ServiceError(_l("You have no seat on this class."), field="code")
    start = session.starts_at.replace(tzinfo=UTC) if session.starts_at.tzinfo is None \
        else session.starts_at
    if not (start - CHECKIN_EARLY <= now <= start + timedelta(minutes=session.minutes)
            + CHECKIN_LATE):
        raise ServiceError(_l("Check-in is open from 30 minutes before the session until "
                              "an hour after it ends."), field="code")
    if (code or "").strip().upper() != session.checkin_code:
        raise ServiceError(_l("This is not the code shown in the room."), field="code")
    existing = db.session.scalar(select(Attendance).where(
        Attendance.session_id == session.id, Attendance.user_id == user.id))
    if existing is not None:
        return existing
    row = Attendance(session_id=session.id, user_id=user.id, method="code")
    db.session.add(row)
    events.stage("class_attended", user_id=user.id)
    db.session.commit()
    return row


def set_attendance(session: ClassSession, present: set[int], actor: User) -> tuple[int, int]:
    """The trainer corrects a session's attendance by hand: exactly `present` (user ids of
    the enrolled) were there. Audited with who was added and removed."""
    enrolled = {s.user_id for s in db.session.scalars(select(ClassSeat).where(
        ClassSeat.class_id == session.class_id, ClassSeat.status == "enrolled"))}
    present &= enrolled
    rows = {a.user_id: a for a in db.session.scalars(select(Attendance).where(
        Attendance.session_id == session.id))}
    added = sorted(present - set(rows))
    removed = sorted(set(rows) - present)
    for uid in added:
        db.session.add(Attendance(session_id=session.id, user_id=uid, method="manual",
                                  recorded_by_id=actor.id))
        events.stage("class_attended", user_id=uid)
    for uid in removed:
        db.session.delete(rows[uid])
    employee = {uid: no for uid, no in db.session.execute(select(User.id, User.employee_no)
                                                          .where(User.id.in_(added + removed)))}
    audit.record("attendance_corrected", actor=actor, target=session.training_class,
                 session=session.public_id, added=[employee[u] for u in added],
                 removed=[employee[u] for u in removed])
    db.session.commit()
    return len(added), len(removed)


def present_ids(session_ids: list[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    if session_ids:
        for sid, uid in db.session.execute(select(Attendance.session_id, Attendance.user_id)
                                           .where(Attendance.session_id.in_(session_ids))):
            out[sid].add(uid)
    return out


def attendance_counts(user_ids: list[int] | Select, codes: list[str]
                      ) -> tuple[dict[str, int], dict[tuple[int, str], int]]:
    """(sessions per class code, sessions attended per (user, class code))."""
    totals = dict(db.session.execute(
        select(TrainingClass.code, func.count(ClassSession.id))
        .join(ClassSession, ClassSession.class_id == TrainingClass.id)
        .where(TrainingClass.code.in_(codes)).group_by(TrainingClass.code)).all())
    attended = {(uid, code): n for uid, code, n in db.session.execute(
        select(Attendance.user_id, TrainingClass.code, func.count(Attendance.id))
        .join(ClassSession, ClassSession.id == Attendance.session_id)
        .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
        .where(Attendance.user_id.in_(user_ids), TrainingClass.code.in_(codes))
        .group_by(Attendance.user_id, TrainingClass.code))}
    return totals, attended


def my_classes(user: User) -> list[tuple[TrainingClass, ClassSeat]]:
    return [(cls, seat) for cls, seat in db.session.execute(
        select(TrainingClass, ClassSeat).join(ClassSeat, ClassSeat.class_id == TrainingClass.id)
        .where(ClassSeat.user_id == user.id).order_by(TrainingClass.created_at.desc()))]


def open_classes() -> list[TrainingClass]:
    return list(db.session.scalars(select(TrainingClass).where(TrainingClass.status == "open")
                                   .order_by(TrainingClass.created_at.desc())))
