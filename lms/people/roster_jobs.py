"""The roster import as a background job: the request checks the file and hands it over;
a worker applies it (all or nothing, with progress) and the HR person follows it on the
job's page.

The uploaded file waits in instance/roster (`roster_file`) under a generated name until the
job has applied it. Running the job again is safe: a file already applied finds everyone
unchanged and writes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.core.errors import ServiceError
from lms.extensions import db
from lms.jobs import runner
from lms.jobs.maintenance import purger
from lms.jobs.models import Job
from lms.people import roster
from lms.people.models import User

KIND = "roster_import"


def store() -> Path:
    folder = Path(current_app.instance_path) / "roster"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def roster_file(name: str) -> Path | None:
    """The staged file `name` (a generated name: letters, digits and dashes only)."""
    if not name or not name.replace("-", "").isalnum():
        return None
    return store() / f"{name}.csv"


def start_import(staged: Path, actor: User, ip: str) -> Job:
    """Hand the previewed file to a worker (the caller commits)."""
    name = f"job-{staged.stem}"
    staged.rename(store() / f"{name}.csv")
    return runner.submit(KIND, {"file": name, "ip": ip}, actor=actor)


def running_import(user: User) -> Job | None:
    """This person's roster import that has not finished yet, if any."""
    return db.session.scalar(select(Job).where(
        Job.kind == KIND, Job.started_by_id == user.id,
        Job.status.in_(("queued", "running"))).order_by(Job.created_at.desc()))


def _summary(result: dict[str, Any]) -> str:
    if not (result.get("created") or result.get("updated")):
        return str(_l("Nothing to change: the roster matches the platform."))
    return str(_l("Roster imported: %(c)d created, %(u)d updated, %(n)d unchanged.",
                  c=result["created"], u=result["updated"], n=result["unchanged"]))


@runner.handler(KIND, label=_l("Roster import"), summary=_summary, retries=2)
def _apply(ctx: runner.JobContext) -> dict[str, Any]:
    path = roster_file(str(ctx.params.get("file", "")))
    if path is None or not path.is_file():
        raise ServiceError(_l("The uploaded file has expired. Upload it again."))
    actor = db.session.get(User, ctx.started_by_id) if ctx.started_by_id else None
    result = roster.apply_roster(path.read_bytes(), actor, str(ctx.params.get("ip", "")),
                                 progress=ctx.progress)
    path.unlink(missing_ok=True)
    return {"created": result.created, "updated": result.updated,
            "unchanged": result.unchanged,
            "created_employee_nos": result.created_employee_nos[:100],
            "updated_employee_nos": result.updated_employee_nos[:100]}


@purger("roster_uploads")
def _purge_uploads(_config: Any) -> int:
    """Previewed files never applied are deleted after a day."""
    import time

    removed = 0
    for path in store().glob("*.csv"):
        if not path.name.startswith("job-") and path.stat().st_mtime < time.time() - 86400:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
