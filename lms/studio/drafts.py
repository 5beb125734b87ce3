"""The trainer studio: courses edited in the browser as drafts, published with the package
importer, owned by their editors, every change recorded. This module reads and writes drafts
and holds the validation helpers the edits share.

A course's unpublished edits are kept in `Course.draft`: the course package as data,

    {"manifest": course.yaml as a dict (each lesson {"file": "lessons/<slug>.md", "title",
                 "minutes"}; no quiz_banks list — it is derived from "banks"),
     "lessons":  {slug: Markdown body},
     "banks":    [quiz bank YAML as a dict, ...]}

The first edit copies the live course into a draft (through `export_course`, so the draft is
exactly what a package of the course holds); learners keep seeing the live course. Edits live
in `outline_edits` (the course, modules, lessons) and `bank_edits` (banks, questions,
quizzes); `publishing` writes the draft as a package folder, loads it with the same
`load_package` the CLI uses (so errors name file, field and reason), bumps the version and
applies it with `apply_package` (learners keep their progress on lessons that still exist).

Who may change a course is decided in `lms.studio.editors`, once: `can_edit`.
"""

from __future__ import annotations

import copy
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm.attributes import flag_modified

from lms.catalog.models import Course
from lms.catalog.package import I18n, Package, PackageError, load_package
from lms.core import audit
from lms.core.clock import now
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User
from lms.studio.editors import require_edit
from lms.studio.messages import explain
from lms.studio.packages import export_course

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
SLUG_RE = re.compile(r"^[a-z0-9_-]{1,80}$")  # any lesson slug the package loader makes


class DraftInvalid(ServiceError):
    """The input breaks the package rules. `errors` maps a field path ("options.1.text",
    "title.zh", "" for the whole thing) to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        first = next((m for msgs in errors.values() for m in msgs), "")
        super().__init__(first)
        self.errors = errors


def _read_package_folder(root: Path) -> dict[str, Any]:
    """A package folder (as export_course writes it) → the draft dict."""
    manifest = yaml.safe_load((root / "course.yaml").read_text(encoding="utf-8"))
    lessons: dict[str, str] = {}
    for module in manifest.get("modules") or []:
        for ref in module.get("lessons") or []:
            slug = Path(ref["file"]).stem
            lessons[slug] = (root / ref["file"]).read_text(encoding="utf-8")
            ref["file"] = f"lessons/{slug}.md"
    banks = [yaml.safe_load((root / ref["file"]).read_text(encoding="utf-8"))
             for ref in manifest.pop("quiz_banks", None) or []]
    return {"manifest": manifest, "lessons": lessons, "banks": banks}


def live_draft(course: Course) -> dict[str, Any]:
    """The live course as a draft dict (what its package holds)."""
    with tempfile.TemporaryDirectory(prefix="lms-studio-") as tmp:
        return _read_package_folder(export_course(course, tmp))


def current_draft(course: Course) -> dict[str, Any]:
    """What the studio shows: the draft, or the live course when there is none yet."""
    return course.draft if course.draft is not None else live_draft(course)


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def write_draft(draft: dict[str, Any], folder: str | Path, *, version: int | None = None,
                status: str | None = None) -> Path:
    """Write a draft as a package folder under `folder`; returns the package's path."""
    manifest = copy.deepcopy(draft["manifest"])
    code = str(manifest.get("code") or "course")
    root = Path(folder) / (code.lower() if re.fullmatch(r"[A-Za-z0-9-]+", code) else "course")
    (root / "lessons").mkdir(parents=True, exist_ok=True)
    for module in manifest.get("modules") or []:
        for ref in module.get("lessons") or []:
            slug = Path(str(ref.get("file", ""))).stem
            if SLUG_RE.match(slug):
                ref["file"] = f"lessons/{slug}.md"
                (root / ref["file"]).write_text(draft["lessons"].get(slug, ""), encoding="utf-8")
    refs = []
    for i, bank in enumerate(draft.get("banks") or []):
        bank_id = str(bank.get("id", ""))
        rel = f"quiz/{bank_id if KEY_RE.match(bank_id) else f'bank-{i + 1}'}.yaml"
        (root / "quiz").mkdir(exist_ok=True)
        (root / rel).write_text(_dump(bank), encoding="utf-8")
        refs.append({"file": rel})
    manifest.pop("quiz_banks", None)
    if refs:
        manifest["quiz_banks"] = refs
    if version is not None:
        manifest["version"] = version
    if status is not None:
        manifest["status"] = status
    (root / "course.yaml").write_text(_dump(manifest), encoding="utf-8")
    return root


def load_draft(draft: dict[str, Any], **overrides: Any) -> Package:
    """Validate a draft with the package loader; raises PackageError (file, field, reason)."""
    with tempfile.TemporaryDirectory(prefix="lms-studio-") as tmp:
        return load_package(write_draft(draft, tmp, **overrides))


def draft_problems(course: Course) -> list:
    """What would stop the course's draft from being published (empty when it is fine)."""
    if course.draft is None:
        return []
    try:
        load_draft(course.draft)
    except PackageError as e:
        return e.problems
    return []


def edit_draft(course: Course, actor: User | None, change: str, item: str, fn) -> Any:
    """Apply `fn(draft)` to a copy of the course's draft (made from the live course on the
    first edit), store it, record the change and commit."""
    require_edit(actor, course)
    # Read the draft under a row lock (PostgreSQL): two editors' changes never overwrite
    # each other, each starts from the other's result.
    db.session.refresh(course, ["draft"], with_for_update=True)
    draft = copy.deepcopy(course.draft) if course.draft is not None else live_draft(course)
    result = fn(draft)
    course.draft = draft
    flag_modified(course, "draft")
    course.draft_updated_at = now()
    audit.record("course_edited", actor=actor, target=course, change=change, item=item)
    db.session.commit()
    return result


def validate(model: type[BaseModel], data: Any, prefix: str = "") -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise DraftInvalid(errors_of(e, prefix)) from e


def errors_of(e: ValidationError, prefix: str = "") -> dict[str, list[str]]:
    """Pydantic errors → {field path: [message]}, split the way the package loader does."""
    out: dict[str, list[str]] = {}
    for err in e.errors():
        loc = ".".join(str(x) for x in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if ": " in msg and not loc:
            loc, msg = msg.split(": ", 1)
        loc = f"{prefix}{loc}" if prefix and loc else (loc or prefix.rstrip("."))
        out.setdefault(loc, []).append(explain(msg, loc))
    return out


def text(value: str | None) -> str:
    """Text as stored: Unix line ends (browsers send CRLF from text areas)."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def i18n(zh: str, en: str) -> dict[str, str]:
    return {"zh": (zh or "").strip(), "en": (en or "").strip()}


def invalid(field: str, message) -> DraftInvalid:
    return DraftInvalid({field: [str(message)]})


def check_title(title_zh: str, title_en: str) -> dict:
    return validate(I18n, i18n(title_zh, title_en), "title.").model_dump()


def swap(items: list, i: int, direction: str) -> None:
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
