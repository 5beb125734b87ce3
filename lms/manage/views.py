"""Team leaders: the people of their own unit and its sub-units."""

from flask import Blueprint, render_template
from flask_login import current_user

from ..services import people
from ..web import paginate

bp = Blueprint("manage", __name__, url_prefix="/team")


@bp.get("/")
def team():
    unit = people.team_unit_for(current_user)
    page = paginate(people.directory(unit=unit)) if unit is not None else None
    return render_template("manage/team.html", unit=unit, page=page)
