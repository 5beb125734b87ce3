"""Public pages: certificate verification and Open Badges 2.0 hosted verification."""

from __future__ import annotations

import hashlib

from flask import abort, current_app, jsonify, render_template

from lms.certification import rules as certs
from lms.core.routes import Routes

bp = Routes("main")


def _base() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def badge_salt() -> str:
    """The shared salt of awards issued before salts were per award (kept so that their
    badges still verify); new awards carry their own (`Award.badge_salt`)."""
    return hashlib.sha256(("badge-salt:" + current_app.config["SECRET_KEY"]).encode()
                          ).hexdigest()[:16]


@bp.get("/verify/<code>")
def verify(code: str):
    award = certs.award_by_code(code)
    if award is None:
        abort(404)
    return render_template("main/verify.html", award=award, state=certs.state(award))


def _json(data):
    response = jsonify(data)
    response.mimetype = "application/ld+json"
    return response


@bp.get("/badges/issuer.json")
def badge_issuer():
    from lms.certification import documents as certificates

    return _json(certificates.issuer_profile(_base(), current_app.config["ORG_NAME"],
                                             current_app.config["MAIL_FROM"]))


@bp.get("/badges/classes/<code>.json")
def badge_class(code: str):
    from lms.certification import documents as certificates

    cert = certs.certification_by_code(code)
    if cert is None:
        abort(404)
    return _json(certificates.badge_class(cert, _base()))


@bp.get("/badges/assertions/<code>.json")
def badge_assertion(code: str):
    from lms.certification import documents as certificates

    award = certs.award_by_code(code)
    if award is None:
        abort(404)
    data = certificates.assertion(award, _base(), award.badge_salt or badge_salt())
    response = _json(data)
    if award.status == "revoked":
        # Open Badges 2.0 hosted verification: a revoked assertion answers 410 Gone with
        # {"revoked": true, "revocationReason": …}.
        response.status_code = 410
    return response
