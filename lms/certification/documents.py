"""What an award looks like outside the platform: the printable PDF certificate (bilingual,
with a QR code to the public verification page) and Open Badges 2.0 hosted JSON-LD (issuer
profile, badge class, assertion).

Everything here is a pure function of the rows it is given: no commits, no request. The PDF is
drawn from the same list of lines `certificate_lines` returns, so tests read the text without
a PDF parser.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from io import BytesIO
from typing import Any

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from lms.certification import state
from lms.certification.models import Award, Certification

OB_CONTEXT = "https://w3id.org/openbadges/v2"
CJK_FONT = "STSong-Light"  # built into reportlab (Adobe CID font): no font files to ship
LATIN_FONT = "Helvetica"
LATIN_BOLD = "Helvetica-Bold"
DEFAULT_TZ = "Asia/Shanghai"

GREEN = HexColor("#0b5e55")
GOLD = HexColor("#b08d3c")
INK = HexColor("#222222")
MUTED = HexColor("#5a6b68")

STATES = ("valid", "expired", "revoked", "superseded")
_WATERMARK = {"expired": "已过期 EXPIRED", "revoked": "已撤销 REVOKED",
              "superseded": "已换发 SUPERSEDED"}


# --- state -----------------------------------------------------------------------------

def _utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def award_state(award: Award, now: datetime | None = None) -> str:
    """What the printed certificate and the badge say: "valid" (an award in its renewal
    window is still valid) | "expired" | "revoked" | "superseded" (lms.certification.state)."""
    found = state.state(award, _utc(now) if now is not None else None)
    return "valid" if found == "expiring" else found


# --- the printable certificate -------------------------------------------------------------

def _local_tz() -> tzinfo:
    """The organisation's zone (LMS_TIMEZONE): the same as every page (lms.core.clock)."""
    from lms.core.clock import zone

    return zone()


def _date(value: datetime, tz: tzinfo) -> str:
    return _utc(value).astimezone(tz).strftime("%Y-%m-%d")


@dataclass(frozen=True)
class _Line:
    text: str
    y: float  # baseline, points from the bottom of the page
    size: float
    x: float | None = None  # None: centred on the page; else left-aligned at x
    color: Color = INK
    bold: bool = False


PAGE_W, PAGE_H = landscape(A4)
QR_SIZE = 108.0
QR_X, QR_Y = PAGE_W - 72 - QR_SIZE, 84.0


def _layout(award: Award, verify_url: str, org_name: str,
            now: datetime | None) -> tuple[list[_Line], str | None]:
    user, cert = award.user, award.certification
    tz = _local_tz()
    expires = (f"有效期至 Valid until: {_date(award.expires_at, tz)}" if award.expires_at
               else "有效期 Validity: 长期有效 / No expiry")
    left = 80.0
    lines = [
        _Line(org_name, 500, 14, color=MUTED),
        _Line("技能认证证书", 455, 32, color=GREEN),
        _Line("Certificate of Skill Certification", 426, 16, color=GREEN, bold=True),
        _Line("兹证明 This is to certify that", 385, 12, color=MUTED),
        _Line(user.name, 350, 26),
        _Line(f"工号 Employee No. {user.employee_no}", 326, 12, color=MUTED),
        _Line("已取得以下技能认证 has been certified in", 296, 12, color=MUTED),
        _Line(cert.name_zh, 262, 22, color=GREEN),
        _Line(cert.name_en, 238, 15, color=GREEN),
        _Line(f"认证代码 Certification code: {cert.code}", 150, 10.5, x=left),
        _Line(f"发证日期 Issued: {_date(award.issued_at, tz)}", 132, 10.5, x=left),
        _Line(expires, 114, 10.5, x=left),
        _Line(f"验证码 Verification code: {award.verification_code}", 96, 10.5, x=left),
        _Line(f"验证网址 Verify at: {verify_url}", 78, 8.5, x=left, color=MUTED),
        _Line("扫码验证 Scan to verify", QR_Y - 14, 8.5, x=QR_X + 8, color=MUTED),
    ]
    return lines, _WATERMARK.get(award_state(award, now))


def certificate_lines(award: Award, verify_url: str, org_name: str,
                      now: datetime | None = None) -> list[str]:
    """The text of the certificate, line by line, exactly as `certificate_pdf` draws it."""
    lines, watermark = _layout(award, verify_url, org_name, now)
    return [line.text for line in lines] + ([watermark] if watermark else [])


def _register_fonts() -> None:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """Split text into (font, chunk) runs: Latin in Helvetica, everything else in the CJK
    font (Helvetica has no Chinese glyphs; the CID font's Latin is poor)."""
    latin = LATIN_BOLD if bold else LATIN_FONT
    runs: list[tuple[str, str]] = []
    for ch in text:
        font = latin if ord(ch) < 0x100 else CJK_FONT
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


def _width(text: str, size: float, bold: bool = False) -> float:
    return sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in _runs(text, bold))


def _fit(text: str, size: float, max_width: float, bold: bool = False) -> float:
    """The largest font size ≤ `size` at which `text` fits in `max_width` (min 6 pt)."""
    while size > 6 and _width(text, size, bold) > max_width:
        size -= 0.5
    return size


def _draw(c: Canvas, text: str, x: float, y: float, size: float, bold: bool = False) -> None:
    for font, chunk in _runs(text, bold):
        c.setFont(font, size)
        c.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, font, size)


def _frame(c: Canvas) -> None:
    c.setStrokeColor(GREEN)
    c.setLineWidth(6)
    c.rect(24, 24, PAGE_W - 48, PAGE_H - 48)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1.2)
    c.rect(36, 36, PAGE_W - 72, PAGE_H - 72)
    c.setLineWidth(0.6)
    c.line(PAGE_W / 2 - 120, 412, PAGE_W / 2 + 120, 412)  # under the title
    # a small emblem: a lightning bolt in a ring, as on the badge image
    cx, cy, r = PAGE_W / 2, 535, 18
    c.setStrokeColor(GREEN)
    c.setLineWidth(2)
    c.circle(cx, cy, r)
    c.setFillColor(GOLD)
    bolt = [(2, 13), (-8, -1), (-1, -1), (-3, -13), (8, 2), (1, 2)]
    path = c.beginPath()
    path.moveTo(cx + bolt[0][0], cy + bolt[0][1])
    for dx, dy in bolt[1:]:
        path.lineTo(cx + dx, cy + dy)
    path.close()
    c.drawPath(path, stroke=0, fill=1)


def certificate_pdf(award: Award, verify_url: str, org_name: str,
                    now: datetime | None = None) -> bytes:
    """A one-page A4 landscape PDF certificate of `award`, with a QR code to `verify_url`.
    An award that is no longer valid carries a large EXPIRED / REVOKED / SUPERSEDED mark."""
    _register_fonts()
    lines, watermark = _layout(award, verify_url, org_name, now)
    buf = BytesIO()
    c = Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
    c.setTitle(f"技能认证证书 Certificate — {award.certification.code} "
               f"{award.user.employee_no}")
    c.setAuthor(org_name)
    c.setSubject(award.certification.name_en or award.certification.name_zh)
    _frame(c)

    for line in lines:
        c.setFillColor(line.color)
        if line.x is None:
            size = _fit(line.text, line.size, PAGE_W - 160, line.bold)
            width = _width(line.text, size, line.bold)
            _draw(c, line.text, (PAGE_W - width) / 2, line.y, size, line.bold)
        else:
            size = _fit(line.text, line.size, QR_X - 24 - line.x, line.bold)
            _draw(c, line.text, line.x, line.y, size, line.bold)

    c.drawImage(ImageReader(BytesIO(qr_png(verify_url))), QR_X, QR_Y, QR_SIZE, QR_SIZE)

    if watermark:
        c.saveState()
        c.translate(PAGE_W / 2, PAGE_H / 2)
        c.rotate(22)
        c.setFillColor(HexColor("#b3261e"), alpha=0.22)
        size = _fit(watermark, 84, PAGE_W - 120, bold=True)
        _draw(c, watermark, -_width(watermark, size, True) / 2, -size / 3, size, bold=True)
        c.restoreState()

    c.showPage()
    c.save()
    return buf.getvalue()


def qr_png(url: str) -> bytes:
    """A PNG QR code (error correction M, quiet zone of 4 modules) encoding `url`."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    buf = BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buf)
    return buf.getvalue()


# --- Open Badges 2.0 (hosted verification) ----------------------------------------------------

def _iso(value: datetime) -> str:
    return _utc(value).isoformat(timespec="seconds")


def _score(value: float) -> str:
    return f"{value:g}"


def requirement_text(kind: str, ref: str, min_score: float | None) -> str:
    """One requirement of a certification, in plain English."""
    if kind == "course":
        return f"Complete the course {ref}."
    if kind == "quiz":
        return (f"Score at least {_score(min_score)} in the quiz {ref}." if min_score is not None
                else f"Pass the quiz {ref}.")
    if kind == "scenario":
        return (f"Score at least {_score(min_score)} in an assessment run of the practice "
                f"scenario {ref}." if min_score is not None
                else f"Complete an assessment run of the practice scenario {ref}.")
    if kind == "certification":
        return f"Hold the certification {ref}."
    return f"{kind}: {ref}" + (f" (at least {_score(min_score)})" if min_score is not None
                               else "")


def issuer_url(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/badges/issuer.json"


def badge_class_url(base_url: str, cert_code: str) -> str:
    return f"{base_url.rstrip('/')}/badges/classes/{cert_code}.json"


def assertion_url(base_url: str, verification_code: str) -> str:
    return f"{base_url.rstrip('/')}/badges/assertions/{verification_code}.json"


def issuer_profile(base_url: str, name: str, email: str) -> dict:
    base = base_url.rstrip("/")
    return {"@context": OB_CONTEXT, "type": "Issuer", "id": issuer_url(base), "name": name,
            "url": base, "email": email}


def badge_class(cert: Certification, base_url: str) -> dict:
    base = base_url.rstrip("/")
    name = " / ".join(dict.fromkeys(n for n in (cert.name_zh, cert.name_en) if n))
    description = "\n\n".join(d for d in (cert.description_en, cert.description_zh) if d) \
        or f"Skill certification {cert.name_en or cert.name_zh} ({cert.code})."
    steps = [f"- {requirement_text(r.kind, r.ref, r.min_score)}" for r in cert.requirements]
    narrative = ("Awarded to staff who meet every requirement below:\n\n" + "\n".join(steps)
                 if steps else "Awarded by the issuer's HR department after assessment.")
    if cert.validity_months:
        narrative += (f"\n\nValid for {cert.validity_months} months from the date of issue; "
                      "renewed by meeting the requirements again.")
    return {"@context": OB_CONTEXT, "type": "BadgeClass", "id": badge_class_url(base, cert.code),
            "name": name, "description": description,
            "image": f"{base}/static/img/badge.svg",
            "criteria": {"narrative": narrative}, "issuer": issuer_url(base),
            "tags": ["skill certification", cert.code]}


def hashed_email(email: str, salt: str) -> str:
    """The Open Badges hashed identity: "sha256$" + hex sha256(email + salt)."""
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def assertion(award: Award, base_url: str, salt: str) -> dict:
    base = base_url.rstrip("/")
    cert = award.certification
    verify_page = f"{base}/verify/{award.verification_code}"
    how = ("Issued by HR after review" if award.source == "manual"
           else "Issued automatically when every requirement of the badge criteria was met")
    data: dict[str, Any] = {
        "@context": OB_CONTEXT, "type": "Assertion",
        "id": assertion_url(base, award.verification_code),
        "recipient": {"type": "email", "hashed": True, "salt": salt,
                      "identity": hashed_email(award.user.email, salt)},
        "badge": badge_class_url(base, cert.code),
        "verification": {"type": "hosted"},
        "issuedOn": _iso(award.issued_at),
        "evidence": {"id": verify_page,
                     "narrative": f"{how}. The issuer's verification page shows the "
                                  "certificate and its current status."},
    }
    if award.expires_at is not None:
        data["expires"] = _iso(award.expires_at)
    if award.status == "revoked":
        data["revoked"] = True
        # The internal reason HR wrote stays internal (it may be disciplinary); the public
        # document, answered with 410 Gone, says only this.
        data["revocationReason"] = "Revoked by the issuer."
    return data


__all__ = ["assertion", "award_state", "badge_class", "certificate_lines", "certificate_pdf",
           "hashed_email", "issuer_profile", "qr_png", "requirement_text"]
