"""Studio: a course's learners (assigned, started, finished, overdue, scores), their
export and a reminder to those who have not finished."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.catalog import team_progress as progress
from lms.core import exports
from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.extensions import db
from lms.studio import learners
from lms.studio.page_helpers import action_ok, editable_course

bp = Routes("author")


@bp.get("/courses/<code>/learners")
def learners_page(code: str):
    course = editable_course(code)
    rows = learners.rows(course)
    return render_template("author/learners.html", course=course, rows=rows,
                           totals=progress.summary(rows), scores=learners.best_scores(course),
                           sources=learners.SOURCE_LABELS)


@bp.get("/courses/<code>/learners.<fmt>")
def learners_export(code: str, fmt: str):
    course = editable_course(code)
    try:
        stem = course.code + "-" + _("learners")
        return exports.export_response(fmt, stem,
                                       learners.export_header(), learners.export_rows(course))
    except ServiceError:
        abort(404)


@bp.post("/courses/<code>/learners/remind")
def learners_remind(code: str):
    course = editable_course(code)
    action_ok()
    n = progress.remind(learners.rows(course), current_user)
    db.session.commit()
    if n:
        flash(_("Reminder sent to %(n)d person(s) who have not finished.", n=n), "success")
    else:
        flash(_("Everyone has finished: no reminder sent."), "info")
    return redirect(url_for("author.learners_page", code=course.code))
