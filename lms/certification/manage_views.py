"""Team leaders: the award page and certificate of someone in their own team."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from lms.certification import rules as certs
from lms.certification.models import Award
from lms.core.routes import Routes
from lms.people import directory as people

bp = Routes("manage")


def _team_award(verification_code: str) -> Award:
    award = certs.award_by_code(verification_code)
    unit = people.team_unit_for(current_user)
    if award is None or unit is None or award.user.org_unit is None or \
            not award.user.org_unit.path.startswith(unit.path):
        abort(404)  # not in this manager's team: as if it did not exist
    return award


@bp.get("/awards/<verification_code>")
def award(verification_code: str):
    from lms.certification.pages import award_page

    return award_page(_team_award(verification_code), staff="manager")


@bp.get("/awards/<verification_code>/certificate.pdf")
def award_certificate(verification_code: str):
    from lms.certification.files import certificate_response

    return certificate_response(_team_award(verification_code))
