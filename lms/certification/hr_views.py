"""HR: defining certifications, issuing and revoking awards, the compliance dashboard."""

from __future__ import annotations

import hashlib
import json

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.certification import defining
from lms.certification import rules as certs
from lms.certification.compliance_pages import compliance_filters, render_dashboard
from lms.certification.forms import (
    CertificationForm,
    IssueForm,
    LiftHoldForm,
    RetireForm,
    RevokeForm,
)
from lms.certification.models import Certification
from lms.core.db import commit_keeping_loaded
from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import apply_error, paginate, safe_next
from lms.extensions import db
from lms.people.choices import ComplianceFilterForm
from lms.people.models import User

bp = Routes("hr")


def _cert_or_404(code: str) -> Certification:
    cert = certs.certification_by_code(code)
    if cert is None:
        abort(404)
    return cert


@bp.get("/certifications")
def certifications():
    retired = request.args.get("retired") == "1"
    stmt = select(Certification).order_by(Certification.code)
    if not retired:
        stmt = stmt.where(Certification.active.is_(True))
    return render_template("hr/certifications.html", certs=db.session.scalars(stmt).all(),
                           holders=certs.holder_counts(), retired=retired)


@bp.post("/certifications/<code>/retire")
def certification_retire(code: str):
    cert = _cert_or_404(code)
    form = RetireForm()
    try:
        if not form.validate_on_submit():
            raise ServiceError(_("Give the reason for retiring."), field="reason")
        if cert.active:
            defining.retire(cert, current_user, form.reason.data)
            flash(_("%(c)s is retired: no new awards; existing awards keep their dates.",
                    c=cert.code), "success")
        else:
            defining.reinstate(cert, current_user, form.reason.data)
            flash(_("%(c)s is awarded again.", c=cert.code), "success")
    except ServiceError as e:
        db.session.rollback()
        flash(str(e.message), "danger")
    return redirect(url_for("hr.certification", code=cert.code))


def _fingerprint() -> str:
    """What HR previewed: every submitted field but the token and the confirmation."""
    items = sorted((k, v.strip()) for k, vs in request.form.lists() for v in vs
                   if k not in ("csrf_token", "confirm") and v.strip())
    return hashlib.sha256(json.dumps(items, ensure_ascii=False).encode()).hexdigest()[:32]


def _save(form: CertificationForm, cert: Certification | None):
    """First a preview (who would be awarded, who would lose eligibility); the same data
    confirmed saves the definition and evaluates everyone at once."""
    definition = dict(
        code=form.code.data, name_zh=form.name_zh.data, name_en=form.name_en.data,
        description_zh=form.description_zh.data, description_en=form.description_en.data,
        validity_months=form.validity_months.data,
        recert_window_days=form.recert_window_days.data,
        requirements=form.requirement_rows())
    fingerprint = _fingerprint()
    try:
        if request.form.get("confirm") != fingerprint:
            preview = defining.preview(cert, definition["code"], definition["requirements"],
                                       definition["validity_months"],
                                       definition["recert_window_days"] or 0)
            return render_template("hr/certification_form.html", form=form, cert=cert,
                                   preview=preview, fingerprint=fingerprint)
        saved, _job = certs.save_and_evaluate(cert, actor=current_user, **definition)
    except ServiceError as e:
        db.session.rollback()
        if e.field and e.field.startswith("requirements-"):
            _prefix, index, name = e.field.split("-")
            form.requirements.entries[int(index)].form[name].errors.append(str(e.message))
            form.form_errors.append(str(e.message))
        elif e.field == "requirements":
            form.form_errors.append(str(e.message))
        else:
            apply_error(form, e)
        return None
    flash(_("Certification %(c)s saved. Everyone it could apply to is being evaluated: the "
            "progress shows below.", c=saved.code), "success")
    return redirect(url_for("hr.certification", code=saved.code))


@bp.route("/certifications/new", methods=["GET", "POST"])
def certification_new():
    form = CertificationForm()
    if form.validate_on_submit():
        done = _save(form, None)
        if done:
            return done
    return render_template("hr/certification_form.html", form=form, cert=None), (
        422 if form.errors or form.form_errors else 200)


@bp.route("/certifications/<code>/edit", methods=["GET", "POST"])
def certification_edit(code: str):
    cert = _cert_or_404(code)
    if request.method == "GET":
        form = CertificationForm(obj=cert)
        for entry, req in zip(form.requirements.entries, cert.requirements, strict=False):
            entry.form.kind.data, entry.form.ref.data = req.kind, req.ref
            entry.form.min_score.data = req.min_score
    else:
        form = CertificationForm()
    if form.validate_on_submit():
        done = _save(form, cert)
        if done:
            return done
    return render_template("hr/certification_form.html", form=form, cert=cert), (
        422 if form.errors or form.form_errors else 200)


@bp.route("/certifications/<code>", methods=["GET", "POST"])
def certification(code: str):
    cert = _cert_or_404(code)
    form = IssueForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(
            User.employee_no == form.employee_no.data.strip()))
        if user is None:
            form.employee_no.errors.append(_("No one has this employee number."))
        else:
            try:
                certs.issue_manually(user, cert, current_user, form.reason.data)
            except ServiceError as e:
                db.session.rollback()
                apply_error(form, e)
            else:
                flash(_("Awarded to %(name)s.", name=user.name), "success")
                return redirect(url_for("hr.certification", code=cert.code))
    from lms.certification.models import Award

    page = paginate(select(Award).where(Award.certification_id == cert.id)
                    .order_by(Award.issued_at.desc()))
    holders = {u.id: u for u in db.session.scalars(select(User).where(
        User.id.in_([a.user_id for a in page.items])))} if page.items else {}
    from lms.certification.evaluation_jobs import latest_for

    return render_template("hr/certification.html", cert=cert, form=form, page=page,
                           holders=holders, state=certs.state, revoke=RevokeForm(),
                           evaluation=latest_for(cert.code), retire=RetireForm()), (
        422 if form.errors else 200)


@bp.post("/awards/<verification_code>/revoke")
def award_revoke(verification_code: str):
    award = certs.award_by_code(verification_code)
    if award is None:
        abort(404)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            certs.revoke(award, current_user, form.reason.data)
        except ServiceError as e:
            flash(str(e.message), "danger")
        else:
            flash(_("The award has been revoked."), "success")
    else:
        flash(_("Give the reason for revoking."), "danger")
    return redirect(safe_next(request.form.get("next"),
                              url_for("hr.certification", code=award.certification.code)))


@bp.get("/compliance")
def dashboard():
    return render_dashboard("hr/compliance.html")


@bp.get("/compliance/export.<fmt>")
def compliance_export(fmt: str):
    from lms.certification import compliance_export
    from lms.core import audit, exports

    form = ComplianceFilterForm(request.args)
    f = compliance_filters(form)
    days = form.days.data if form.days.data in (30, 60, 90) else 90
    if fmt not in exports.FORMATS:
        abort(404)
    audit.record("personal_data_exported", actor=current_user, target=f.unit,
                 what="compliance", format=fmt, days=days)
    commit_keeping_loaded()  # the export streams after this, reading the filters' objects
    return exports.export_response(fmt, _("certification compliance"),
                                   compliance_export.header(days),
                                   compliance_export.rows(f, days))


@bp.get("/people/<public_id>")
def person(public_id: str):
    user = db.session.scalar(select(User).where(User.public_id == public_id))
    if user is None:
        abort(404)
    from lms.certification import holds

    return render_template("hr/person.html", person=user, awards=certs.awards_of(user.id),
                           state=certs.state, holds=holds.open_for_user(user.id),
                           lift=LiftHoldForm())


@bp.post("/awards/<verification_code>/lift-hold")
def award_lift_hold(verification_code: str):
    from lms.certification import holds

    award = certs.award_by_code(verification_code)
    hold = holds.of_award(award) if award is not None else None
    if award is None or hold is None:
        abort(404)
    form = LiftHoldForm()
    if form.validate_on_submit():
        try:
            issued = certs.lift_hold(hold, current_user, form.reason.data)
        except ServiceError as e:
            db.session.rollback()
            flash(str(e.message), "danger")
        else:
            flash(_("The hold has been lifted.") + (" " + _(
                "Awarded again on new evidence.") if issued else ""), "success")
    else:
        flash(_("Give the reason for lifting the hold."), "danger")
    return redirect(safe_next(request.form.get("next"),
                              url_for("hr.person", public_id=award.user.public_id)))


@bp.get("/awards/<verification_code>")
def award(verification_code: str):
    from lms.certification.pages import award_page

    award = certs.award_by_code(verification_code)
    if award is None:
        abort(404)
    return award_page(award, staff="hr", revoke=RevokeForm(), lift=LiftHoldForm())


@bp.get("/awards/<verification_code>/certificate.pdf")
def award_certificate(verification_code: str):
    from lms.certification.files import certificate_response

    award = certs.award_by_code(verification_code)
    if award is None:
        abort(404)
    return certificate_response(award)
