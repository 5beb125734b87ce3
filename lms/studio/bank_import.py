"""Question banks in and out of a course draft: import from an uploaded Excel (the 题库
template), Moodle XML or GIFT file — read, previewed with its per-row errors and the bank
checks, then added to the draft on confirmation — and export of a draft's bank to each of the
three formats. The formats themselves are `lms.assessment.formats` (pure).

An upload is judged by its content, not its name: an .xlsx is a zip holding an Excel workbook,
Moodle XML is XML whose root is <quiz>, GIFT is UTF-8 text; the name's extension must agree.
Between preview and confirmation the parsed bank waits in the staging folder under a random
token (as course-package zips do).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.assessment import formats
from lms.assessment.models import QuestionBank
from lms.catalog.models import Course
from lms.catalog.package import BankSpec
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User
from lms.studio import package_zip
from lms.studio.bank_edits import bank_of, check_question, question_spec
from lms.studio.checks import DraftChecks, bank_findings, file_findings
from lms.studio.drafts import KEY_RE, DraftInvalid, current_draft, edit_draft, invalid
from lms.studio.import_messages import row_error

MAX_BANK_BYTES = 5 * 1024 * 1024
MAX_QUESTIONS = 500  # as the package format allows per bank
# format → (file extensions it may carry, content type, download extension)
FORMATS: dict[str, tuple[set[str], str, str]] = {
    "xlsx": ({"xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             "xlsx"),
    "moodle": ({"xml"}, "application/xml", "xml"),
    "gift": ({"gift", "txt"}, "text/plain; charset=utf-8", "gift.txt"),
}
_IMPORTERS = {"xlsx": formats.import_xlsx, "moodle": formats.import_moodle_xml,
              "gift": formats.import_gift}
_LABELS = {"xlsx": "Excel", "moodle": "Moodle XML", "gift": "GIFT"}


def sniff(data: bytes) -> str | None:
    """The bank format the content announces, or None (not one of ours)."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        return "xlsx" if "xl/workbook.xml" in names else None
    if b"\x00" in data[:4096]:
        return None  # binary: neither XML nor GIFT text
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "moodle"
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return "gift"


def label(fmt: str) -> str:
    return _LABELS.get(fmt, fmt)


def check_upload(data: bytes, filename: str) -> str:
    """The upload's format, or a ServiceError (field "file") saying why it is refused."""
    if not data:
        raise ServiceError(_l("The file is empty."), field="file")
    if len(data) > MAX_BANK_BYTES:
        raise ServiceError(_l("The file is larger than %(n)d MB.",
                              n=MAX_BANK_BYTES // (1024 * 1024)), field="file")
    fmt = sniff(data)
    if fmt is None:
        raise ServiceError(_l("Only Excel workbooks (.xlsx), Moodle XML (.xml) and GIFT text "
                              "(.gift or .txt, UTF-8) can be imported."), field="file")
    ext = Path(filename or "").suffix.lower().lstrip(".")
    if ext not in FORMATS[fmt][0]:
        raise ServiceError(_l("The file's content is %(kind)s but its name ends in "
                              "“.%(ext)s”.", kind=label(fmt), ext=ext or "—"), field="file")
    return fmt


@dataclass
class Preview:
    """What an upload would add to the draft."""

    fmt: str
    bank: dict[str, Any]
    errors: list[str] = field(default_factory=list)  # per row, in the interface language
    checks: DraftChecks = field(default_factory=DraftChecks)

    @property
    def questions(self) -> list[dict[str, Any]]:
        return self.bank.get("questions") or []

    @property
    def label(self) -> str:
        return label(self.fmt)


def _for_draft(bank: dict[str, Any], errors: list[str]) -> dict[str, Any]:
    """The imported bank as a draft holds it: each question validated by the package's rules
    (those it breaks are left out, with a message); difficulty is not part of the format."""
    kept = []
    for n, q in enumerate(bank.get("questions") or [], 1):
        data = {k: v for k, v in q.items() if k != "difficulty"}
        if data.get("type") in ("single", "multiple"):
            data["options"] = [{"text": o["text"], "correct": bool(o.get("correct"))}
                               for o in data.get("options") or []]
        try:
            kept.append(question_spec(check_question(data)))
        except DraftInvalid as e:
            reasons = "; ".join(m for msgs in e.errors.values() for m in msgs)
            errors.append(str(_l("Question %(q)s (%(n)d in the file): %(r)s; skipped.",
                                 q=q.get("id", "?"), n=n, r=reasons)))
    return {"id": bank["id"], "title": bank["title"], "questions": kept}


def _bank_id_problem(course: Course, draft: dict[str, Any], bank_id: str) -> str | None:
    if not KEY_RE.match(bank_id):
        return str(_l("Use lower-case letters, digits, '-' and '_' (start with a letter or "
                      "digit, at most 64)."))
    if bank_of(draft, bank_id) is not None:
        return str(_l("This course already has a question bank with this id. Choose another "
                      "id, or delete that bank first."))
    other = db.session.scalar(select(QuestionBank.course_id).where(QuestionBank.key == bank_id))
    if other is not None and other != course.id:
        return str(_l("Another course already has a question bank with this id."))
    return None


def read_upload(course: Course, data: bytes, filename: str, *, bank_id: str = "",
                title_zh: str = "", title_en: str = "") -> Preview:
    """Read an uploaded bank for the preview. Raises ServiceError (field "file") for a file
    that cannot be read at all, DraftInvalid ("bank_id", "title_zh") for a bad bank id."""
    fmt = check_upload(data, filename)
    bank_id = (bank_id or "").strip().lower()
    if bank_id and not KEY_RE.match(bank_id):
        raise DraftInvalid({"bank_id": [str(_l(
            "Use lower-case letters, digits, '-' and '_' (start with a letter or digit, at "
            "most 64)."))]})
    title = {"zh": title_zh.strip(), "en": title_en.strip()} \
        if (title_zh or "").strip() and (title_en or "").strip() else None
    try:
        bank, raw_errors = _IMPORTERS[fmt](data, bank_id=bank_id or None, title=title)
    except ValueError as e:
        raise ServiceError(_l("The file cannot be read: %(r)s.", r=row_error(str(e))),
                           field="file") from None
    except Exception:  # noqa: BLE001 - a damaged file must get a message, never a 500
        raise ServiceError(_l("The file cannot be read: it is damaged or not what its name "
                              "says."), field="file") from None
    if not bank_id and bank["id"] == formats.common.DEFAULT_BANK_ID:
        bank["id"] = f"{course.code.lower()}-imported"
    errors = [row_error(m) for m in raw_errors]
    if len(bank.get("questions") or []) > MAX_QUESTIONS:
        raise ServiceError(_l("The file holds %(n)d questions; a bank holds at most %(m)d. "
                              "Split it into several files.", n=len(bank["questions"]),
                              m=MAX_QUESTIONS), field="file")
    bank = _for_draft(bank, errors)
    draft = current_draft(course)
    problem = _bank_id_problem(course, draft, bank["id"])
    if problem:
        raise DraftInvalid({"bank_id": [problem]})
    for lang in ("zh", "en"):
        bank["title"][lang] = (bank["title"].get(lang) or "").strip()[:200] or \
            formats.common.DEFAULT_TITLE[lang]
    preview = Preview(fmt, bank, errors)
    if preview.questions:
        preview.checks = file_findings(bank_findings(bank))
    return preview


def stage(preview: Preview) -> str:
    return package_zip.stage(json.dumps(preview.bank, ensure_ascii=False).encode(), "json")


def staged(token: str) -> dict[str, Any] | None:
    data = package_zip.staged(token, "json")
    try:
        return json.loads(data) if data is not None else None
    except ValueError:
        return None


def unstage(token: str) -> None:
    package_zip.unstage(token, "json")


def add_bank(course: Course, actor: User | None, bank: dict[str, Any]) -> str:
    """Add a previewed bank to the course's draft (checked again: the draft may have changed
    meanwhile). Returns the bank's id."""
    try:
        spec = BankSpec.model_validate(bank)
    except Exception:  # noqa: BLE001 - staged data we wrote; anything odd means "upload again"
        raise ServiceError(_l("That import is no longer valid. Upload the file again.")) from None
    bank_id = spec.id

    def change(draft):
        problem = _bank_id_problem(course, draft, bank_id)
        if problem:
            raise invalid("bank_id", problem)
        draft.setdefault("banks", []).append(
            {"id": bank_id, "title": spec.title.model_dump(),
             "questions": [question_spec(q) for q in spec.questions]})
        return bank_id

    return edit_draft(course, actor, "bank_imported", bank_id, change)


def export_bank(course: Course, bank_id: str, fmt: str) -> tuple[bytes, str, str] | None:
    """A bank of the course's draft (or live course) as a file: (content, content type,
    file name); None when there is no such bank or format."""
    bank = bank_of(current_draft(course), bank_id)
    if bank is None or fmt not in FORMATS:
        return None
    data: bytes | str
    if fmt == "xlsx":
        data = formats.export_xlsx(bank)
    elif fmt == "moodle":
        data = formats.export_moodle_xml(bank)
    else:
        data = formats.export_gift(bank)
    content = data.encode("utf-8") if isinstance(data, str) else data
    return content, FORMATS[fmt][1], f"{bank_id}.{FORMATS[fmt][2]}"
