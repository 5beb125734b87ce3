"""HR: bulk roster import — upload, preview with errors per row, then apply as a background
job (one transaction, with progress on the job's page)."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired

from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import client_ip, paginate
from lms.extensions import db
from lms.people import activation, roster, roster_jobs

bp = Routes("hr")


class RosterUploadForm(FlaskForm):
    file = FileField(_l("Roster file (CSV)"), validators=[FileRequired()])


class RosterApplyForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])


def _path_for(token: str) -> Path | None:
    # Only the upload this session made, under a generated name.
    if not token or session.get("roster_token") != token or not token.isalnum():
        return None
    path = roster_jobs.store() / f"{current_user.id}-{token}.csv"
    return path if path.is_file() else None


@bp.route("/roster", methods=["GET", "POST"])
def roster_upload():
    form = RosterUploadForm()
    preview, token = None, None
    if form.validate_on_submit():
        data = form.file.data.read(roster.MAX_BYTES + 1)
        try:
            preview = roster.preview_roster(data)
        except ServiceError as e:
            form.file.errors.append(str(e.message))
        else:
            token = secrets.token_hex(16)
            (roster_jobs.store() / f"{current_user.id}-{token}.csv").write_bytes(data)
            session["roster_token"] = token
    return render_template("hr/roster.html", form=form, preview=preview,
                           apply=RosterApplyForm(token=token) if token else None,
                           running=roster_jobs.running_import(current_user)), (
        422 if form.errors else 200)


@bp.post("/roster/apply")
def roster_apply():
    form = RosterApplyForm()
    path = _path_for(form.token.data) if form.validate_on_submit() else None
    if path is None:
        flash(_("The uploaded file has expired. Upload it again."), "warning")
        return redirect(url_for("hr.roster_upload"))
    job = roster_jobs.start_import(path, current_user, client_ip())
    db.session.commit()
    session.pop("roster_token", None)
    return redirect(url_for("main.job", public_id=job.public_id))


class ActivationIssueForm(FlaskForm):
    scope = SelectField(_l("Print codes for"), choices=[
        ("without", _l("people waiting who have no valid code yet")),
        ("all", _l("everyone waiting (their earlier codes stop working)"))])


@bp.route("/activation", methods=["GET", "POST"])
def activation_codes():
    """People who have never signed in, and printable one-time codes for them."""
    form = ActivationIssueForm()
    if form.validate_on_submit():
        people = activation.waiting(without_code=form.scope.data == "without")
        issued = activation.issue_codes(people, current_user, client_ip())
        return render_template("people/activation_sheet.html", issued=issued), 200, {
            "Cache-Control": "no-store"}
    page = paginate(activation.pending_query())
    codes = activation.valid_codes_until([u.id for u in page.items])
    return render_template("hr/activation.html", form=form, page=page, codes=codes)
