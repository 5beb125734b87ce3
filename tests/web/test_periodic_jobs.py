"""The periodic jobs the queue schedules (no cron): each run goes through the queue to a
worker and is recorded as a job with its result."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from lms.catalog.learning_models import Enrollment
from lms.certification import rules as certs
from lms.certification.models import Award
from lms.integration.models import XapiStatement
from lms.jobs import queue, runner
from lms.jobs.models import Job
from lms.notifications.models import Notification
from lms.people.models import User


def _run(worker, name: str) -> Job | None:
    queue.huey.enqueue(runner.periodic_task(name).s())
    worker.drain()
    from lms.extensions import db

    return db.session.scalar(select(Job).where(Job.kind == name))


def test_every_schedule_in_the_configuration_is_valid(app):
    for name in app.config["JOBS_SCHEDULE"]:
        runner.is_due(name, datetime(2026, 12, 8, 1, 0))
        assert runner.periodic_task(name) is not None


def test_the_daily_certification_sweep(db, make, worker):
    course = make.course("PJ-1")
    hr = make.user(roles={"hr"})
    cert = certs.save_certification(
        None, code="C-PJ", name_zh="认证", name_en="Cert", description_zh="",
        description_en="", validity_months=12, recert_window_days=30,
        requirements=[("course", course.code, None)], actor=hr)
    soon = make.user()
    award = certs.issue_manually(soon, cert, hr, "x")
    db.session.execute(update(Award).where(Award.id == award.id).values(
        expires_at=certs.now() + timedelta(days=10)))
    db.session.commit()
    job = _run(worker, "certification_sweep")
    assert job.status == "done" and job.result == {"reminded": 1, "assigned": 1,
                                                   "expired": 0}
    assert job.key.startswith("certification_sweep@") and job.started_by_id is None
    assert db.session.get(Award, award.id).reminded_at is not None
    assert db.session.scalar(select(Enrollment).where(Enrollment.user_id == soon.id))


def test_assignment_rules_reach_people_who_moved_without_a_hook(db, make, worker):
    from lms.studio import assignment_rules

    unit = make.unit(code="PJ-UNIT")
    course = make.course("PJ-2")
    assignment_rules.create_rule(course, make.user(roles={"admin"}), unit=unit)
    mover = make.user()
    # Moved by a bulk write that runs no hooks (as an old import did).
    db.session.execute(update(User).where(User.id == mover.id).values(org_unit_id=unit.id))
    db.session.commit()
    job = _run(worker, "assignment_rules")
    assert job.status == "done" and job.result == {"assigned": 1, "rules": 1}
    assert db.session.scalar(select(Enrollment).where(Enrollment.user_id == mover.id,
                                                      Enrollment.course_id == course.id))


def test_xapi_forwarding_runs_only_with_an_lrs_and_backs_off(app, db, make, worker,
                                                              monkeypatch):
    from lms.catalog import learning
    from lms.catalog.models import Lesson
    from tests.api.test_xapi import FakeLrs

    monkeypatch.setitem(app.config, "LRS_URL", None)
    assert _run(worker, "xapi_forward") is None  # nothing to do: not even a record
    user, course = make.user(), make.course("PJ-3", lessons=1)
    lesson = db.session.scalar(select(Lesson).where(Lesson.course_id == course.id))
    learning.complete_lesson(user, course, lesson)
    with FakeLrs(fail=1) as lrs:
        monkeypatch.setitem(app.config, "LRS_URL", lrs.url)
        job = _run(worker, "xapi_forward")
    assert job.status == "done" and job.result["failed"] >= 1 and "503" in job.result["error"]
    rows = db.session.scalars(select(XapiStatement)).all()
    assert rows and all(r.forwarded_at is None and r.next_attempt_at is not None
                        for r in rows)  # backed off until their next attempt


def test_the_retention_purge_removes_old_read_notifications(db, make, worker):
    user = make.user()
    old = datetime.now(UTC) - timedelta(days=400)
    db.session.add_all([
        Notification(user_id=user.id, kind="x", title="old read", created_at=old,
                     read_at=old),
        Notification(user_id=user.id, kind="x", title="old unread", created_at=old),
        Notification(user_id=user.id, kind="x", title="new read",
                     read_at=datetime.now(UTC))])
    db.session.commit()
    job = _run(worker, "retention_purge")
    assert job.status == "done" and job.result["notifications"] == 1
    titles = set(db.session.scalars(select(Notification.title)))
    assert titles == {"old unread", "new read"}
