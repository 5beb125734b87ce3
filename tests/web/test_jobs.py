"""Background jobs run through the real queue: a consumer's threads in this process on the
suite's SQLite queue (and once on Redis), never by calling the task function directly."""

from __future__ import annotations

import os
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from lms.core.errors import ServiceError
from lms.jobs import maintenance, queue, runner
from lms.jobs.models import Job
from tests.forms import form_fields

CALLS: dict[str, list] = {"echo": [], "flaky": [], "bad": []}


@runner.handler("test_echo", label="Echo", summary=lambda r: f"echoed {r['text']}")
def _echo(ctx: runner.JobContext) -> dict:
    from flask import current_app

    ctx.progress(1, 2)
    CALLS["echo"].append((ctx.job_id, threading.current_thread().name,
                          current_app.name))
    return {"text": ctx.params["text"]}


@runner.handler("test_flaky", label="Flaky", retries=2, backoff=1.0)
def _flaky(ctx: runner.JobContext) -> dict:
    CALLS["flaky"].append(ctx.attempt)
    if len(CALLS["flaky"]) <= ctx.params["fail_times"]:
        raise OSError("mail server down")
    return {"ok": True}


@runner.handler("test_bad_input", label="Bad input")
def _bad(ctx: runner.JobContext) -> dict:
    CALLS["bad"].append(ctx.attempt)
    raise ServiceError("the file is gone")


@pytest.fixture(autouse=True)
def _reset():
    for calls in CALLS.values():
        calls.clear()


def _submit(db, kind, params, actor=None) -> Job:
    job = runner.submit(kind, params, actor=actor)
    db.session.commit()  # queued only now, after the commit
    return job


def test_a_job_runs_in_a_worker_thread_with_the_app(db, make, worker):
    user = make.user()
    job = _submit(db, "test_echo", {"text": "hello"}, actor=user)
    worker.drain()
    job = db.session.get(Job, job.id)
    assert job.status == "done" and job.result == {"text": "hello"} and job.attempts == 1
    assert job.started_by_id == user.id and job.finished_at is not None
    ((job_id, thread, app_name),) = CALLS["echo"]
    assert job_id == job.id and thread.startswith("Worker-") and app_name == "lms"


def test_nothing_is_queued_when_the_transaction_rolls_back(db, worker):
    runner.submit("test_echo", {"text": "never"})
    db.session.rollback()
    worker.drain()
    assert CALLS["echo"] == [] and queue.huey.pending_count() == 0


def test_a_job_delivered_twice_runs_once(db, worker):
    job = _submit(db, "test_echo", {"text": "once"})
    runner.enqueue(job.id, "test_echo")  # a second delivery of the same job
    worker.drain()
    assert len(CALLS["echo"]) == 1


def test_failures_are_retried_then_recorded_and_an_admin_retries(db, make, client, auth,
                                                                worker):
    job = _submit(db, "test_flaky", {"fail_times": 3})
    worker.drain()
    job = db.session.get(Job, job.id)
    assert job.status == "failed" and job.attempts == 3 and "mail server down" in job.error
    assert CALLS["flaky"] == [1, 2, 3]

    admin = make.user(roles={"admin"})
    auth.login(admin.employee_no)
    html = client.get("/admin/jobs?status=failed").get_data(as_text=True)
    assert "Flaky" in html and "mail server down" in html
    action = f"/admin/jobs/{job.public_id}/retry"
    resp = client.post(action, data=form_fields(html, action))
    assert resp.status_code == 302 and f"/jobs/{job.public_id}" in resp.headers["Location"]
    worker.drain()
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    job = db.session.get(Job, job.id)
    assert job.status == "done" and job.attempts == 4 and 'data-status="done"' in html
    # A job that is not failed cannot be retried again.
    resp = client.post(action, data=form_fields(
        client.get("/admin/jobs").get_data(as_text=True)), follow_redirects=True)
    assert "只有失败的任务才能重试" in resp.get_data(as_text=True)


def test_bad_input_fails_at_once_without_retries(db, worker):
    job = _submit(db, "test_bad_input", {})
    worker.drain()
    job = db.session.get(Job, job.id)
    assert job.status == "failed" and job.error == "the file is gone" and CALLS["bad"] == [1]


def test_the_job_page_is_the_starters_and_polls_until_done(db, make, client, auth, worker):
    owner = make.user()
    job = _submit(db, "test_echo", {"text": "x"}, actor=owner)
    auth.login(owner.employee_no)
    worker.drain()
    html = client.get(f"/jobs/{job.public_id}").get_data(as_text=True)
    assert "echoed x" in html and "hx-trigger" not in html
    # Someone else does not see it.
    auth.logout()
    other = make.user()
    auth.login(other.employee_no)
    assert client.get(f"/jobs/{job.public_id}").status_code == 404


def test_a_queued_job_page_polls(db, make, client, auth):
    owner = make.user()
    job = _submit(db, "test_echo", {"text": "x"}, actor=owner)  # no worker running
    auth.login(owner.employee_no)
    html = client.get(f"/jobs/{job.public_id}/progress").get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in html and 'data-status="queued"' in html


def test_periodic_runs_are_scheduled_by_config_in_local_time_and_recorded_once(
        app, db, worker, monkeypatch):
    monkeypatch.setitem(app.config, "JOBS_SCHEDULE",
                        {**app.config["JOBS_SCHEDULE"], "retention_purge": "30 3 * * *"})
    # 03:30 in Shanghai is 19:30 UTC the day before.
    assert runner.is_due("retention_purge", datetime(2026, 12, 7, 19, 30))
    assert not runner.is_due("retention_purge", datetime(2026, 12, 8, 3, 30))
    assert runner.slot("retention_purge", datetime(2026, 12, 7, 21, 5)) == \
        "retention_purge@2026-12-07T19:30"
    # Run through the queue: two schedulers (two worker hosts) enqueue the same slot.
    task = runner.periodic_task("retention_purge")
    queue.huey.enqueue(task.s())
    queue.huey.enqueue(task.s())
    worker.drain()
    rows = db.session.scalars(select(Job).where(Job.kind == "retention_purge")).all()
    assert len(rows) == 1 and rows[0].status == "done" and rows[0].key.startswith(
        "retention_purge@")


def test_the_purge_removes_old_finished_jobs(db, worker):
    old = datetime.now(UTC) - timedelta(days=90)
    db.session.add_all([Job(kind="test_echo", status="done", finished_at=old),
                        Job(kind="test_echo", status="failed", finished_at=old),
                        Job(kind="test_echo", status="done", finished_at=datetime.now(UTC))])
    db.session.commit()
    queue.huey.enqueue(runner.periodic_task("retention_purge").s())
    worker.drain()
    purge = db.session.scalar(select(Job).where(Job.kind == "retention_purge"))
    assert purge.result["jobs"] == 2
    assert db.session.scalar(select(func.count(Job.id)).where(Job.kind == "test_echo")) == 1


def test_a_job_whose_worker_died_is_queued_again_and_runs_once(db, worker):
    # The worker took it off the queue, marked it running, and was killed.
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    job = Job(kind="test_echo", status="running", attempts=1, params={"text": "again"},
              started_at=long_ago, heartbeat_at=long_ago)
    db.session.add(job)
    db.session.commit()
    assert maintenance.rescue_stale() == 1
    worker.drain()
    job = db.session.get(Job, job.id)
    assert job.status == "done" and job.attempts == 2 and len(CALLS["echo"]) == 1


def test_the_queue_on_redis(app, db, make):
    """The set-up for several hosts: Redis storage, a consumer, the same job record."""
    from huey.storage import RedisStorage
    from redis import Redis
    from redis.exceptions import RedisError

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        Redis.from_url(url, socket_timeout=1).ping()
    except RedisError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379 (CI starts one)")
    from tests.jobs import TestWorker

    storage = RedisStorage(f"lms-test-{uuid.uuid4().hex[:8]}", url=url)
    old = queue.use_storage(storage)
    try:
        w = TestWorker(app)
        w.start()
        try:
            job = _submit(db, "test_echo", {"text": "over redis"}, actor=make.user())
            w.drain()
        finally:
            w.stop()
        assert db.session.get(Job, job.id).result == {"text": "over redis"}
    finally:
        storage.flush_all()
        queue.use_storage(old)
