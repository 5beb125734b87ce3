"""The award page shared by HR and team leaders: evidence snapshot, full history with actors
and reasons, the hold, the PDF and the verification link."""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l

from lms.certification import history, holds
from lms.certification.forms import LiftHoldForm, RevokeForm
from lms.certification.models import Award
from lms.certification.state import state

ACTIONS = {
    "issued": _l("Issued"),
    "renewed": _l("Renewed"),
    "reminded": _l("Reminded (renewal window opened)"),
    "revoked": _l("Revoked"),
    "superseded": _l("Superseded by a newer award"),
    "expired": _l("Expired"),
    "hold_lifted": _l("Hold lifted"),
    "notice_60": _l("Expiry notice: 60 days"),
    "notice_30": _l("Expiry notice: 30 days"),
    "notice_7": _l("Expiry notice: 7 days"),
    "notice_0": _l("Expiry notice: expired"),
}


def award_page(award: Award, *, staff: str, revoke: RevokeForm | None = None,
               lift: LiftHoldForm | None = None) -> str:
    base = current_app.config["BASE_URL"].rstrip("/")
    return render_template(
        "hr/award.html", award=award, state=state(award), events=history.of(award),
        hold=holds.of_award(award), actions=ACTIONS, staff=staff, revoke=revoke, lift=lift,
        verify_url=f"{base}/verify/{award.verification_code}")
