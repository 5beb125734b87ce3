"""Job kinds, submitting, running, retrying and the periodic schedule.

A feature declares what a kind of job does:

    @runner.handler("roster_import")
    def _import(ctx: JobContext) -> dict: ...        # ctx.params, ctx.progress(done, total)

and hands work over with `runner.submit("roster_import", {...}, actor=user)` inside its
transaction: the `Job` row is written with the caller's commit and the queue gets the task
only after that commit (an after-commit fact), so a worker never looks for a job that was
rolled back.

Running is idempotent: the worker claims the row (`queued` → `running`) in one UPDATE, so a
job delivered twice, or already done, runs once. A handler that raises `ServiceError` fails
for good (bad input does not get better by waiting); any other error is retried by the
queue (the kind's `retries`, with exponential back-off) and the row says so; after the last
attempt the job is `failed` with the error, and an administrator may retry it.

Periodic jobs are scheduled by the queue itself (`huey.periodic_task`): the time comes from
the configuration (`JOBS_SCHEDULE`, crontab syntax, in the organisation's time zone) when
the scheduler asks, and each run is a `Job` row whose key is the schedule slot, so several
worker hosts running schedulers still run each slot once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l
from huey import crontab
from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError

from lms.core import events
from lms.core.clock import now
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.jobs import queue
from lms.jobs.models import Job

log = logging.getLogger(__name__)


class JobContext:
    """What a handler gets: the job's parameters, who started it, and a progress reporter."""

    def __init__(self, job: Job) -> None:
        self.job_id = job.id
        self.params: dict[str, Any] = dict(job.params or {})
        self.started_by_id = job.started_by_id
        self.attempt = job.attempts
        self._last = 0.0

    def progress(self, done: int, total: int) -> None:
        """Say how far the job is (kept in the queue's storage; cheap to call often)."""
        t = time.monotonic()
        if done < total and t - self._last < 0.25:
            return
        self._last = t
        queue.put_progress(self.job_id, done, total)


Handler = Callable[[JobContext], "dict[str, Any] | None"]


Summary = Callable[[dict[str, Any]], str]


@dataclass
class Kind:
    name: str
    fn: Handler
    label: Any  # a lazy string
    summary: Summary | None
    retries: int
    backoff: float


_kinds: dict[str, Kind] = {}


def handler(name: str, *, label: Any, summary: Summary | None = None, retries: int = 2,
            backoff: float = 2.0) -> Callable[[Handler], Handler]:
    """Register what a job of kind `name` does; it returns a JSON-able result (or None).
    `summary(result)` says the result in a sentence for the person who started it."""
    def deco(fn: Handler) -> Handler:
        _kinds[name] = Kind(name, fn, label, summary, retries, backoff)
        return fn
    return deco


def label(kind: str) -> str:
    spec = _kinds.get(kind)
    return str(spec.label) if spec else kind


def summary(job: Job) -> str:
    """The result in words (a done job), or "" when the kind has no summary."""
    spec = _kinds.get(job.kind)
    if spec is None or spec.summary is None or job.status != "done":
        return ""
    try:
        return spec.summary(job.result or {})
    except (KeyError, TypeError, ValueError):
        return ""


# --- submitting --------------------------------------------------------------------------

def submit(kind: str, params: dict[str, Any] | None = None, *, actor: Any = None) -> Job:
    """Record a job in the caller's transaction; it is queued once the caller commits."""
    if kind not in _kinds:
        raise ValueError(f"no job kind {kind!r}")
    job = Job(kind=kind, params=params or {}, status="queued",
              started_by_id=getattr(actor, "id", None))
    db.session.add(job)
    db.session.flush()
    events.stage("job_submitted", job_id=job.id, kind=kind)
    return job


@events.on("job_submitted")
def _enqueue_after_commit(job_id: int, kind: str, **_kw: Any) -> None:
    enqueue(job_id, kind)


def enqueue(job_id: int, kind: str) -> None:
    spec = _kinds[kind]
    delay = float(current_app.config.get("JOBS_RETRY_DELAY", 30))
    queue.huey.enqueue(run_job.s(job_id, retries=spec.retries, retry_delay=delay,
                                 retry_backoff=spec.backoff))


def retry(job: Job, actor: Any = None) -> None:
    """Queue a failed job again (the caller commits)."""
    if job.status != "failed":
        raise ServiceError(_l("Only a failed job can be retried."))
    job.status, job.error, job.progress, job.finished_at = "queued", "", 0, None
    from lms.core import audit

    audit.record("job_retried", actor=actor, kind=job.kind, job=job.public_id)
    events.stage("job_submitted", job_id=job.id, kind=job.kind)


# --- running -----------------------------------------------------------------------------

@queue.huey.task(context=True, name="lms.run_job")
def run_job(job_id: int, task: Any = None) -> None:
    with queue.current().app_context():
        run(job_id, retries_left=task.retries if task is not None else 0)


def run(job_id: int, retries_left: int = 0) -> str | None:
    """Claim and run one job in this worker; returns its new status (None: not claimed).
    Raises after a failure that the queue will retry."""
    at = now()
    claimed = cast("CursorResult[Any]", db.session.execute(
        update(Job).where(Job.id == job_id, Job.status == "queued")
        .values(status="running", attempts=Job.attempts + 1, started_at=at,
                heartbeat_at=at, error=""),
        execution_options={"synchronize_session": False})).rowcount
    db.session.commit()
    if not claimed:
        log.info("job %s not queued (done, running elsewhere or gone): skipped", job_id)
        return None
    job = db.session.get(Job, job_id)
    assert job is not None
    spec = _kinds.get(job.kind)
    try:
        if spec is None:
            raise ServiceError(_l("This kind of job is unknown to this version."))
        result = spec.fn(JobContext(job))
    except ServiceError as e:
        db.session.rollback()
        return _finish(job_id, "failed", error=str(e.message))
    except Exception as e:
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, job.kind)
        error = f"{type(e).__name__}: {e}"[:2000]
        if retries_left > 0:
            _finish(job_id, "queued", error=error)
            raise
        return _finish(job_id, "failed", error=error)
    return _finish(job_id, "done", result=result or {})


def _finish(job_id: int, status: str, *, error: str = "",
            result: dict[str, Any] | None = None) -> str:
    job = db.session.get(Job, job_id)
    assert job is not None
    job.status, job.error = status, error
    if result is not None:
        job.result = result
    last = queue.get_progress(job_id)
    if last is not None:
        job.progress, job.total = last[0], last[1]
    if status == "done":
        job.progress = job.total = max(job.total, job.progress, 1)
    if status in ("done", "failed"):
        job.finished_at = now()
        queue.clear_progress(job_id)
    db.session.commit()
    return status


def progress_of(job: Job) -> tuple[int, int]:
    """(done, total) now: the worker's live figure while running, else the row's."""
    if job.status == "running":
        live = queue.get_progress(job.id)
        if live is not None:
            return live[0], live[1]
    return job.progress, job.total


# --- periodic jobs -----------------------------------------------------------------------

_crontabs: dict[str, Callable[[datetime], bool]] = {}
_periodic_tasks: dict[str, Any] = {}  # name → the Huey task (to enqueue a run by hand)


def _schedule(name: str) -> Callable[[datetime], bool] | None:
    spec = (queue.current().config.get("JOBS_SCHEDULE") or {}).get(name) or ""
    if not spec.strip() or spec.strip() == "off":
        return None
    if spec not in _crontabs:
        minute, hour, day, month, weekday = spec.split()
        _crontabs[spec] = crontab(minute, hour, day, month, weekday)
    return _crontabs[spec]


def _local(utc_naive: datetime) -> datetime:
    zone = ZoneInfo(queue.current().config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
    from datetime import UTC

    return utc_naive.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None)


def is_due(name: str, utc_naive: datetime) -> bool:
    """Whether the schedule `JOBS_SCHEDULE[name]` (local time) fires in this UTC minute."""
    test = _schedule(name)
    return test is not None and bool(test(_local(utc_naive)))


def slot(name: str, utc_naive: datetime) -> str:
    """The schedule slot a run at `utc_naive` belongs to: the latest due minute (so a run
    picked up late by another worker still counts as the same run)."""
    t = utc_naive.replace(second=0, microsecond=0)
    for _ in range(60 * 24 * 8):
        if is_due(name, t):
            return f"{name}@{t:%Y-%m-%dT%H:%M}"
        t -= timedelta(minutes=1)
    return f"{name}@{utc_naive:%Y-%m-%dT%H:%M}"


_enabled: dict[str, Callable[[Any], bool]] = {}


def run_periodic(name: str, at: datetime | None = None) -> str | None:
    """Record one run of periodic job `name` for its current slot and run it here (nothing,
    not even a record, when the job says it has nothing to do with this configuration)."""
    from datetime import UTC

    check = _enabled.get(name)
    if check is not None and not check(current_app.config):
        return None
    utc_naive = (at or now()).astimezone(UTC).replace(tzinfo=None)
    job = Job(kind=name, key=slot(name, utc_naive), status="queued", params={})
    db.session.add(job)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        log.info("periodic %s: this slot already ran", name)
        return None
    return run(job.id)


def periodic(name: str, *, label: Any, summary: Summary | None = None,
             enabled: Callable[[Any], bool] | None = None) -> Callable[[Handler], Handler]:
    """Register a handler and schedule it by `JOBS_SCHEDULE[name]`; `enabled(config)`, if
    given, says whether there is anything to do (e.g. an LRS to forward to)."""
    def deco(fn: Handler) -> Handler:
        handler(name, label=label, summary=summary, retries=0)(fn)
        if enabled is not None:
            _enabled[name] = enabled

        def due(utc_naive: datetime) -> bool:
            return is_due(name, utc_naive)

        def tick() -> None:
            with queue.current().app_context():
                run_periodic(name)

        tick.__name__ = f"periodic_{name}"
        _periodic_tasks[name] = queue.huey.periodic_task(due, name=f"lms.periodic.{name}")(tick)
        return fn
    return deco


def periodic_task(name: str) -> Any:
    """The queue's task for periodic job `name` (`huey.enqueue(task.s())` runs it now)."""
    return _periodic_tasks[name]


def recent(limit: int = 100, status: str | None = None) -> list[Job]:
    stmt = select(Job).order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)
    if status:
        stmt = stmt.where(Job.status == status)
    return list(db.session.scalars(stmt))


def by_public_id(public_id: str) -> Job | None:
    return db.session.scalar(select(Job).where(Job.public_id == public_id))
