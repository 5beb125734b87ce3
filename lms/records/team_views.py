"""Team leaders (班长): each person's assigned work, progress and overdue items, and
assigning a course with a due date to people of the team."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.catalog import learning
from lms.catalog import team_progress as progress
from lms.catalog.models import Course
from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import apply_error, paginate
from lms.extensions import db
from lms.i18n import localized
from lms.people import directory as people
from lms.people.models import OrgUnit, User
from lms.records import hours as records_hours
from lms.records.forms import TeamAssignForm

bp = Routes("manage")

OVERDUE_LIMIT = 200


def _members(unit: OrgUnit) -> list[User]:
    return list(db.session.scalars(people.directory(unit=unit, active=True)))


def _assign_form(unit: OrgUnit, members: list[User] | None = None) -> TeamAssignForm:
    form = TeamAssignForm()
    form.course.choices = [(0, "—")] + [(c.id, f"{c.code} {localized(c, 'title')}")
                                        for c in progress.assignable_courses()]
    form.people.choices = [(u.id, f"{u.name} ({u.employee_no})")
                           for u in (members if members is not None else _members(unit))]
    return form


@bp.get("/")
def team():
    unit = people.team_unit_for(current_user)
    if unit is None:
        return render_template("manage/team.html", unit=None, page=None)
    page = paginate(people.directory(unit=unit))
    team_ids = list(db.session.scalars(people.directory(unit=unit, active=True)
                                       .with_only_columns(User.id).order_by(None)))
    all_rows = progress.progress_rows(sorted({*team_ids, *(u.id for u in page.items)}))
    overdue = [r for r in all_rows if r.status == "overdue"][:OVERDUE_LIMIT]
    form = _assign_form(unit, [u for u in page.items if u.active])
    today = date.today()
    hours = records_hours.totals([u.id for u in page.items], date(today.year, 1, 1), today)
    return render_template("manage/team.html", unit=unit, page=page,
                           rows=progress.by_user(all_rows), overdue=overdue,
                           totals=progress.summary(all_rows), form=form, hours=hours,
                           certificates=_valid_awards([u.id for u in page.items]))


def _valid_awards(user_ids: list[int]) -> dict[int, int]:
    """user id → how many certifications they validly hold (one grouped query)."""
    from sqlalchemy import func, select

    from lms.certification import state as award_state
    from lms.certification.models import Award

    if not user_ids:
        return {}
    return {uid: n for uid, n in db.session.execute(
        select(Award.user_id, func.count(func.distinct(Award.certification_id)))
        .where(Award.user_id.in_(user_ids), award_state.counts_sql())
        .group_by(Award.user_id))}


@bp.post("/remind")
def remind():
    from lms.core.forms import ActionForm

    unit = people.team_unit_for(current_user)
    if unit is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    team_ids = list(db.session.scalars(people.directory(unit=unit, active=True)
                                       .with_only_columns(User.id).order_by(None)))
    overdue = [r for r in progress.progress_rows(team_ids) if r.status == "overdue"]
    n = progress.remind(overdue, current_user)
    db.session.commit()
    if n:
        flash(_("Reminder sent for %(n)d overdue course(s).", n=n), "success")
    else:
        flash(_("Nothing is overdue."), "info")
    return redirect(url_for("manage.team"))


@bp.route("/assign", methods=["GET", "POST"])
def assign():
    unit = people.team_unit_for(current_user)
    if unit is None:
        abort(404)
    members = _members(unit)
    form = _assign_form(unit, members)
    if form.validate_on_submit():
        course = db.session.get(Course, form.course.data)
        chosen = [u for u in members if u.id in set(form.people.data or [])]
        try:
            if course is None:
                raise ServiceError(_("Choose a course."), field="course")
            added, updated = learning.assign(course, chosen, form.due_date.data, current_user)
        except ServiceError as e:
            db.session.rollback()
            apply_error(form, e)
        else:
            flash(_("%(c)s assigned: %(a)d new, %(u)d updated. They have been notified.",
                    c=localized(course, "title"), a=added, u=updated), "success")
            return redirect(url_for("manage.team"))
    return render_template("manage/assign.html", unit=unit, form=form), (
        422 if form.errors else 200)


def _scope() -> OrgUnit:
    unit = people.team_unit_for(current_user)
    if unit is None:
        abort(404)
    return unit


@bp.get("/people/<public_id>/training-file")
def training_file(public_id: str):
    from lms.records import pages

    return pages.file_page("manage", pages.person_in_scope(public_id, _scope()))


@bp.get("/people/<public_id>/training-file.<fmt>")
def training_file_export(public_id: str, fmt: str):
    from lms.records import pages

    return pages.file_export(pages.person_in_scope(public_id, _scope()), fmt)


@bp.get("/training-hours")
def training_hours():
    from lms.records import pages

    return pages.hours_page("manage", _scope())


@bp.get("/training-hours.<fmt>")
def training_hours_export(fmt: str):
    from lms.records import pages

    return pages.hours_export(_scope(), fmt)
