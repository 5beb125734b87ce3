"""A job's own page: progress while it runs (htmx polls a fragment), the result when done.

Whoever started a job may follow it, and administrators may follow any; for others it does
not exist (404). The page lives at a URL of its own, so it survives a reload.
"""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from lms.core.routes import Routes
from lms.jobs import runner
from lms.jobs.models import Job

bp = Routes("main")


def _visible(public_id: str) -> Job:
    job = runner.by_public_id(public_id)
    if job is None or (job.started_by_id != current_user.id and not current_user.has_role(
            "admin")):
        abort(404)
    return job


def _view(job: Job) -> dict:
    done, total = runner.progress_of(job)
    percent = 100 if job.status == "done" else (int(100 * done / total) if total else 0)
    return {"job": job, "done": done, "total": total, "percent": percent,
            "label": runner.label(job.kind), "summary": runner.summary(job)}


@bp.get("/jobs/<public_id>")
def job(public_id: str):
    return render_template("jobs/job.html", **_view(_visible(public_id)))


@bp.get("/jobs/<public_id>/progress")
def job_progress(public_id: str):
    return render_template("jobs/_progress.html", **_view(_visible(public_id)))
