"""Bulk roster import from HR's CSV: preview every row first, then apply all or nothing.

Columns (header matched case-insensitively, surrounding spaces ignored):

- ours: ``employee_no, name, email, org_unit, job_role``
- Moodle "upload users": ``idnumber`` (preferred) or ``username`` → employee number,
  ``firstname`` + ``lastname`` → name, ``email``, ``department`` (preferred) or
  ``institution`` → org unit; ``job_role`` optional
- the usual Chinese headings: 工号, 姓名, 邮箱 / 电子邮箱, 部门 / 单位, 岗位

Other columns are ignored (and listed as such in the preview). A blank org unit or job role
cell leaves an existing employee's value as it is. Files are UTF-8 (with or without BOM),
UTF-16 (Excel "Unicode text") or GB18030 (Chinese Excel's CSV); the delimiter is a comma,
semicolon or tab, whichever the header line uses.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from lms.core import audit
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people import accounts
from lms.people.models import JobRole, OrgUnit, User

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
ACTIONS = ("create", "update", "unchanged", "error")
FIELDS = ("employee_no", "name", "email", "org_unit", "job_role")
_MAX_LEN = {"employee_no": 32, "name": 80, "email": 255}
_IN_CHUNK = 500  # ids per IN (...) list

# Normalised header → the source it feeds. Several sources may feed one field; the order
# in _pick() decides which wins.
_HEADERS = {
    "employee_no": "employee_no", "工号": "employee_no", "员工编号": "employee_no",
    "idnumber": "idnumber", "username": "username",
    "name": "name", "姓名": "name", "firstname": "firstname", "lastname": "lastname",
    "email": "email", "e-mail": "email", "邮箱": "email", "电子邮箱": "email",
    "org_unit": "org_unit", "department": "department", "institution": "institution",
    "部门": "org_unit", "单位": "org_unit",
    "job_role": "job_role", "岗位": "job_role",
}
_SOURCES = {
    "employee_no": ("employee_no", "idnumber", "username"),
    "name": ("name", "firstname", "lastname"),
    "email": ("email",),
    "org_unit": ("org_unit", "department", "institution"),
    "job_role": ("job_role",),
}
_REQUIRED = ("employee_no", "name", "email")

# Han characters (with the extension blocks) and the dot used in transliterated names.
_CJK = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f·•]+$")

# Passwords of imported accounts are random and never shown (an administrator issues a
# reset), so a slow hash buys nothing: ~72 random bits are out of reach at any cost, while
# scrypt at ~0.1 s each would make a 20,000-row import last half an hour.
_RANDOM_PASSWORD_HASH = "pbkdf2:sha256:1000"  # noqa: S105 (a method name)


@dataclass
class RosterRow:
    line: int
    employee_no: str = ""
    name: str = ""
    email: str = ""
    org_unit: str = ""  # as written in the file (code or name)
    job_role: str = ""
    action: str = "error"
    errors: list[tuple[str, Any]] = field(default_factory=list)  # (field, message)
    # For updates: field → (before, after), as codes / text.
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    user_id: int | None = None
    org_unit_id: int | None = None
    job_role_id: int | None = None

    def error(self, field_name: str, message: Any) -> None:
        self.errors.append((field_name, message))


@dataclass
class RosterPreview:
    rows: list[RosterRow]
    columns: dict[str, str]  # field → the header(s) it is read from
    ignored_columns: list[str]
    encoding: str = "utf-8"
    delimiter: str = ","

    @property
    def totals(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for row in self.rows:
            counts[row.action] += 1
        counts["rows"] = len(self.rows)
        return counts

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    def with_errors(self) -> list[RosterRow]:
        return [row for row in self.rows if row.errors]


@dataclass
class RosterResult:
    created: int
    updated: int
    unchanged: int
    created_employee_nos: list[str] = field(default_factory=list)
    updated_employee_nos: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


# --- reading the file --------------------------------------------------------------------

def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ServiceError(_l("This is an Excel workbook: save it as CSV and upload that."),
                           field="file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates: tuple[str, ...] = ("utf-16",)
    else:
        candidates = ("utf-8-sig", "gb18030")
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding.removesuffix("-sig")
        except UnicodeDecodeError:
            continue
    raise ServiceError(_l("The file could not be read as text: save it as CSV (UTF-8)."),
                       field="file")


def _sniff_delimiter(text: str) -> str:
    """The delimiter among , ; tab used most on the first non-blank line (outside quotes)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line number where the record starts, cells) for every non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if any(c.strip() for c in cells):
                yield start, cells
    except csv.Error as e:
        raise ServiceError(_l("The file could not be read as CSV near line %(line)d.",
                              line=line), field="file") from e


def _map_header(cells: list[str]) -> tuple[dict[str, int], list[str]]:
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for i, raw in enumerate(cells):
        name = raw.strip()
        if not name:
            continue
        source = _HEADERS.get(name.lower())
        if source is None or source in positions:
            ignored.append(name)
        else:
            positions[source] = i
    return positions, ignored


def _compose_name(first: str, last: str) -> str:
    if first and last:
        if _CJK.match(first) and _CJK.match(last):
            return last + first  # 周 + 晓燕
        return f"{first} {last}"
    return first or last


def _pick(cells: list[str], positions: dict[str, int]) -> dict[str, str]:
    def cell(source: str) -> str:
        i = positions.get(source)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    return {
        "employee_no": cell("employee_no") or cell("idnumber") or cell("username"),
        "name": (cell("name") or
                 re.sub(r"\s+", " ", _compose_name(cell("firstname"), cell("lastname")))),
        "email": cell("email").lower(),
        "org_unit": cell("org_unit") or cell("department") or cell("institution"),
        "job_role": cell("job_role"),
    }


# --- matching against the database -------------------------------------------------------

class _Lookup:
    """Find an org unit / job role by code (any case) or by its exact Chinese or English name."""

    def __init__(self, items: Iterable[Any]):
        self.by_code: dict[str, Any] = {}
        self.by_name: dict[str, dict[int, Any]] = {}
        for item in items:
            self.by_code[item.code.lower()] = item
            for name in (item.name_zh, item.name_en):
                if name:
                    self.by_name.setdefault(name.strip(), {})[item.id] = item

    def find(self, text: str) -> tuple[Any | None, int]:
        """(item, number of matches)."""
        if text.lower() in self.by_code:
            return self.by_code[text.lower()], 1
        matches = list(self.by_name.get(text, {}).values())
        return (matches[0] if len(matches) == 1 else None), len(matches)


def _chunks(values: list, size: int = _IN_CHUNK) -> Iterator[list]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _existing_people(employee_nos: list[str], emails: list[str]):
    by_no: dict[str, Any] = {}
    for chunk in _chunks(employee_nos):
        for person in db.session.execute(
                select(User.id, User.employee_no, User.name, User.email, User.org_unit_id,
                       User.job_role_id).where(User.employee_no.in_(chunk))):
            by_no[person.employee_no] = person
    by_email: dict[str, Any] = {}
    for chunk in _chunks(emails):
        for person in db.session.execute(  # type: ignore[assignment] # a narrower row
                select(User.employee_no, User.name, User.email).where(User.email.in_(chunk))):
            by_email[person.email.lower()] = person
    return by_no, by_email


def _check_values(row: RosterRow) -> None:
    if not row.employee_no:
        row.error("employee_no", _l("The employee number is missing."))
    elif len(row.employee_no) > _MAX_LEN["employee_no"]:
        row.error("employee_no", _l("The employee number is longer than %(n)d characters.",
                                    n=_MAX_LEN["employee_no"]))
    if not row.name:
        row.error("name", _l("The name is missing."))
    elif len(row.name) > _MAX_LEN["name"]:
        row.error("name", _l("The name is longer than %(n)d characters.", n=_MAX_LEN["name"]))
    if not row.email:
        row.error("email", _l("The e-mail is missing."))
    else:
        try:
            validate_email(row.email, check_deliverability=False)
            if len(row.email) > _MAX_LEN["email"]:
                raise EmailNotValidError("too long")
        except EmailNotValidError:
            row.error("email", _l("This is not a valid e-mail address."))


def _resolve(row: RosterRow, units: _Lookup, roles: _Lookup) -> None:
    if row.org_unit:
        unit, count = units.find(row.org_unit)
        if unit is not None:
            row.org_unit_id = unit.id
        elif count > 1:
            row.error("org_unit", _l("Several org units are called %(value)s: use the unit code.",
                                     value=row.org_unit))
        else:
            row.error("org_unit", _l("Unknown org unit: %(value)s.", value=row.org_unit))
    if row.job_role:
        role, count = roles.find(row.job_role)
        if role is not None:
            row.job_role_id = role.id
        elif count > 1:
            row.error("job_role", _l("Several job roles are called %(value)s: use the role code.",
                                     value=row.job_role))
        else:
            row.error("job_role", _l("Unknown job role: %(value)s.", value=row.job_role))


def _diff(row: RosterRow, person, unit_codes: dict[int, str],
          role_codes: dict[int, str]) -> dict[str, tuple[str, str]]:
    changes: dict[str, tuple[str, str]] = {}
    if person.name != row.name:
        changes["name"] = (person.name, row.name)
    if person.email.lower() != row.email:
        changes["email"] = (person.email, row.email)
    if row.org_unit_id is not None and row.org_unit_id != person.org_unit_id:
        changes["org_unit"] = (unit_codes.get(person.org_unit_id, ""),
                               unit_codes[row.org_unit_id])
    if row.job_role_id is not None and row.job_role_id != person.job_role_id:
        changes["job_role"] = (role_codes.get(person.job_role_id, ""),
                               role_codes[row.job_role_id])
    return changes


# --- the two entry points ----------------------------------------------------------------

def preview_roster(data: bytes,
                   progress: Callable[[int, int], None] | None = None) -> RosterPreview:
    """What importing `data` would do, row by row. Reads the database, writes nothing.
    `progress(done, total)` hears the rows checked."""
    if len(data) > MAX_BYTES:
        raise ServiceError(_l("The file is larger than %(n)d MB.", n=MAX_BYTES // 2**20),
                           field="file")
    if not data.strip():
        raise ServiceError(_l("The file is empty."), field="file")
    text, encoding = _decode(data)
    delimiter = _sniff_delimiter(text)
    records = _records(text, delimiter)
    header = next(records, None)
    if header is None:
        raise ServiceError(_l("The file is empty."), field="file")
    positions, ignored = _map_header(header[1])
    missing = [f for f in _REQUIRED if not any(s in positions for s in _SOURCES[f])]
    if missing:
        raise ServiceError(_l("The file has no column for: %(columns)s.",
                              columns=", ".join(missing)), field="file")
    columns = {f: " + ".join(header[1][positions[s]].strip() for s in _SOURCES[f]
                             if s in positions)
               for f in FIELDS if any(s in positions for s in _SOURCES[f])}

    rows: list[RosterRow] = []
    for line, cells in records:
        if len(rows) >= MAX_ROWS:
            raise ServiceError(_l("The file has more than %(n)d rows: split it into smaller "
                                  "files.", n=MAX_ROWS), field="file")
        rows.append(RosterRow(line=line, **_pick(cells, positions)))  # type: ignore[arg-type] # _pick returns the str fields by name
    if not rows:
        raise ServiceError(_l("The file has no data rows."), field="file")

    units = _Lookup(db.session.scalars(select(OrgUnit)))
    roles = _Lookup(db.session.scalars(select(JobRole)))
    unit_codes = {u.id: u.code for u in units.by_code.values()}
    role_codes = {r.id: r.code for r in roles.by_code.values()}
    by_no, by_email = _existing_people(sorted({r.employee_no for r in rows if r.employee_no}),
                                       sorted({r.email for r in rows if r.email}))
    seen_no: dict[str, int] = {}
    seen_email: dict[str, RosterRow] = {}
    for i, row in enumerate(rows):
        if progress is not None and not i % 200:
            progress(i, len(rows))
        _check_values(row)
        _resolve(row, units, roles)
        if row.employee_no:
            if row.employee_no in seen_no:
                row.error("employee_no", _l("Employee number %(no)s already appears on line "
                                            "%(line)d.", no=row.employee_no,
                                            line=seen_no[row.employee_no]))
            else:
                seen_no[row.employee_no] = row.line
        if row.email:
            owner = by_email.get(row.email)
            earlier = seen_email.get(row.email)
            if owner is not None and owner.employee_no != row.employee_no:
                row.error("email", _l("This e-mail already belongs to %(name)s (%(no)s).",
                                      name=owner.name, no=owner.employee_no))
            elif earlier is not None and earlier.employee_no != row.employee_no:
                row.error("email", _l("This e-mail is already given to %(no)s on line "
                                      "%(line)d.", no=earlier.employee_no, line=earlier.line))
            seen_email.setdefault(row.email, row)
        person = by_no.get(row.employee_no)
        if person is not None:
            row.user_id = person.id
        if row.errors:
            row.action = "error"
        elif person is None:
            row.action = "create"
        else:
            row.changes = _diff(row, person, unit_codes, role_codes)
            row.action = "update" if row.changes else "unchanged"
    return RosterPreview(rows=rows, columns=columns, ignored_columns=ignored,
                         encoding=encoding, delimiter=delimiter)


Progress = Callable[[int, int], None]


def apply_roster(data: bytes, actor: User | None, ip: str = "",
                 progress: Progress | None = None) -> RosterResult:
    """Create and update everyone in the file in one transaction, or nothing at all.
    `progress(done, total)` hears how far it is (rows checked, then rows written)."""
    tell = progress or (lambda _done, _total: None)
    tell(0, 0)
    # Checking comes first (about half the work when everyone is new).
    preview = preview_roster(data, progress=lambda done, rows: tell(done, 2 * rows))
    bad = preview.with_errors()
    if bad:
        raise ServiceError(_l("Rows with errors: %(n)d. Nothing was imported; correct the "
                              "file and upload it again.", n=len(bad)), field="file")
    creates = [r for r in preview.rows if r.action == "create"]
    updates = [r for r in preview.rows if r.action == "update"]
    result = RosterResult(created=len(creates), updated=len(updates),
                          unchanged=preview.totals["unchanged"],
                          created_employee_nos=[r.employee_no for r in creates],
                          updated_employee_nos=[r.employee_no for r in updates])
    if not result.changed:
        return result  # the same file again: nothing to write, nothing to record
    total = len(preview.rows) + len(creates) + 2 * len(updates)
    done = len(preview.rows)
    tell(done, total)

    units = {u.id: u for u in db.session.scalars(select(OrgUnit))}
    roles = {r.id: r for r in db.session.scalars(select(JobRole))}
    try:
        new_users = []
        for row in creates:
            user = User(employee_no=row.employee_no, name=row.name, email=row.email,
                        org_unit=units.get(row.org_unit_id or 0), role_rows=[])
            user.password_hash = generate_password_hash(
                accounts.generate_temporary_password(), method=_RANDOM_PASSWORD_HASH)
            new_users.append((user, row))
            done += 1
            tell(done, total)
        db.session.add_all(user for user, _ in new_users)
        db.session.flush()  # ids for the role history
        people: dict[int, User] = {}
        for chunk in _chunks([r.user_id for r in updates]):
            people.update((u.id, u) for u in db.session.scalars(
                select(User).where(User.id.in_(chunk))))
            done += len(chunk)
            tell(done, total)
        with db.session.no_autoflush:  # each person appears once: batch the writes
            for user, row in new_users:
                accounts.assign_job_role(user, roles.get(row.job_role_id or 0),
                                         note="roster import")
            for row in updates:
                assert row.user_id is not None  # an update names an existing person
                user = people[row.user_id]
                user.name, user.email = row.name, row.email
                if "org_unit" in row.changes:
                    user.org_unit = units.get(row.org_unit_id or 0)
                if "job_role" in row.changes:
                    accounts.assign_job_role(user, roles.get(row.job_role_id or 0),
                                             note="roster import")
                done += 1
                tell(done, total)
        audit.record("roster_imported", actor=actor, ip=ip, rows=len(preview.rows),
                     created=result.created, updated=result.updated,
                     unchanged=result.unchanged)
        db.session.commit()
    except IntegrityError as e:
        db.session.rollback()
        raise ServiceError(_l("Someone changed the same people meanwhile; nothing was "
                              "imported. Check the preview again."), field="file") from e
    except Exception:
        db.session.rollback()
        raise
    return result


__all__ = ["MAX_BYTES", "MAX_ROWS", "RosterPreview", "RosterResult", "RosterRow",
           "apply_roster", "preview_roster"]
