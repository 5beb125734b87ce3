"""Administration: recent background jobs, their errors, and retrying a failed one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.core.errors import ServiceError
from lms.core.forms import ActionForm
from lms.core.routes import Routes
from lms.extensions import db
from lms.jobs import runner
from lms.jobs.models import STATUSES

bp = Routes("admin")


@bp.get("/jobs")
def jobs():
    status = request.args.get("status") or None
    if status not in STATUSES:
        status = None
    rows = [(job, runner.label(job.kind), runner.progress_of(job))
            for job in runner.recent(200, status)]
    return render_template("admin/jobs.html", rows=rows, status=status, statuses=STATUSES,
                           form=ActionForm())


@bp.post("/jobs/<public_id>/retry")
def job_retry(public_id: str):
    form = ActionForm()
    job = runner.by_public_id(public_id)
    if not form.validate_on_submit() or job is None:
        flash(_("This job cannot be retried."), "warning")
        return redirect(url_for("admin.jobs"))
    try:
        runner.retry(job, actor=current_user)
    except ServiceError as e:
        flash(str(e.message), "warning")
        return redirect(url_for("admin.jobs"))
    db.session.commit()
    flash(_("The job is queued again."), "success")
    return redirect(url_for("main.job", public_id=job.public_id))
