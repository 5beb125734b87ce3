"""The learner's own certificates."""

from flask import abort
from flask_login import current_user

from lms.core.routes import Routes

bp = Routes("learn")


@bp.get("/awards/<code>/certificate.pdf")
def certificate(code: str):
    from lms.certification import rules as certs
    from lms.certification.files import certificate_response

    award = certs.award_by_code(code)
    if award is None or award.user_id != current_user.id:
        abort(404)
    return certificate_response(award)
