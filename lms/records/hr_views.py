"""HR: every person's training file and the training-hours report."""

from __future__ import annotations

from flask import request

from lms.core.routes import Routes
from lms.records import pages

bp = Routes("hr")


@bp.get("/people/<public_id>/training-file")
def training_file(public_id: str):
    return pages.file_page("hr", pages.person_in_scope(public_id, None))


@bp.get("/people/<public_id>/training-file.<fmt>")
def training_file_export(public_id: str, fmt: str):
    return pages.file_export(pages.person_in_scope(public_id, None), fmt)


@bp.get("/training-hours")
def training_hours():
    return pages.hours_page("hr", None)


@bp.get("/training-hours.<fmt>")
def training_hours_export(fmt: str):
    return pages.hours_export(None, fmt)


@bp.route("/training-hours/targets", methods=["GET", "POST"])
def training_hours_targets():
    from flask import flash, redirect, render_template, url_for
    from flask_babel import gettext as _
    from flask_login import current_user
    from sqlalchemy import select

    from lms.extensions import db
    from lms.people.models import JobRole
    from lms.records import targets
    from lms.records.forms import TargetsForm

    roles = list(db.session.scalars(select(JobRole).order_by(JobRole.code)))
    general, per_role = targets.current()
    if request.method == "GET":
        form = TargetsForm(data={"general": general, "roles": [
            {"role_id": str(r.id), "hours": per_role.get(r.id)} for r in roles]})
    else:
        form = TargetsForm()
    if form.validate_on_submit():
        known = {r.id for r in roles}
        chosen: dict[int, float | None] = {}
        for entry in form.roles.entries:
            rid = int(entry.form.role_id.data or 0)
            if rid in known:
                chosen[rid] = entry.form.hours.data
        targets.save(form.general.data, chosen, current_user)
        flash(_("Yearly training-hours requirements saved."), "success")
        return redirect(url_for("hr.training_hours"))
    names = {r.id: r for r in roles}
    return render_template("records/targets.html", form=form, roles=names), (
        422 if form.errors else 200)
