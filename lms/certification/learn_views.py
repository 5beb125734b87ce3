"""The learner's certifications: what each requires and how far they are, and their own
certificates."""

from flask import abort, render_template
from flask_login import current_user

from lms.core.routes import Routes

bp = Routes("learn")


@bp.get("/certifications")
def certifications():
    from lms.certification import learner
    from lms.certification.state import state

    return render_template("learn/certifications.html", views=learner.overview(current_user),
                           held=learner.held(current_user), state=state)


@bp.get("/awards/<code>/certificate.pdf")
def certificate(code: str):
    from lms.certification import rules as certs
    from lms.certification.files import certificate_response

    award = certs.award_by_code(code)
    if award is None or award.user_id != current_user.id:
        abort(404)
    return certificate_response(award)
