"""Course packages as zip files, for import and export in the browser.

Import is two steps: `inspect` unzips safely (size and file-count limits, no absolute paths,
no '..', no links), validates with the package loader and computes what would change by
applying the package inside a SAVEPOINT that is rolled back; `apply` does it for real in one
transaction. Between the two steps the zip waits under the instance folder, named by a
random token.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import stat
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.catalog.models import Course
from lms.catalog.package import PackageError, Problem, find_packages, load_package
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User
from lms.studio.editors import can_edit, grant
from lms.studio.packages import ImportResult, apply_package, export_course

MAX_ZIP_BYTES = 10 * 1024 * 1024
MAX_MEMBERS = 300
MAX_UNZIPPED_BYTES = 30 * 1024 * 1024
STAGE_HOURS = 24
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass
class ImportReport:
    code: str = ""
    title: str = ""
    action: str = "failed"  # created | updated | unchanged | failed
    version_before: int | None = None
    version_after: int | None = None
    changes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    discards_draft: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and self.action != "failed"


def _problem(name: str, reason: str) -> Problem:
    return Problem(name or "zip", "", reason)


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if info.flag_bits & 0x1:
        return "is encrypted"
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    if stat.S_IFMT(mode) and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "is not a regular file"
    if "\\" in name or "\x00" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "has an absolute or non-portable path"
    if ".." in PurePosixPath(name).parts:
        return "points outside the package"
    return None


def extract(data: bytes, dest: Path) -> Path:
    """Unzip `data` under `dest` safely; returns the package folder (with course.yaml).
    Raises PackageError listing every reason the zip is refused."""
    if len(data) > MAX_ZIP_BYTES:
        raise PackageError([_problem("", f"larger than {MAX_ZIP_BYTES // (1024 * 1024)} MB")])
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise PackageError([_problem("", "is not a zip file")]) from None
    with zf:
        infos = zf.infolist()
        problems = []
        if len(infos) > MAX_MEMBERS:
            problems.append(_problem("", f"holds more than {MAX_MEMBERS} files"))
        for info in infos:
            reason = _member_problem(info)
            if reason:
                problems.append(_problem(info.filename, reason))
        if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
            problems.append(_problem("", "unpacks to more than "
                                         f"{MAX_UNZIPPED_BYTES // (1024 * 1024)} MB"))
        if problems:
            raise PackageError(problems)
        base = dest.resolve()
        budget = MAX_UNZIPPED_BYTES
        for info in infos:
            target = (base / info.filename).resolve()
            if not target.is_relative_to(base):
                raise PackageError([_problem(info.filename, "points outside the package")])
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            written = 0
            try:
                with zf.open(info) as src, open(target, "wb") as out:
                    while chunk := src.read(64 * 1024):
                        written += len(chunk)
                        budget -= len(chunk)
                        # Sizes in the zip's headers can lie: count what really comes out.
                        if written > info.file_size or budget < 0:
                            raise PackageError([_problem(info.filename,
                                                         "is larger than its header says")])
                        out.write(chunk)
            except (zipfile.BadZipFile, NotImplementedError, EOFError, zlib.error):
                raise PackageError([_problem(info.filename, "is damaged")]) from None
    found = find_packages(base)
    if not found:
        raise PackageError([_problem("course.yaml", "no course.yaml found (at the top of the "
                                                    "zip or in one folder)")])
    if len(found) > 1:
        raise PackageError([_problem("", "holds more than one course; import them one by one")])
    return found[0]


def _load(data: bytes, filename: str, tmp: str):
    stem = re.sub(r"[^a-z0-9_-]", "-", Path(filename or "package").stem.lower())[:40]
    dest = Path(tmp) / (stem or "package")
    dest.mkdir()
    return load_package(extract(data, dest))


def _course(code: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.code == code))


def _check_allowed(course: Course | None, actor: User | None) -> None:
    if course is not None and actor is not None and not can_edit(actor, course):
        raise ServiceError(_l("Course %(c)s exists and only its owners and editors may "
                              "change it.", c=course.code), field="file")


def inspect(data: bytes, filename: str, actor: User | None) -> ImportReport:
    """What importing this zip would do, without changing anything."""
    with tempfile.TemporaryDirectory(prefix="lms-import-") as tmp:
        try:
            package = _load(data, filename, tmp)
        except PackageError as e:
            return ImportReport(problems=e.problems)
    spec = package.spec
    course = _course(spec.code)
    _check_allowed(course, actor)
    report = ImportReport(code=spec.code, title=spec.title.zh,
                          version_before=course.version if course else None,
                          discards_draft=course is not None and course.draft is not None)
    savepoint = db.session.begin_nested()
    try:
        result = apply_package(package, actor)
        db.session.flush()
        report.action, report.changes = result.action, list(result.changes)
        if result.action != "unchanged":
            after = _course(spec.code)
            assert after is not None  # apply_package created or updated it
            report.version_after = after.version
        else:
            report.version_after = report.version_before
    except PackageError as e:
        report.problems = e.problems
    finally:
        savepoint.rollback()
    return report


def apply(data: bytes, filename: str, actor: User | None) -> ImportResult:
    """Import the zip in one transaction: all of it, or (on any problem) nothing."""
    with tempfile.TemporaryDirectory(prefix="lms-import-") as tmp:
        package = _load(data, filename, tmp)  # PackageError → nothing changed
    course = _course(package.spec.code)
    _check_allowed(course, actor)
    try:
        result = apply_package(package, actor)
        course = _course(package.spec.code)
        assert course is not None  # apply_package created it, or found it (unchanged/updated)
        if result.action == "created" and actor is not None:
            grant(course, actor, "owner")
        if result.action != "unchanged" and course.draft is not None:
            course.draft = None
            course.draft_updated_at = None
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


# --- staging between "inspect" and "apply" --------------------------------------------

def _stage_dir() -> Path:
    path = Path(current_app.config.get("STUDIO_STAGING_FOLDER")
                or Path(current_app.instance_path) / "imports")
    path.mkdir(parents=True, exist_ok=True)
    return path


def stage(data: bytes, suffix: str = "zip") -> str:
    """Keep `data` until confirmation (a day at most); returns its random token."""
    folder = _stage_dir()
    cutoff = time.time() - STAGE_HOURS * 3600
    for old in folder.glob(f"*.{suffix}"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    path = folder / f"{token}.{suffix}"
    path.write_bytes(data)
    os.chmod(path, 0o600)
    return token


def staged(token: str, suffix: str = "zip") -> bytes | None:
    if not TOKEN_RE.match(token or ""):
        return None
    path = _stage_dir() / f"{token}.{suffix}"
    return path.read_bytes() if path.is_file() else None


def unstage(token: str, suffix: str = "zip") -> None:
    if TOKEN_RE.match(token or ""):
        (_stage_dir() / f"{token}.{suffix}").unlink(missing_ok=True)


# --- export ----------------------------------------------------------------------------

def export_zip(course: Course) -> bytes:
    """The live course as a zip of its package folder."""
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="lms-export-") as tmp:
        root = export_course(course, tmp)
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    zf.write(path, f"{root.name}/{path.relative_to(root).as_posix()}")
    return buf.getvalue()


__all__ = ["ImportReport", "apply", "export_zip", "extract", "inspect", "stage", "staged",
           "unstage"]
