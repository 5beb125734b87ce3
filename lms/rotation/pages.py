"""Rotation pages shared by HR (whole company) and managers (their own unit): the board,
planning, a plan's detail and the skills matrix. Each blueprint routes to these with its
own scope."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from lms.core.errors import ServiceError
from lms.core.web import apply_error, paginate
from lms.extensions import db
from lms.people.choices import job_role_choices, unit_choices
from lms.people.models import JobRole, OrgUnit, User
from lms.rotation import plans as rotation
from lms.rotation import readiness


class RotationForm(FlaskForm):
    employee_no = StringField(_l("Employee number"), validators=[DataRequired(), Length(max=32)])
    to_role = SelectField(_l("Target job role"), coerce=int)
    start_date = DateField(_l("Planned start date"), validators=[DataRequired()])
    mentor_no = StringField(_l("Mentor's employee number"), validators=[Optional(),
                                                                       Length(max=32)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])


class PlanActionForm(FlaskForm):
    action = HiddenField(validators=[DataRequired()])


class MatrixFilterForm(FlaskForm):
    class Meta:
        csrf = False

    unit = SelectField(_l("Org unit (with sub-units)"), coerce=int, default=0,
                       validators=[Optional()])


def _person(no: str | None) -> User | None:
    if not no:
        return None
    return db.session.scalar(select(User).where(User.employee_no == no.strip(),
                                                User.active.is_(True)))


def board_page(prefix: str, scope: OrgUnit | None):
    columns = rotation.board(scope)
    first_role = db.session.scalar(select(JobRole.code).order_by(JobRole.code).limit(1))
    return render_template("rotation/board.html", columns=columns, prefix=prefix,
                           paths_role=first_role or "",
                           warn_days=rotation.WARN_DAYS, warn_pct=rotation.WARN_READINESS)


def new_page(prefix: str, scope: OrgUnit | None):
    form = RotationForm(employee_no=request.args.get("employee_no", ""))
    form.to_role.choices = job_role_choices()
    if form.validate_on_submit():
        user, mentor = _person(form.employee_no.data), _person(form.mentor_no.data)
        if user is None:
            form.employee_no.errors.append(_("No one has this employee number."))
        elif form.mentor_no.data and mentor is None:
            form.mentor_no.errors.append(_("No one has this employee number."))
        else:
            to_role = db.session.get(JobRole, form.to_role.data)
            assert to_role is not None  # the select field accepts only the listed roles
            try:
                plan, courses = rotation.plan(
                    user=user, to_role=to_role,
                    start=form.start_date.data, mentor=mentor, notes=form.notes.data,
                    actor=current_user, scope=scope)
            except ServiceError as e:
                db.session.rollback()
                apply_error(form, e)
            else:
                if courses:
                    flash(_("Rotation planned. %(name)s has been enrolled in: %(c)s",
                            name=user.name, c="、".join(c.title_zh for c in courses)), "success")
                else:
                    flash(_("Rotation planned. Nothing to enrol: the path's courses are done."),
                          "success")
                return redirect(url_for(f"{prefix}.rotation", public_id=plan.public_id))
    return render_template("rotation/new.html", form=form, prefix=prefix), (
        422 if form.errors else 200)


def detail_page(prefix: str, scope: OrgUnit | None, public_id: str):
    plan = rotation.plan_for(public_id, scope)
    if plan is None:
        abort(404)
    form = PlanActionForm()
    if form.validate_on_submit():
        try:
            if form.action.data == "move":
                missing = rotation.complete(plan, current_user)
                flash(_("Move recorded: %(name)s is now %(role)s.", name=plan.user.name,
                        role=plan.to_role.name_zh), "success")
                if missing:
                    flash(_("The new role requires certifications not yet held: %(c)s",
                            c=", ".join(missing)), "warning")
            elif form.action.data == "cancel":
                rotation.cancel(plan, current_user)
                flash(_("Rotation cancelled."), "info")
            else:
                flash(_("Unknown action: nothing was changed."), "danger")
        except ServiceError as e:
            flash(str(e.message), "danger")
        return redirect(url_for(f"{prefix}.rotation", public_id=plan.public_id))
    if request.method == "POST":  # an expired form or missing action: say so, never reload
        flash(_("The form has expired or is incomplete: nothing was changed. Try again."),
              "danger")
    state = readiness.for_person(plan.user_id, plan.to_role)
    details = {i.requirement.ref: readiness.certification_detail(plan.user_id,
                                                                 i.requirement.ref)
               for i in state.items if i.requirement.kind == "certification" and not i.met}
    return render_template("rotation/detail.html", plan=plan, state=state, details=details,
                           form=form, prefix=prefix)


def skills_page(prefix: str, scope: OrgUnit | None):
    form = MatrixFilterForm(request.args)
    form.unit.choices = unit_choices(_("All units"))
    unit = scope
    if form.validate() and form.unit.data:
        chosen = db.session.get(OrgUnit, form.unit.data)
        if chosen is not None and (scope is None or chosen.path.startswith(scope.path)):
            unit = chosen
    from lms.people import directory as people

    page = paginate(people.directory(unit=unit, active=True))
    roles, cells = rotation.skills_matrix(unit, page.items)
    return render_template("rotation/skills.html", form=form, page=page, roles=roles,
                           cells=cells, prefix=prefix, unit=unit)
