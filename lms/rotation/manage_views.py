"""Team leaders: their team's certifications and rotations (the team page itself is
lms/records/team_views.py)."""

from flask import render_template
from flask_login import current_user

from lms.core.routes import Routes
from lms.people import directory as people

bp = Routes("manage")


@bp.get("/compliance")
def compliance():
    from lms.certification.compliance_pages import render_dashboard

    unit = people.team_unit_for(current_user)
    if unit is None:
        return render_template("manage/team.html", unit=None, page=None)
    return render_dashboard("hr/compliance.html", restrict_unit=unit,
                            endpoint="manage.compliance")


@bp.get("/people/<public_id>")
def person(public_id: str):
    from flask import abort
    from sqlalchemy import select

    from lms.certification import rules as certs
    from lms.extensions import db
    from lms.people.models import User

    unit = people.team_unit_for(current_user)
    user = db.session.scalar(select(User).where(User.public_id == public_id))
    if user is None or unit is None or user.org_unit is None or \
            not user.org_unit.path.startswith(unit.path):
        abort(404)  # not in this manager's team: as if it did not exist
    return render_template("hr/person.html", person=user, awards=certs.awards_of(user.id),
                           state=certs.state, award_endpoint="manage.award")


def _scope():
    from flask import abort

    unit = people.team_unit_for(current_user)
    if unit is None:
        abort(404)
    return unit


@bp.get("/rotations")
def rotations():
    from lms.rotation.pages import board_page

    return board_page("manage", _scope())


@bp.route("/rotations/new", methods=["GET", "POST"])
def rotation_new():
    from lms.rotation.pages import new_page

    return new_page("manage", _scope())


@bp.route("/rotations/<public_id>", methods=["GET", "POST"])
def rotation(public_id: str):
    from lms.rotation.pages import detail_page

    return detail_page("manage", _scope(), public_id)


@bp.get("/skills")
def skills():
    from lms.rotation.pages import skills_page

    return skills_page("manage", _scope())
