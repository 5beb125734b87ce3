"""The award page for HR and team leaders: evidence, history with actors and reasons, the
hold, the PDF and the verification link — reached from the person and certification pages."""

from __future__ import annotations

import re

from sqlalchemy import select

from lms.certification import rules as certs
from lms.certification.models import Award
from lms.core.audit import AuditEvent
from tests.forms import form_fields
from tests.web.test_certification import _cert


def _section(html: str, element_id: str) -> str:
    return html.split(f'id="{element_id}"')[1].split("</table>")[0]


def test_hr_issues_revokes_and_lifts_on_the_award_page(client, make, login_as, db):
    course = make.course("AWP-1")
    company = make.unit("company")
    person = make.user(employee_no="E8001", name="钱柜员", org_unit=company)
    hr = login_as("hr", name="人资小周")
    cert = _cert(make, course, hr=hr)

    # Issue by hand through the certification page's form.
    path = f"/hr/certifications/{cert.code}"
    data = {**form_fields(client.get(path).get_data(as_text=True), path),
            "employee_no": "E8001", "reason": "外部考试合格"}
    page = client.post(path, data=data, follow_redirects=True).get_data(as_text=True)
    award = db.session.scalar(select(Award).where(Award.user_id == person.id))
    assert f"/hr/awards/{award.verification_code}" in page
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "award_issued"))
    assert audit.details["reason"] == "外部考试合格" and audit.ip == "127.0.0.1"

    # From the person page to the award page.
    person_page = client.get(f"/hr/people/{person.public_id}").get_data(as_text=True)
    link = f"/hr/awards/{award.verification_code}"
    assert f'href="{link}"' in person_page
    html = client.get(link).get_data(as_text=True)
    assert "人资小周" in _section(html, "history") and "外部考试合格" in html
    evidence = _section(html, "evidence")
    assert "AWP-1/final" in evidence and "未满足" in evidence
    pdf_href = re.search(r'id="pdf-link" href="([^"]+)"', html).group(1)
    assert client.get(pdf_href).mimetype == "application/pdf"
    verify_href = re.search(r'id="verify-link" href="([^"]+)"', html).group(1)
    assert "钱柜员" in client.get(verify_href).get_data(as_text=True)

    # Revoke from the award page: back on it, the reason and the hold show.
    action = f"/hr/awards/{award.verification_code}/revoke"
    data = {**form_fields(html, action), "reason": "违规办理业务"}
    html = client.post(action, data=data, follow_redirects=True).get_data(as_text=True)
    assert "已撤销" in html and "违规办理业务" in _section(html, "history")
    assert 'id="hold"' in html
    action = f"/hr/awards/{award.verification_code}/lift-hold"
    data = {**form_fields(html, action), "reason": "复核后恢复"}
    html = client.post(action, data=data, follow_redirects=True).get_data(as_text=True)
    history = _section(html, "history")
    assert "解除暂停" in history and "复核后恢复" in history and "人资小周" in history
    assert db.session.scalar(select(AuditEvent.ip).where(
        AuditEvent.action == "award_revoked")) == "127.0.0.1"


def test_manager_sees_award_page_of_own_team_only(client, make, login_as, db):
    company = make.unit("company")
    mine, other = make.unit("branch", company), make.unit("branch", company)
    course = make.course("AWP-2")
    hr = make.user(roles={"hr"})
    cert = _cert(make, course, hr=hr)
    member = make.user(org_unit=mine, name="本班组员")
    stranger = make.user(org_unit=other)
    a1 = certs.issue_manually(member, cert, hr, "认定")
    a2 = certs.issue_manually(stranger, cert, hr, "认定")
    login_as("manager", org_unit=mine)
    person = client.get(f"/team/people/{member.public_id}").get_data(as_text=True)
    assert f'href="/team/awards/{a1.verification_code}"' in person
    html = client.get(f"/team/awards/{a1.verification_code}").get_data(as_text=True)
    assert "本班组员" in html and "认定" in html and 'action="/hr/' not in html
    assert client.get(f"/team/awards/{a1.verification_code}/certificate.pdf").status_code \
        == 200
    assert client.get(f"/team/awards/{a2.verification_code}").status_code == 404
