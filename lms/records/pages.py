"""Training-record pages shared by HR (whole company), team leaders (their unit) and the
learner (their own file): the training file and the training-hours report."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from lms.core import audit, exports
from lms.core.db import commit_keeping_loaded
from lms.core.errors import ServiceError
from lms.core.web import paginate
from lms.extensions import db
from lms.people import directory as people
from lms.people.choices import job_role_choices, unit_choices
from lms.people.models import OrgUnit, User
from lms.records import files, report
from lms.records.forms import HoursFilterForm


def person_in_scope(public_id: str, scope: OrgUnit | None) -> User:
    from sqlalchemy import select

    user = db.session.scalar(select(User).where(User.public_id == public_id))
    if user is None or (scope is not None and (
            user.org_unit is None or not user.org_unit.path.startswith(scope.path))):
        abort(404)  # outside the manager's team: as if it did not exist
    return user


def file_page(prefix: str, user: User):
    from lms.certification import rules as certs

    f = files.training_file(user)
    from lms.records.hours import to_hours

    return render_template("records/file.html", file=f, prefix=prefix, person=user,
                           award_state=certs.state, hours_of=to_hours)


def file_export(user: User, fmt: str):
    f = files.training_file(user)
    audit.record("personal_data_exported", actor=current_user, target=user,
                 what="training_file", format=fmt)
    commit_keeping_loaded()  # the export streams after this commit
    try:
        stem = _("training file") + "-" + user.employee_no
        return exports.export_response(fmt, stem,
                                       files.export_header(), files.export_rows(f))
    except ServiceError:
        abort(404)


def _filters(scope: OrgUnit | None) -> tuple[HoursFilterForm, report.Filters]:
    form = HoursFilterForm(request.args)
    form.unit.choices = unit_choices(_("All units"))
    form.job_role.choices = job_role_choices(_("All job roles"))
    today = date.today()
    from lms.records import targets

    general, per_role = targets.current()
    f = report.Filters(start=date(today.year, 1, 1), end=today, unit=scope, general=general,
                       per_role=per_role)
    if form.validate():
        f.start = form.start.data or f.start
        f.end = form.end.data or f.end
        f.target = form.target.data
        f.job_role = people.job_role_by_id(form.job_role.data)
        chosen = people.unit_by_id(form.unit.data)
        if chosen is not None and (scope is None or chosen.path.startswith(scope.path)):
            f.unit = chosen
    if not form.start.data and not form.start.errors:
        form.start.data = f.start
    if not form.end.data and not form.end.errors:
        form.end.data = f.end
    return form, f


def hours_page(prefix: str, scope: OrgUnit | None):
    form, f = _filters(scope)
    page = paginate(report.people_query(f))
    return render_template("records/hours.html", form=form, filters=f, page=page,
                           totals=report.person_totals(f, page.items),
                           units=report.by_unit(f), summary=report.summary(f), prefix=prefix,
                           args=request.args.to_dict()), (422 if form.errors else 200)


def hours_export(scope: OrgUnit | None, fmt: str):
    form, f = _filters(scope)
    if form.errors:
        abort(400)
    audit.record("personal_data_exported", actor=current_user, target=f.unit,
                 what="training_hours", format=fmt, start=f.start.isoformat(),
                 end=f.end.isoformat())
    commit_keeping_loaded()  # the export streams after this commit
    try:
        return exports.export_response(fmt, _("training hours"), report.export_header(),
                                       report.export_rows(f))
    except ServiceError:
        abort(404)
