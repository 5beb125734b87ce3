"""Files trainers upload for lessons: images (PNG, JPEG, GIF, WebP) and PDF.

The type is decided by the file's content (its magic bytes, and for images Pillow opening
it), not by its name; the name's extension must agree. Files are stored under the instance
folder (outside the code tree) with a random unguessable name and served only with the
content type that was checked (see lms/studio/file_views.py `file`).
"""

from __future__ import annotations

import io
import os
import re
import secrets
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from lms.catalog.models import Course
from lms.core import audit
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User
from lms.studio.models import Upload

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# checked type → (content type, extensions a file of that type may carry)
TYPES = {
    "png": ("image/png", {"png"}),
    "jpg": ("image/jpeg", {"jpg", "jpeg"}),
    "gif": ("image/gif", {"gif"}),
    "webp": ("image/webp", {"webp"}),
    "pdf": ("application/pdf", {"pdf"}),
}
PILLOW_FORMATS = {"png": "PNG", "jpg": "JPEG", "gif": "GIF", "webp": "WEBP"}
NAME_RE = re.compile(r"^[A-Za-z0-9_-]{32}\.(png|jpg|gif|webp|pdf)$")


def sniff(head: bytes) -> str | None:
    """The file type its first bytes announce, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"%PDF-"):
        return "pdf"
    return None


def _image_ok(data: bytes, kind: str) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format != PILLOW_FORMATS[kind]:
                return False
            img.verify()
    except Exception:  # noqa: BLE001 - any decoder complaint means "not a usable image"
        return False
    return True


def upload_dir() -> Path:
    folder = current_app.config.get("UPLOAD_FOLDER") or os.path.join(
        current_app.instance_path, "uploads")
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def check(data: bytes, filename: str) -> str:
    """The checked type of an upload, or a ServiceError saying why it is refused."""
    if not data:
        raise ServiceError(_l("The file is empty."), field="file")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ServiceError(_l("The file is larger than %(n)d MB.",
                              n=MAX_UPLOAD_BYTES // (1024 * 1024)), field="file")
    kind = sniff(data[:16])
    if kind is None:
        raise ServiceError(_l("Only PNG, JPEG, GIF and WebP images and PDF files can be "
                              "uploaded."), field="file")
    ext = Path(filename or "").suffix.lower().lstrip(".")
    if ext not in TYPES[kind][1]:
        raise ServiceError(_l("The file's content is %(kind)s but its name ends in "
                              "“.%(ext)s”.", kind=kind.upper(), ext=ext or "—"), field="file")
    if kind in PILLOW_FORMATS and not _image_ok(data, kind):
        raise ServiceError(_l("The image is damaged or not what its name says."), field="file")
    if kind == "pdf" and b"%%EOF" not in data[-2048:]:
        raise ServiceError(_l("The PDF file is incomplete."), field="file")
    return kind


def store(stream: BinaryIO, filename: str, actor: User | None,
          course: Course | None = None) -> Upload:
    """Check and keep an uploaded file; returns its record (committed)."""
    data = stream.read(MAX_UPLOAD_BYTES + 1)
    kind = check(data, filename)
    name = f"{secrets.token_urlsafe(24)}.{kind}"
    folder = upload_dir()
    tmp = folder / f".{name}.part"
    tmp.write_bytes(data)
    os.chmod(tmp, 0o640)
    os.replace(tmp, folder / name)
    original = re.sub(r"[\x00-\x1f\\/]", "_", Path(filename or "").name)[:255]
    row = Upload(name=name, course_id=course.id if course else None,
                 uploaded_by_id=actor.id if actor else None, original_name=original,
                 content_type=TYPES[kind][0], size=len(data))
    db.session.add(row)
    if course is not None:
        audit.record("file_uploaded", actor=actor, target=course, change="file_uploaded",
                     item=original, name=name, size=len(data))
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        (folder / name).unlink(missing_ok=True)
        raise
    return row


def find(name: str) -> Upload | None:
    if not NAME_RE.match(name or ""):
        return None
    return db.session.scalar(select(Upload).where(Upload.name == name))


def path_of(upload: Upload) -> Path | None:
    path = upload_dir() / upload.name
    return path if path.is_file() else None


def of_course(course: Course) -> list[Upload]:
    return list(db.session.scalars(select(Upload).where(Upload.course_id == course.id)
                                   .order_by(Upload.created_at.desc(), Upload.id.desc())))


def markdown_for(upload: Upload, url: str) -> str:
    """The Markdown that shows an image, or links a PDF, in a lesson."""
    label = re.sub(r"[\[\]()<>]", "", Path(upload.original_name).stem) or "file"
    if upload.content_type.startswith("image/"):
        return f"![{label}]({url})"
    return f"[{label} (PDF)]({url})"


__all__ = ["MAX_UPLOAD_BYTES", "TYPES", "check", "find", "markdown_for", "of_course",
           "path_of", "sniff", "store", "upload_dir"]
