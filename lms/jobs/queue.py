"""The task queue: one Huey instance, configured from the app's settings.

Tasks are declared at import time (`runner.run_job`, the periodic jobs), so the Huey object
exists before any app; `configure(app)` (called by `create_app`) gives it its storage:

- `JOBS_BACKEND = "sqlite"` (the default without REDIS_URL): a SQLite file under instance/
  (`JOBS_SQLITE_PATH`), nothing extra to install, one machine;
- `"redis"` (the default when REDIS_URL is set): Redis, so that several app hosts enqueue
  and several worker hosts consume one queue;
- `"memory"`: in-process only (a consumer thread in the same process; tests may use it).

Immediate mode (running a task inside the caller) is never used: work always goes through
the queue and a consumer (`flask lms worker`).
"""

from __future__ import annotations

import os
import time
from typing import Any

from flask import Flask
from huey import Huey
from huey.constants import EmptyData
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

QUEUE_NAME = "lms"

huey = Huey(QUEUE_NAME, results=False, utc=True, storage_class=MemoryStorage)

_state: dict[str, Any] = {"app": None}


def storage_for(config: dict[str, Any], name: str = QUEUE_NAME):
    backend = config.get("JOBS_BACKEND") or ("redis" if config.get("REDIS_URL") else "sqlite")
    if backend == "redis":
        return RedisStorage(name, url=config.get("JOBS_REDIS_URL") or config["REDIS_URL"])
    if backend == "sqlite":
        path = str(config["JOBS_SQLITE_PATH"])
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        return SqliteStorage(name, filename=path)
    if backend == "memory":
        return MemoryStorage(name)
    raise RuntimeError(f"JOBS_BACKEND must be sqlite, redis or memory, not {backend!r}")


def configure(app: Flask) -> None:
    """Point the queue at the app's storage; tasks run in this app's context."""
    huey.storage = storage_for(app.config)
    _state["app"] = app


def use_storage(storage) -> Any:
    """Swap the queue's storage (tests against Redis); returns the one it replaces."""
    old, huey.storage = huey.storage, storage
    return old


def current() -> Flask:
    """The app the tasks run in (`flask lms worker`, or `worker.py` for Huey's own
    `huey_consumer`, builds it before the consumer starts)."""
    app = _state["app"]
    if app is None:
        raise RuntimeError("the task queue has no app: start workers with `flask lms worker` "
                           "or `huey_consumer worker.huey`")
    return app


# --- live progress: in the queue's key-value store, not the database ---------------------
# A job that writes in one long transaction (the roster import) cannot also commit its
# progress to the same database (SQLite has one writer); the queue's storage is beside it.

def put_progress(job_id: int, done: int, total: int) -> None:
    """Record progress (and, with it, that the job's worker is alive)."""
    huey.storage.put_data(f"progress:{job_id}", f"{done}/{total}/{time.time():.0f}".encode())


def get_progress(job_id: int) -> tuple[int, int, float] | None:
    """(done, total, when) as the worker last said, or None."""
    data = huey.storage.peek_data(f"progress:{job_id}")
    if data is EmptyData:
        return None
    done, total, at = (data.decode() if isinstance(data, bytes) else str(data)).split("/")
    return int(done), int(total), float(at)


def clear_progress(job_id: int) -> None:
    huey.storage.pop_data(f"progress:{job_id}")
