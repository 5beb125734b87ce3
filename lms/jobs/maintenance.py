"""Keeping the queue honest: rescue jobs whose worker died, purge old records.

- A worker killed mid-job leaves its row `running` and the task gone from the queue (Huey
  takes a task off the queue when a worker starts it). Every few minutes the scheduler looks
  for running jobs that have said nothing (no progress) for `JOBS_STALE_MINUTES` and queues
  them again; the work they do is idempotent, and the claim makes one worker run it.
- `retention_purge` (periodic, recorded as a job) deletes finished jobs older than
  `JOBS_KEEP_DAYS` and whatever other features registered with `@purger`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

from flask import current_app
from flask_babel import lazy_gettext as _l
from huey import crontab
from sqlalchemy import CursorResult, delete, select

from lms.core.clock import as_utc, now
from lms.extensions import db
from lms.jobs import queue, runner
from lms.jobs.models import Job

log = logging.getLogger(__name__)

Purger = Callable[[Any], int]  # (the app's config) -> rows or files removed
_purgers: dict[str, Purger] = {}


def purger(name: str) -> Callable[[Purger], Purger]:
    """Register a retention step: `fn(config)` deletes what is past its keeping time and
    returns how many rows (or files) it removed; the purge commits after each step."""
    def deco(fn: Purger) -> Purger:
        _purgers[name] = fn
        return fn
    return deco


def rescue_stale() -> int:
    """Queue again the running jobs whose worker has been silent too long."""
    limit = now() - timedelta(minutes=float(current_app.config.get("JOBS_STALE_MINUTES", 30)))
    rescued = 0
    for job in db.session.scalars(select(Job).where(Job.status == "running")):
        live = queue.get_progress(job.id)
        last = as_utc(job.heartbeat_at or job.started_at or job.created_at)
        if live is not None:
            from datetime import UTC, datetime

            last = max(last, datetime.fromtimestamp(live[2], UTC))
        if last < limit:
            job.status, job.error = "queued", "the worker stopped; queued again"
            rescued += 1
            from lms.core import events

            events.stage("job_submitted", job_id=job.id, kind=job.kind)
    db.session.commit()
    return rescued


@queue.huey.periodic_task(crontab(minute="*/5"), name="lms.rescue_stale_jobs")
def _rescue_tick() -> None:
    with queue.current().app_context():
        count = rescue_stale()
        if count:
            log.warning("queued %d job(s) again whose worker stopped", count)


@runner.periodic("retention_purge", label=_l("Retention purge"),
                 summary=lambda r: str(_l("Removed: %(what)s", what=", ".join(
                     f"{k} {v}" for k, v in r.items()))))
def retention_purge(ctx: runner.JobContext) -> dict[str, Any]:
    keep = timedelta(days=int(current_app.config.get("JOBS_KEEP_DAYS", 30)))
    removed = {"jobs": cast("CursorResult[Any]", db.session.execute(delete(Job).where(
        Job.status.in_(("done", "failed")), Job.finished_at < now() - keep),
        execution_options={"synchronize_session": False})).rowcount}
    db.session.commit()
    for i, (name, fn) in enumerate(sorted(_purgers.items())):
        ctx.progress(i, len(_purgers) + 1)
        removed[name] = fn(current_app.config)
        db.session.commit()
    return removed
