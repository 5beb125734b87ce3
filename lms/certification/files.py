"""The printable certificate of an award, for whoever may see it (holder, HR, their manager)."""

from __future__ import annotations

from flask import Response, current_app

from lms.certification.models import Award


def certificate_response(award: Award) -> Response:
    from lms.certification import documents as certificates

    base = current_app.config["BASE_URL"].rstrip("/")
    pdf = certificates.certificate_pdf(award, f"{base}/verify/{award.verification_code}",
                                       current_app.config["ORG_NAME"])
    filename = f"certificate-{award.certification.code}-{award.user.employee_no}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{filename}"',
        "Cache-Control": "private, no-store"})
