"""HR: the rotation board, planning, the skills matrix and job roles' learning paths."""

from flask import render_template, request
from flask_babel import gettext as _

from lms.core.routes import Routes

bp = Routes("hr")


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

    from lms.core.errors import ServiceError
    from lms.extensions import db
    from lms.people.models import JobRole
    from lms.rotation import readiness
    from lms.rotation.forms import RolePathForm

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
                assert e.field is not None  # save_path names the item at fault: items-<i>-<name>
                _prefix, index, name = e.field.split("-")
                form.items.entries[int(index)].form[name].errors.append(str(e.message))
            else:
                flash(_("The learning path of %(r)s is saved.", r=role.name_zh), "success")
                return redirect(url_for("hr.role_path", code=role.code))
    roles = db.session.scalars(select(JobRole).order_by(JobRole.code)).all()
    return render_template("hr/role_path.html", form=form, role=role, roles=roles), (
        422 if any(e.form.errors for e in form.items.entries) else 200)
