"""Administration: users, org units, job roles and the audit log."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.core import audit
from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import apply_error, client_ip, get_or_404, paginate
from lms.extensions import db
from lms.people import accounts, activation, org
from lms.people import audit_log as audit_reading
from lms.people import directory as people
from lms.people.admin_forms import (
    AuditFilterForm,
    ConfirmForm,
    JobRoleForm,
    NewUserForm,
    OrgUnitForm,
    UserFilterForm,
    UserForm,
)
from lms.people.choices import job_role_choices, unit_choices
from lms.people.models import JobRole, OrgUnit, User

bp = Routes("admin")


def _fill_choices(form) -> None:
    form.org_unit.choices = unit_choices(_("— none —"))
    form.job_role.choices = job_role_choices(_("— none —"))


# --- users -----------------------------------------------------------------------------

@bp.get("/users")
def users():
    form = UserFilterForm(request.args)
    active = None
    if form.validate() and form.status.data:
        active = form.status.data == "active"
    page = paginate(people.directory(q=form.q.data or "", active=active))
    return render_template("admin/users.html", form=form, page=page)


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    form = NewUserForm()
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                employee_no=form.employee_no.data, name=form.name.data, email=form.email.data,
                password=form.password.data, roles=set(form.roles.data or ()),
                org_unit=people.unit_by_id(form.org_unit.data),
                job_role=people.job_role_by_id(form.job_role.data),
                actor=current_user, ip=client_ip())
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("User %(no)s created.", no=user.employee_no), "success")
            return redirect(url_for("admin.user_edit", public_id=user.public_id))
    return render_template("admin/user_form.html", form=form, user=None), (
        422 if form.errors else 200)


@bp.route("/users/<public_id>", methods=["GET", "POST"])
def user_edit(public_id: str):
    user = get_or_404(User, public_id=public_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    _fill_choices(form)
    if request.method == "GET":
        form.org_unit.data = user.org_unit_id or 0
        form.job_role.data = user.job_role_id or 0
        form.roles.data = sorted(user.roles - {"learner"})
    if form.validate_on_submit():
        try:
            accounts.update_user(
                user, actor=current_user, name=form.name.data, email=form.email.data,
                employee_no=form.employee_no.data, roles=set(form.roles.data or ()),
                org_unit=people.unit_by_id(form.org_unit.data),
                job_role=people.job_role_by_id(form.job_role.data),
                active=form.active.data, ip=client_ip())
        except ServiceError as e:
            db.session.rollback()
            apply_error(form, e)
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("admin.user_edit", public_id=user.public_id))
    history = accounts.role_history(user)
    return render_template("admin/user_form.html", form=form, user=user, history=history,
                           confirm=ConfirmForm()), (422 if form.errors else 200)


@bp.post("/users/<public_id>/reset-password")
def user_reset_password(public_id: str):
    user = get_or_404(User, public_id=public_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("admin.user_edit", public_id=user.public_id))
    password = accounts.reset_password(user, current_user, client_ip())
    # Shown in this answer only: a flash would carry it in the (unencrypted) session cookie.
    return render_template("admin/temporary_password.html", user=user, password=password), 200, {
        "Cache-Control": "no-store"}


@bp.post("/users/<public_id>/activation-code")
def user_activation_code(public_id: str):
    user = get_or_404(User, public_id=public_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("admin.user_edit", public_id=user.public_id))
    issued = activation.issue_codes([user], current_user, client_ip())
    return render_template("people/activation_sheet.html", issued=issued), 200, {
        "Cache-Control": "no-store"}


# --- org units -------------------------------------------------------------------------

def _parent_choices(form: OrgUnitForm) -> None:
    form.parent.choices = unit_choices(_("— none (top level) —"))


@bp.route("/org-units", methods=["GET", "POST"])
def org_units():
    form = OrgUnitForm()
    _parent_choices(form)
    if form.validate_on_submit():
        try:
            org.create_unit(code=form.code.data, name_zh=form.name_zh.data,
                            name_en=form.name_en.data, kind=form.kind.data,
                            parent=people.unit_by_id(form.parent.data), actor=current_user)
        except ServiceError as e:
            db.session.rollback()
            apply_error(form, e)
        else:
            flash(_("Org unit created."), "success")
            return redirect(url_for("admin.org_units"))
    units = org.ordered_units()
    return render_template("admin/org_units.html", form=form, units=units,
                           depth=org.depth), (422 if form.errors else 200)


@bp.route("/org-units/<int:unit_id>", methods=["GET", "POST"])
def org_unit_edit(unit_id: int):
    unit = get_or_404(OrgUnit, id=unit_id)
    form = OrgUnitForm(obj=unit) if request.method == "GET" else OrgUnitForm()
    _parent_choices(form)
    if request.method == "GET":
        form.parent.data = unit.parent_id or 0
    if form.validate_on_submit():
        try:
            org.update_unit(unit, code=form.code.data, name_zh=form.name_zh.data,
                            name_en=form.name_en.data, kind=form.kind.data,
                            parent=people.unit_by_id(form.parent.data), actor=current_user)
        except ServiceError as e:
            db.session.rollback()
            apply_error(form, e)
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("admin.org_units"))
    return render_template("admin/org_unit_form.html", form=form, unit=unit), (
        422 if form.errors else 200)


# --- job roles -------------------------------------------------------------------------

@bp.route("/job-roles", methods=["GET", "POST"])
def job_roles():
    form = JobRoleForm()
    if form.validate_on_submit():
        try:
            org.save_job_role(None, code=form.code.data, name_zh=form.name_zh.data,
                              name_en=form.name_en.data, description_zh=form.description_zh.data,
                              description_en=form.description_en.data, actor=current_user)
        except ServiceError as e:
            db.session.rollback()
            apply_error(form, e)
        else:
            flash(_("Job role created."), "success")
            return redirect(url_for("admin.job_roles"))
    roles = db.session.scalars(select(JobRole).order_by(JobRole.code)).all()
    return render_template("admin/job_roles.html", form=form, roles=roles), (
        422 if form.errors else 200)


@bp.route("/job-roles/<int:role_id>", methods=["GET", "POST"])
def job_role_edit(role_id: int):
    role = get_or_404(JobRole, id=role_id)
    form = JobRoleForm(obj=role)
    if form.validate_on_submit():
        try:
            org.save_job_role(role, code=form.code.data, name_zh=form.name_zh.data,
                              name_en=form.name_en.data, description_zh=form.description_zh.data,
                              description_en=form.description_en.data, actor=current_user)
        except ServiceError as e:
            db.session.rollback()
            apply_error(form, e)
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("admin.job_roles"))
    return render_template("admin/job_role_form.html", form=form, role=role), (
        422 if form.errors else 200)


# --- audit log -------------------------------------------------------------------------

@bp.get("/audit")
def audit_log():
    form = AuditFilterForm(request.args)
    form.action.choices = [("", _("All actions"))] + [(a, a) for a in audit.ACTIONS]
    stmt = audit_reading.events_query()
    if form.validate():
        stmt = audit_reading.events_query(form.action.data or None, (form.actor.data or "").strip()
                                  or None)
    return render_template("admin/audit.html", form=form, page=paginate(stmt))
