"""Trainers and HR: grant someone extra attempts on a quiz or practice assessment, or reset
their attempts — with a reason (audited; the person is told)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from lms.assessment import grants
from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import apply_error
from lms.extensions import db
from lms.people.models import User

bp = Routes("author")


class GrantForm(FlaskForm):
    employee_no = StringField(_l("Employee number"), validators=[DataRequired(),
                                                                 Length(max=32)])
    kind = SelectField(_l("Assessment"), choices=[
        ("quiz", _l("Quiz (COURSE/quiz)")), ("scenario", _l("Practice assessment (scenario)"))])
    ref = StringField(_l("Quiz (COURSE/quiz) or scenario code"),
                      validators=[DataRequired(), Length(max=80)])
    action = SelectField(_l("Grant"), choices=[("extra", _l("Extra attempts")),
                                               ("reset", _l("Reset attempts (start afresh)"))])
    extra = IntegerField(_l("How many extra attempts"), default=1,
                         validators=[Optional(), NumberRange(1, 10)])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


@bp.route("/attempts", methods=["GET", "POST"])
def attempt_grants():
    form = GrantForm(employee_no=request.args.get("employee_no", ""))
    if form.validate_on_submit():
        person = db.session.scalar(select(User).where(
            User.employee_no == form.employee_no.data.strip()))
        if person is None:
            form.employee_no.errors = [_("No one has this employee number.")]
        else:
            try:
                grants.grant(person, form.kind.data, form.ref.data, form.action.data,
                             form.extra.data or 0, form.reason.data, current_user)
            except ServiceError as e:
                db.session.rollback()
                apply_error(form, e)
            else:
                flash(_("Granted to %(name)s; they have been told.", name=person.name),
                      "success")
                return redirect(url_for("author.attempt_grants"))
    return render_template("author/attempt_grants.html", form=form,
                           recent=grants.recent()), 422 if form.errors else 200
