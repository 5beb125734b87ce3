"""HR: the people directory (certifications and rotation arrive with their features)."""

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from ..forms_common import job_role_choices, unit_choices
from ..services import people
from ..web import paginate
from .forms import DirectoryFilterForm

bp = Blueprint("hr", __name__, url_prefix="/hr")


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
    from ..rotation_pages import board_page

    return board_page("hr", None)


@bp.route("/rotations/new", methods=["GET", "POST"])
def rotation_new():
    from ..rotation_pages import new_page

    return new_page("hr", None)


@bp.route("/rotations/<public_id>", methods=["GET", "POST"])
def rotation(public_id: str):
    from ..rotation_pages import detail_page

    return detail_page("hr", None, public_id)


@bp.get("/skills")
def skills():
    from ..rotation_pages import skills_page

    return skills_page("hr", None)
