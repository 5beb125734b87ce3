"""One time policy: stored in UTC, shown in the organisation's zone (Asia/Shanghai) on every
surface. An award issued at 23:30 UTC is dated the next day in Beijing everywhere."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from sqlalchemy import select

from lms.certification import documents
from lms.certification import rules as certs
from lms.certification.models import Award
from lms.notifications.models import Notification
from tests.forms import form_fields
from tests.web.test_certification import _cert

LATE = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)  # 2026-12-08 07:30 in Beijing


def test_an_award_issued_at_2330_utc_shows_the_beijing_date_everywhere(
        app, client, make, login_as, db, monkeypatch):
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Asia/Shanghai"
    monkeypatch.setattr(certs, "now", lambda: LATE)
    course = make.course("TZ-1")
    company = make.unit("company")
    person = make.user(employee_no="E6001", name="孙柜员", org_unit=company)
    hr = login_as("hr")
    cert = _cert(make, course, code="C-TZ", months=12, hr=hr)
    path = f"/hr/certifications/{cert.code}"
    data = {**form_fields(client.get(path).get_data(as_text=True), path),
            "employee_no": "E6001", "reason": "人工认定"}
    assert client.post(path, data=data).status_code == 302
    award = db.session.scalar(select(Award).where(Award.user_id == person.id))
    issued, expires, wrong = "2026-12-08", "2027-12-08", "2026-12-07"

    verify = client.get(f"/verify/{award.verification_code}").get_data(as_text=True)
    assert issued in verify and expires in verify and wrong not in verify
    for page in (path, f"/hr/people/{person.public_id}",
                 f"/hr/awards/{award.verification_code}"):
        html = client.get(page).get_data(as_text=True)
        assert issued in html and wrong not in html, page
    award_page = client.get(f"/hr/awards/{award.verification_code}").get_data(as_text=True)
    assert "2026-12-08 07:30 Asia/Shanghai" in award_page  # a time of day names its zone

    lines = documents.certificate_lines(award, "http://x/verify", "org")
    assert f"发证日期 Issued: {issued}" in lines and f"有效期至 Valid until: {expires}" in lines

    export = client.get("/hr/compliance/export.csv").get_data(as_text=True)
    row = next(r for r in csv.reader(io.StringIO(export.lstrip("\ufeff")))
               if r and r[0] == "E6001")
    assert issued in row and expires in row and wrong not in row

    note = db.session.scalar(select(Notification.title).where(
        Notification.user_id == person.id, Notification.kind == "award"))
    assert issued in note
    certs.sweep(datetime(2027, 12, 1, 0, 0, tzinfo=UTC))
    notice = db.session.scalar(select(Notification.title).where(
        Notification.user_id == person.id, Notification.kind == "recertification")
        .order_by(Notification.id.desc()))
    assert expires in notice
