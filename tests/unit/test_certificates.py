"""The printable certificate and the Open Badges 2.0 documents of an award."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy import select

from lms.certification import documents as certificates
from lms.certification.models import Award, Certification, CertRequirement

BASE = "https://lms.example.cn/"
ORG = "演示市供电公司 Demo City Power Supply Co."
ISSUED = datetime(2024, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
EXPIRES = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


@pytest.fixture()
def cert(db):
    cert = Certification(code="METER-1", name_zh="用电信息采集运维",
                         name_en="Meter Data Collection",
                         description_en="Keeps the data-collection system running.",
                         validity_months=24)
    cert.requirements = [
        CertRequirement(kind="course", ref="MTR-101", position=0),
        CertRequirement(kind="quiz", ref="MTR-101/final", min_score=80.0, position=1),
        CertRequirement(kind="scenario", ref="dispatch-storm", min_score=75.5, position=2),
        CertRequirement(kind="certification", ref="SAFETY-1", position=3),
    ]
    db.session.add(cert)
    db.session.commit()
    return cert


@pytest.fixture()
def award_for(db, make, cert):
    def _award(expires_at=EXPIRES, status="active", **kw):
        user = make.user(name=kw.pop("name", "张伟"),
                         email=kw.pop("email", "zhang.wei@example.com"))
        award = Award(user_id=user.id, certification_id=cert.id, status=status,
                      issued_at=ISSUED, expires_at=expires_at, **kw)
        db.session.add(award)
        db.session.commit()
        db.session.expire_all()  # read back as the database returns it (naive on SQLite)
        return db.session.scalar(select(Award).where(Award.id == award.id))
    return _award


def verify_url(award: Award) -> str:
    return f"{BASE.rstrip('/')}/verify/{award.verification_code}"


# --- state -----------------------------------------------------------------------------

def test_state_valid_expired_and_no_expiry(award_for):
    award = award_for()
    assert certificates.award_state(award, now=EXPIRES - timedelta(seconds=1)) == "valid"
    assert certificates.award_state(award, now=EXPIRES) == "expired"
    assert certificates.award_state(award, now=EXPIRES + timedelta(days=1)) == "expired"
    award.expires_at = None
    assert certificates.award_state(award, now=datetime(2099, 1, 1, tzinfo=UTC)) == "valid"


def test_state_treats_naive_datetimes_as_utc(award_for):
    award = award_for()
    award.expires_at = EXPIRES.replace(tzinfo=None)  # as SQLite hands it back
    just_before = EXPIRES - timedelta(minutes=1)
    assert certificates.award_state(award, now=just_before) == "valid"
    assert certificates.award_state(award, now=just_before.replace(tzinfo=None)) == "valid"
    # one minute before expiry in UTC is 09:59 in Beijing: still valid, whatever the offset
    beijing = just_before.astimezone(ZoneInfo("Asia/Shanghai"))
    assert certificates.award_state(award, now=beijing) == "valid"
    assert certificates.award_state(award, now=EXPIRES.replace(tzinfo=None)) == "expired"


def test_state_default_now_is_the_present(award_for):
    assert certificates.award_state(award_for(datetime.now(UTC) + timedelta(days=1))) == "valid"
    assert certificates.award_state(award_for(datetime.now(UTC) - timedelta(days=1),
                                              name="李娜", email="li.na@example.com")
                                    ) == "expired"


@pytest.mark.parametrize("status", ["revoked", "superseded"])
def test_state_revoked_and_superseded_win_over_dates(award_for, status):
    award = award_for(status=status)
    assert certificates.award_state(award, now=ISSUED) == status
    assert certificates.award_state(award, now=EXPIRES + timedelta(days=1)) == status


# --- the printable certificate ---------------------------------------------------------------

def test_certificate_lines_name_holder_certification_dates_and_code(award_for):
    award = award_for()
    lines = certificates.certificate_lines(award, verify_url(award), ORG, now=ISSUED)
    text = "\n".join(lines)
    assert "技能认证证书" in lines and "Certificate of Skill Certification" in lines
    assert ORG in lines
    assert "张伟" in lines
    assert award.user.employee_no in text
    assert "用电信息采集运维" in lines and "Meter Data Collection" in lines
    assert "2024-03-01" in text and "2026-03-01" in text
    assert award.verification_code in text
    assert verify_url(award) in text
    assert not any(mark in text for mark in ("EXPIRED", "REVOKED", "SUPERSEDED"))


def test_certificate_dates_are_local_dates(app, award_for, monkeypatch):
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai")
    award = award_for(expires_at=datetime(2026, 2, 28, 17, 0, tzinfo=UTC))  # 1 March in Beijing
    award.issued_at = datetime(2024, 2, 29, 20, 0)  # naive UTC: 1 March 04:00 in Beijing
    text = "\n".join(certificates.certificate_lines(award, verify_url(award), ORG, now=ISSUED))
    assert "Issued: 2024-03-01" in text
    assert "Valid until: 2026-03-01" in text


def test_certificate_without_expiry_says_so(award_for):
    award = award_for(expires_at=None)
    text = "\n".join(certificates.certificate_lines(award, verify_url(award), ORG))
    assert "长期有效" in text and "No expiry" in text
    assert "Valid until" not in text


@pytest.mark.parametrize(("status", "now", "mark"), [
    ("active", EXPIRES + timedelta(days=1), "已过期 EXPIRED"),
    ("revoked", ISSUED, "已撤销 REVOKED"),
    ("superseded", ISSUED, "已换发 SUPERSEDED"),
])
def test_certificate_marks_an_award_that_is_no_longer_valid(award_for, status, now, mark):
    award = award_for(status=status)
    assert mark in certificates.certificate_lines(award, verify_url(award), ORG, now=now)


def _page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.parametrize("status", ["active", "revoked"])
def test_certificate_pdf_is_one_page_for_a_chinese_name(award_for, status):
    award = award_for(status=status, name="欧阳·买买提")
    pdf = certificates.certificate_pdf(award, verify_url(award), ORG)
    assert pdf.startswith(b"%PDF")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert _page_count(pdf) == 1
    assert b"STSong-Light" in pdf  # the Chinese font is used
    assert b"/Subtype /Image" in pdf  # the QR code
    assert len(pdf) < 200_000


def test_certificate_pdf_is_deterministic_and_copes_with_long_names(award_for, cert):
    cert.name_zh = "营销业务系统与用电信息采集系统数据治理及安全" * 4
    cert.name_en = "Marketing Business System Data Governance and Security " * 3  # ≤ 200
    award = award_for()
    first = certificates.certificate_pdf(award, verify_url(award), ORG, now=ISSUED)
    second = certificates.certificate_pdf(award, verify_url(award), ORG, now=ISSUED)
    assert first == second
    assert _page_count(first) == 1


def test_qr_png_is_a_sane_square_png():
    url = f"{BASE}verify/{'x' * 24}"
    png = certificates.qr_png(url)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(BytesIO(png)) as img:
        assert img.format == "PNG"
        assert img.width == img.height
        assert 150 <= img.width <= 600  # version 3–5 at 8 px a module, with a quiet zone
    assert certificates.qr_png(url) == png
    assert certificates.qr_png(url + "y") != png


# --- Open Badges 2.0 -------------------------------------------------------------------------

def test_issuer_profile():
    issuer = certificates.issuer_profile(BASE, ORG, "lms@example.cn")
    assert issuer == {"@context": "https://w3id.org/openbadges/v2", "type": "Issuer",
                      "id": "https://lms.example.cn/badges/issuer.json", "name": ORG,
                      "url": "https://lms.example.cn", "email": "lms@example.cn"}


def test_badge_class_lists_requirements_in_english(cert):
    badge = certificates.badge_class(cert, BASE)
    assert badge["@context"] == "https://w3id.org/openbadges/v2"
    assert badge["type"] == "BadgeClass"
    assert badge["id"] == "https://lms.example.cn/badges/classes/METER-1.json"
    assert "用电信息采集运维" in badge["name"] and "Meter Data Collection" in badge["name"]
    assert badge["description"] == "Keeps the data-collection system running."
    assert badge["image"] == "https://lms.example.cn/static/img/badge.svg"
    assert badge["issuer"] == "https://lms.example.cn/badges/issuer.json"
    narrative = badge["criteria"]["narrative"]
    for expected in ("Complete the course MTR-101.",
                     "Score at least 80 in the quiz MTR-101/final.",
                     "Score at least 75.5 in an assessment run of the practice scenario "
                     "dispatch-storm.",
                     "Hold the certification SAFETY-1.",
                     "Valid for 24 months"):
        assert expected in narrative
    assert narrative.index("MTR-101.") < narrative.index("SAFETY-1")  # in requirement order


def test_badge_class_without_requirements_or_description(db):
    cert = Certification(code="HALL-0", name_zh="营业厅服务", name_en="Business Hall Service")
    db.session.add(cert)
    db.session.commit()
    badge = certificates.badge_class(cert, BASE)
    assert badge["description"]  # required by the spec, never empty
    assert badge["criteria"]["narrative"]
    assert "Valid for" not in badge["criteria"]["narrative"]


def test_assertion(award_for):
    award = award_for()
    salt = "s4lt-123"
    data = certificates.assertion(award, BASE, salt)
    code = award.verification_code
    assert data["@context"] == "https://w3id.org/openbadges/v2"
    assert data["type"] == "Assertion"
    assert data["id"] == f"https://lms.example.cn/badges/assertions/{code}.json"
    assert data["badge"] == "https://lms.example.cn/badges/classes/METER-1.json"
    assert data["verification"] == {"type": "hosted"}
    assert data["issuedOn"] == "2024-03-01T02:00:00+00:00"
    assert data["expires"] == "2026-03-01T02:00:00+00:00"
    assert datetime.fromisoformat(data["issuedOn"]).utcoffset() == timedelta(0)
    assert data["evidence"]["id"] == f"https://lms.example.cn/verify/{code}"
    assert data["evidence"]["narrative"]
    assert "revoked" not in data and "revocationReason" not in data

    recipient = data["recipient"]
    assert recipient["type"] == "email" and recipient["hashed"] is True
    assert recipient["salt"] == salt
    expected = hashlib.sha256(("zhang.wei@example.com" + salt).encode()).hexdigest()
    assert recipient["identity"] == f"sha256${expected}"
    assert "zhang.wei" not in str(data)  # the e-mail itself is never published


def test_assertion_without_expiry_has_no_expires(award_for):
    data = certificates.assertion(award_for(expires_at=None), BASE, "salt")
    assert "expires" not in data


def test_revoked_assertion(award_for):
    award = award_for(status="revoked", revoked_at=ISSUED + timedelta(days=30),
                      revoke_reason="Issued in error")
    data = certificates.assertion(award, BASE, "salt")
    assert data["revoked"] is True
    # HR's internal reason is not published on the public assertion.
    assert data["revocationReason"] == "Revoked by the issuer."
    assert "Issued in error" not in str(data)
