"""HR: the people directory (certifications and rotation arrive with their features)."""

from flask import render_template, request
from flask_babel import gettext as _

from lms.certification.forms import DirectoryFilterForm
from lms.core.routes import Routes
from lms.core.web import paginate
from lms.people import directory as people
from lms.people.choices import job_role_choices, unit_choices

bp = Routes("hr")


@bp.get("/people", endpoint="people")
def people_list():
    form = DirectoryFilterForm(request.args)
    form.unit.choices = unit_choices(_("All units"))
    form.job_role.choices = job_role_choices(_("All job roles"))
    if form.validate():
        stmt = people.directory(unit=people.unit_by_id(form.unit.data),
                                job_role=people.job_role_by_id(form.job_role.data),
                                q=form.q.data or "")
    else:  # errors show next to the fields; the list stays unfiltered
        stmt = people.directory()
    page = paginate(stmt)
    return render_template("hr/people.html", form=form, page=page)


@bp.get("/rotations")
def rotations():
    from lms.rotation.pages import board_page

    return board_page("hr", None)


@bp.route("/rotations/new", methods=["GET", "POST"])
def rotation_new():
    from lms.rotation.pages import new_page

    return new_page("hr", None)


@bp.route("/rotations/<public_id>", methods=["GET", "POST"])
def rotation(public_id: str):
    from lms.rotation.pages import detail_page

    return detail_page("hr", None, public_id)


@bp.get("/skills")
def skills():
    from lms.rotation.pages import skills_page

    return skills_page("hr", None)


@bp.route("/job-roles/<code>/path", methods=["GET", "POST"])
def role_path(code: str):
    from flask import abort, flash, redirect, url_for
    from flask_login import current_user
    from sqlalchemy import select

    from lms.certification.forms import RolePathForm
    from lms.core.errors import ServiceError
    from lms.extensions import db
    from lms.people.models import JobRole
    from lms.rotation import readiness

    role = db.session.scalar(select(JobRole).where(JobRole.code == code))
    if role is None:
        abort(404)
    current = readiness.requirements_by_role([role.id]).get(role.id, [])
    if request.method == "GET":
        form = RolePathForm(data={"items": [
            {"kind": r.kind, "ref": r.ref, "min_score": r.min_score,
             "required": "1" if r.required else "0"} for r in current]})
    else:
        form = RolePathForm()
    if form.validate_on_submit():
        rows = form.rows()
        if not any(e.form.errors for e in form.items.entries):
            try:
                readiness.save_path(role, rows, current_user)
            except ServiceError as e:
                db.session.rollback()
                _prefix, index, name = e.field.split("-")
                form.items.entries[int(index)].form[name].errors.append(str(e.message))
            else:
                flash(_("The learning path of %(r)s is saved.", r=role.name_zh), "success")
                return redirect(url_for("hr.role_path", code=role.code))
    roles = db.session.scalars(select(JobRole).order_by(JobRole.code)).all()
    return render_template("hr/role_path.html", form=form, role=role, roles=roles), (
        422 if any(e.form.errors for e in form.items.entries) else 200)
