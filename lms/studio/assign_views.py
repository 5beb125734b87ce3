"""Studio pages for assigning a course: to people, org units or job roles, once or as a
standing rule."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import apply_error
from lms.extensions import db
from lms.people.choices import job_role_choices, unit_choices
from lms.people.models import JobRole, OrgUnit
from lms.studio import assignment_rules
from lms.studio.forms import ActionForm, AssignForm
from lms.studio.page_helpers import action_ok, editable_course

bp = Routes("author")


@bp.route("/courses/<code>/assign", methods=["GET", "POST"])
def assign(code: str):
    course = editable_course(code)
    form = AssignForm()
    form.unit.choices = unit_choices(blank="—")
    form.job_role.choices = job_role_choices(blank="—")
    if form.validate_on_submit():
        target = form.target.data
        unit = db.session.get(OrgUnit, form.unit.data) if target == "unit" else None
        role = db.session.get(JobRole, form.job_role.data) if target == "role" else None
        try:
            if target == "unit" and unit is None:
                raise ServiceError(_("Choose an org unit."), field="unit")
            if target == "role" and role is None:
                raise ServiceError(_("Choose a job role."), field="job_role")
            if form.as_rule.data:
                if target == "people":
                    raise ServiceError(_("A rule is for an org unit or a job role."),
                                       field="as_rule")
                _rule, added = assignment_rules.create_rule(
                    course, current_user, unit=unit, with_subunits=form.with_subunits.data,
                    job_role=role, due_days=form.due_days.data)
                flash(_("Rule saved: %(n)d person(s) assigned now; people who join later "
                        "are assigned when they join.", n=added), "success")
            else:
                added, updated = assignment_rules.assign_people(
                    course, current_user, employee_nos=form.employee_nos.data or "",
                    unit=unit, with_subunits=form.with_subunits.data, job_role=role,
                    due=form.due.data)
                flash(_("Assigned: %(a)d new, %(u)d updated. They have been notified.",
                        a=added, u=updated), "success")
        except ServiceError as e:
            if e.field == "target":
                e.field = "unit" if target == "unit" else "job_role"
            apply_error(form, e)
        else:
            return redirect(url_for("author.assign", code=course.code))
    return render_template("author/assign.html", course=course, form=form,
                           rules=assignment_rules.rules_of(course), action=ActionForm())


@bp.post("/courses/<code>/rules/<public_id>/delete")
def rule_delete(code: str, public_id: str):
    course = editable_course(code)
    action_ok()
    try:
        assignment_rules.delete_rule(course, current_user, public_id)
    except ServiceError as e:
        flash(str(e.message), "danger")
    else:
        flash(_("Rule removed. Those already assigned keep the course."), "success")
    return redirect(url_for("author.assign", code=course.code))
