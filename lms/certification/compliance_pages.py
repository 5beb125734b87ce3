"""The compliance dashboard, shared by HR (whole company) and managers (their own unit)."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from lms.certification import compliance
from lms.certification.models import Certification
from lms.core.web import paginate
from lms.extensions import db
from lms.people import directory as people
from lms.people.choices import ComplianceFilterForm, job_role_choices, unit_choices


def compliance_filters(form: ComplianceFilterForm, restrict_unit=None) -> compliance.Filters:
    form.unit.choices = unit_choices(_("All units"))
    form.job_role.choices = job_role_choices(_("All job roles"))
    form.certification.choices = [(0, _("All certifications"))] + [
        (c.id, f"{c.code} {c.name_zh}") for c in compliance.all_certifications()]
    f = compliance.Filters()
    if form.validate():
        f.unit = people.unit_by_id(form.unit.data)
        f.job_role = people.job_role_by_id(form.job_role.data)
        f.certification = db.session.get(Certification, form.certification.data) \
            if form.certification.data else None
    if restrict_unit is not None:
        # A manager sees only their own unit; a chosen unit must lie inside it.
        if f.unit is None or not f.unit.path.startswith(restrict_unit.path):
            f.unit = restrict_unit
    return f


def render_dashboard(template: str, restrict_unit=None, endpoint: str = "hr.dashboard"):
    form = ComplianceFilterForm(request.args)
    f = compliance_filters(form, restrict_unit)
    days = form.days.data if form.days.data in (30, 60, 90) else 90
    certs_shown = [f.certification] if f.certification else compliance.all_certifications()
    page = paginate(compliance.people_query(f))
    return render_template(
        template, form=form, filters=f, days=days,
        counts=compliance.counts_by_state(f), units=compliance.compliance_by_unit(f),
        expiring=compliance.expiring(f, days), expiring_total=compliance.count_expiring(f, days),
        gaps=compliance.missing_required(f, limit=200),
        matrix=compliance.matrix(page.items, certs_shown), page=page, endpoint=endpoint)
