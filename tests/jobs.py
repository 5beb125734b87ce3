"""Running the task queue for real inside the test process: a Huey consumer's scheduler and
worker threads on the suite's queue (a SQLite file of the test run, or Redis)."""

from __future__ import annotations

import threading
import time

from huey.consumer import Consumer, Worker
from sqlalchemy import func, select

from lms.extensions import db
from lms.jobs.models import Job
from lms.jobs.queue import huey

_lock = threading.Lock()
_active = [0]  # tasks taken off the queue and not finished yet


class _CountingWorker(Worker):
    """Huey's worker, counting the tasks it holds, so that a test can tell "idle" from
    "between taking a task and recording it"."""

    def loop(self, now=None):
        with _lock:
            try:
                task = self.huey.dequeue()
            except Exception:  # noqa: BLE001 - as Huey's own loop: wait and try again
                task = None
            if task is not None:
                _active[0] += 1
        if task is None:
            self.sleep()
            return
        self.delay = self.default_delay
        try:
            self.huey.execute(task, now)
        except Exception:  # noqa: BLE001 - Huey logs it; the job row says what failed
            self._logger.exception("task %s failed", task.id)
        finally:
            with _lock:
                _active[0] -= 1


class _Consumer(Consumer):
    worker_class = _CountingWorker


class TestWorker:
    __test__ = False  # not a test class

    def __init__(self, app, workers: int = 2) -> None:
        self.app = app
        self.consumer = _Consumer(huey, workers=workers, worker_type="thread", periodic=False,
                                  initial_delay=0.01, backoff=1.1, max_delay=0.05,
                                  check_worker_health=False)

    def start(self) -> None:
        self.consumer.scheduler.start()
        for _worker, thread in self.consumer.worker_threads:
            thread.start()

    def stop(self) -> None:
        self.consumer.stop(graceful=True)

    def drain(self, timeout: float = 20.0) -> None:
        """Wait until the queue is empty, no task is in a worker's hands and no job is
        queued or running; then end the test's own transaction so that it sees what the
        workers committed."""
        deadline = time.monotonic() + timeout
        while True:
            with _lock:
                idle = not _active[0] and not huey.pending_count()
            if idle and not huey.scheduled_count():
                with self.app.app_context(), db.engine.connect() as conn:
                    busy = conn.execute(select(func.count(Job.id)).where(
                        Job.status.in_(("queued", "running")))).scalar_one()
                if not busy:
                    break
            if time.monotonic() > deadline:
                raise AssertionError(f"jobs still busy after {timeout} s")
            time.sleep(0.02)
        db.session.commit()
