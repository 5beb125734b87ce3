"""The trainer studio: courses edited in the browser as drafts, published with the package
importer, owned by their editors, every change recorded.

A course's unpublished edits are kept in `Course.draft`: the course package as data,

    {"manifest": course.yaml as a dict (each lesson {"file": "lessons/<slug>.md", "title",
                 "minutes"}; no quiz_banks list — it is derived from "banks"),
     "lessons":  {slug: Markdown body},
     "banks":    [quiz bank YAML as a dict, ...]}

The first edit copies the live course into a draft (through `export_course`, so the draft is
exactly what a package of the course holds); learners keep seeing the live course. Publishing
writes the draft as a package folder, loads it with the same `load_package` the CLI uses (so
errors name file, field and reason), bumps the version and applies it with `apply_package`
(learners keep their progress on lessons that still exist).

Who may change a course is decided here, once: `can_edit`.
"""

from __future__ import annotations

import copy
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, TypeAdapter, ValidationError, create_model
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import flag_modified

from lms.assessment.models import QuestionBank
from lms.catalog.models import Course
from lms.catalog.package import (
    MAX_LESSON_BYTES,
    BankSpec,
    Code,
    CourseSpec,
    I18n,
    Key,
    LessonRef,
    Package,
    PackageError,
    QuestionSpec,
    QuizSpec,
    Strict,
    load_package,
)
from lms.core import audit
from lms.core.audit import AuditEvent
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User
from lms.studio.models import EDITOR_ROLES, CourseEditor
from lms.studio.packages import ImportResult, apply_package, export_course

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
SLUG_RE = re.compile(r"^[a-z0-9_-]{1,80}$")  # any lesson slug the package loader makes
META_FIELDS = ("title", "summary", "category", "audience", "estimated_minutes")


class NotAllowed(ServiceError):
    """The actor may not change this course."""


class DraftInvalid(ServiceError):
    """The input breaks the package rules. `errors` maps a field path ("options.1.text",
    "title.zh", "" for the whole thing) to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        first = next((m for msgs in errors.values() for m in msgs), "")
        super().__init__(first)
        self.errors = errors


def now() -> datetime:
    return datetime.now(UTC)


# --- who may edit ----------------------------------------------------------------------

def editor_role(user: User | None, course: Course) -> str | None:
    if user is None or course.id is None:
        return None
    return db.session.scalar(select(CourseEditor.role).where(
        CourseEditor.course_id == course.id, CourseEditor.user_id == user.id))


def can_edit(user: User | None, course: Course) -> bool:
    """The one rule: admins, and the course's owners and editors (who are trainers)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.has_role("admin"):
        return True
    return user.has_role("trainer") and editor_role(user, course) is not None


def can_manage_editors(user: User | None, course: Course) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.has_role("admin") or (user.has_role("trainer")
                                      and editor_role(user, course) == "owner")


def require_edit(actor: User | None, course: Course) -> None:
    """Services call this before any change; `actor=None` is the system (CLI)."""
    if actor is not None and not can_edit(actor, course):
        raise NotAllowed(_l("Only the course's owners and editors may change it."))


def editable_course_ids(user: User) -> set[int] | None:
    """Ids of the courses `user` may change; None means all of them (admins)."""
    if user.has_role("admin"):
        return None
    if not user.has_role("trainer"):
        return set()
    return set(db.session.scalars(select(CourseEditor.course_id).where(
        CourseEditor.user_id == user.id)))


def grant(course: Course, user: User, role: str = "editor") -> CourseEditor:
    """Make `user` an owner/editor of `course` (no permission check; the caller commits)."""
    row = db.session.scalar(select(CourseEditor).where(
        CourseEditor.course_id == course.id, CourseEditor.user_id == user.id))
    if row is None:
        row = CourseEditor(course_id=course.id, user_id=user.id, role=role)
        db.session.add(row)
    else:
        row.role = role
    db.session.flush()
    return row


def editors(course: Course) -> list[CourseEditor]:
    return list(db.session.scalars(select(CourseEditor).where(
        CourseEditor.course_id == course.id).order_by(CourseEditor.role.desc(),
                                                      CourseEditor.added_at)))


def add_editor(course: Course, actor: User, employee_no: str, role: str) -> CourseEditor:
    if not can_manage_editors(actor, course):
        raise NotAllowed(_l("Only the course's owners may add editors."))
    if role not in EDITOR_ROLES:
        raise ServiceError(_l("Unknown role."), field="role")
    user = db.session.scalar(select(User).where(User.employee_no == employee_no.strip()))
    if user is None or not user.active:
        raise ServiceError(_l("No active user has this employee number."), field="employee_no")
    if not user.has_role("trainer", "admin"):
        raise ServiceError(_l("Only trainers can edit courses. Ask an administrator to give "
                              "this person the trainer role first."), field="employee_no")
    row = grant(course, user, role)
    audit.record("course_editor_added", actor=actor, target=course, change="editor_added",
                 item=user.employee_no, role=role)
    db.session.commit()
    return row


def remove_editor(course: Course, actor: User, public_id: str) -> None:
    if not can_manage_editors(actor, course):
        raise NotAllowed(_l("Only the course's owners may remove editors."))
    row = db.session.scalar(select(CourseEditor).where(CourseEditor.course_id == course.id,
                                                       CourseEditor.public_id == public_id))
    if row is None:
        raise ServiceError(_l("This person is not an editor of the course."))
    if row.role == "owner":
        owners = db.session.scalar(select(func.count(CourseEditor.id)).where(
            CourseEditor.course_id == course.id, CourseEditor.role == "owner"))
        if owners <= 1:
            raise ServiceError(_l("A course keeps at least one owner."))
    employee_no = row.user.employee_no
    db.session.delete(row)
    audit.record("course_editor_removed", actor=actor, target=course, change="editor_removed",
                 item=employee_no)
    db.session.commit()


# --- reading and writing drafts --------------------------------------------------------

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


def _edit(course: Course, actor: User | None, change: str, item: str, fn) -> Any:
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


# --- validation with the package's own models ------------------------------------------

def _validate(model: type[BaseModel], data: Any, prefix: str = "") -> Any:
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


# Course metadata validated with CourseSpec's own field definitions.
CourseMeta = create_model("CourseMeta", __base__=Strict,
                          **{n: (f.annotation, f) for n, f in CourseSpec.model_fields.items()
                             if n in META_FIELDS})
_code = TypeAdapter(Code)


def text(value: str | None) -> str:
    """Text as stored: Unix line ends (browsers send CRLF from text areas)."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


def _i18n(zh: str, en: str) -> dict[str, str]:
    return {"zh": (zh or "").strip(), "en": (en or "").strip()}


def _invalid(field: str, message) -> DraftInvalid:
    return DraftInvalid({field: [str(message)]})


# --- courses ---------------------------------------------------------------------------

def course_by_code(code: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.code == code.upper()))


def create_course(actor: User | None, *, code: str, title_zh: str, title_en: str,
                  summary_zh: str, summary_en: str, category: str, audience: list[str],
                  estimated_minutes: int) -> Course:
    """A new course: a draft (learners see nothing until it is published); the creator owns it."""
    code = (code or "").strip().upper()
    try:
        _code.validate_python(code)
    except ValidationError:
        raise _invalid("code", _l("Use capital letters, digits and '-' (2 to 32 characters)."))\
            from None
    meta = _validate(CourseMeta, {"title": _i18n(title_zh, title_en),
                                  "summary": _i18n(summary_zh, summary_en),
                                  "category": category, "audience": list(audience or []),
                                  "estimated_minutes": estimated_minutes})
    if course_by_code(code) is not None:
        raise _invalid("code", _l("A course with this code already exists."))
    course = Course(code=code, version=1, title_zh=meta.title.zh, title_en=meta.title.en,
                    summary_zh=meta.summary.zh, summary_en=meta.summary.en,
                    category=meta.category, audience=list(meta.audience),
                    estimated_minutes=meta.estimated_minutes, status="draft")
    course.draft = {"manifest": {"code": code, "version": 1, **meta.model_dump(mode="json"),
                                 "status": "draft", "modules": []},
                    "lessons": {}, "banks": []}
    course.draft_updated_at = now()
    db.session.add(course)
    db.session.flush()
    if actor is not None:
        grant(course, actor, "owner")
    audit.record("course_created", actor=actor, target=course, change="created", item=code)
    db.session.commit()
    return course


def update_meta(course: Course, actor: User | None, *, title_zh: str, title_en: str,
                summary_zh: str, summary_en: str, category: str, audience: list[str],
                estimated_minutes: int) -> None:
    meta = _validate(CourseMeta, {"title": _i18n(title_zh, title_en),
                                  "summary": _i18n(summary_zh, summary_en),
                                  "category": category, "audience": list(audience or []),
                                  "estimated_minutes": estimated_minutes})

    def change(draft):
        draft["manifest"].update(meta.model_dump(mode="json"))

    _edit(course, actor, "settings_updated", course.code, change)


# --- modules ---------------------------------------------------------------------------

def _modules(draft) -> list[dict]:
    return draft["manifest"].setdefault("modules", [])


def _module(draft, index: int) -> dict:
    modules = _modules(draft)
    if not 0 <= index < len(modules):
        raise ServiceError(_l("This module no longer exists."))
    return modules[index]


def _title(title_zh: str, title_en: str) -> dict:
    return _validate(I18n, _i18n(title_zh, title_en), "title.").model_dump()


def add_module(course: Course, actor: User | None, *, title_zh: str, title_en: str) -> int:
    title = _title(title_zh, title_en)

    def change(draft):
        _modules(draft).append({"title": title, "lessons": []})
        return len(_modules(draft)) - 1

    return _edit(course, actor, "module_added", title["zh"], change)


def update_module(course: Course, actor: User | None, index: int, *, title_zh: str,
                  title_en: str) -> None:
    title = _title(title_zh, title_en)
    _edit(course, actor, "module_updated", title["zh"],
          lambda draft: _module(draft, index).update(title=title))


def delete_module(course: Course, actor: User | None, index: int) -> None:
    def change(draft):
        module = _module(draft, index)
        for ref in module.get("lessons") or []:
            draft["lessons"].pop(Path(ref["file"]).stem, None)
        _modules(draft).pop(index)

    _edit(course, actor, "module_deleted", f"#{index + 1}", change)


def _swap(items: list, i: int, direction: str) -> None:
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]


def move_module(course: Course, actor: User | None, index: int, direction: str) -> None:
    def change(draft):
        _module(draft, index)
        _swap(_modules(draft), index, direction)

    _edit(course, actor, "module_moved", f"{index + 1} {direction}", change)


# --- lessons ---------------------------------------------------------------------------

def _find_lesson(draft, slug: str) -> tuple[int, int]:
    for mi, module in enumerate(_modules(draft)):
        for li, ref in enumerate(module.get("lessons") or []):
            if Path(ref["file"]).stem == slug:
                return mi, li
    raise ServiceError(_l("This lesson no longer exists."))


def lesson_of(draft, slug: str) -> dict | None:
    """The draft's lesson `slug` as {"slug", "module", "title", "minutes", "body"}."""
    try:
        mi, li = _find_lesson(draft, slug)
    except ServiceError:
        return None
    ref = _modules(draft)[mi]["lessons"][li]
    return {"slug": slug, "module": mi, "title": ref["title"], "minutes": ref.get("minutes", 10),
            "body": draft["lessons"].get(slug, "")}


def _lesson_ref(slug: str, title_zh: str, title_en: str, minutes: Any, body: str) -> dict:
    errors: dict[str, list[str]] = {}
    if not KEY_RE.match(slug or ""):
        errors["slug"] = [str(_l("Use lower-case letters, digits, '-' and '_' (start with a "
                                 "letter or digit, at most 64)."))]
    if len((body or "").encode()) > MAX_LESSON_BYTES:
        errors["body"] = [str(_l("The lesson is longer than %(n)d kB.",
                                 n=MAX_LESSON_BYTES // 1000))]
    try:
        ref = LessonRef.model_validate({"file": f"lessons/{slug}.md",
                                        "title": _i18n(title_zh, title_en), "minutes": minutes})
    except ValidationError as e:
        errors.update({k: v for k, v in errors_of(e).items() if k != "file"})
        ref = None
    if errors:
        raise DraftInvalid(errors)
    return ref.model_dump()


def next_slug(draft) -> str:
    taken = set(draft["lessons"])
    n = len(taken) + 1
    while f"lesson-{n:02d}" in taken:
        n += 1
    return f"lesson-{n:02d}"


def add_lesson(course: Course, actor: User | None, module_index: int, *, slug: str,
               title_zh: str, title_en: str, minutes: Any, body: str) -> str:
    slug = (slug or "").strip().lower() or next_slug(current_draft(course))
    body = text(body)
    ref = _lesson_ref(slug, title_zh, title_en, minutes, body)

    def change(draft):
        module = _module(draft, module_index)
        if slug in draft["lessons"]:
            raise _invalid("slug", _l("Another lesson of this course has this name."))
        module.setdefault("lessons", []).append(ref)
        draft["lessons"][slug] = body or ""
        return slug

    return _edit(course, actor, "lesson_added", slug, change)


def update_lesson(course: Course, actor: User | None, slug: str, *, title_zh: str,
                  title_en: str, minutes: Any, body: str, module_index: int | None = None) -> None:
    body = text(body)
    ref = _lesson_ref(slug, title_zh, title_en, minutes, body)

    def change(draft):
        mi, li = _find_lesson(draft, slug)
        modules = _modules(draft)
        if module_index is not None and module_index != mi:
            _module(draft, module_index)
            modules[mi]["lessons"].pop(li)
            modules[module_index].setdefault("lessons", []).append(ref)
        else:
            modules[mi]["lessons"][li] = ref
        draft["lessons"][slug] = body or ""

    _edit(course, actor, "lesson_updated", slug, change)


def delete_lesson(course: Course, actor: User | None, slug: str) -> None:
    def change(draft):
        mi, li = _find_lesson(draft, slug)
        _modules(draft)[mi]["lessons"].pop(li)
        draft["lessons"].pop(slug, None)

    _edit(course, actor, "lesson_deleted", slug, change)


def move_lesson(course: Course, actor: User | None, slug: str, direction: str) -> None:
    """Up/down within the module; past its edge into the neighbouring module."""
    def change(draft):
        mi, li = _find_lesson(draft, slug)
        modules = _modules(draft)
        lessons = modules[mi]["lessons"]
        if direction == "up" and li == 0:
            if mi > 0:
                modules[mi - 1].setdefault("lessons", []).append(lessons.pop(li))
        elif direction == "down" and li == len(lessons) - 1:
            if mi < len(modules) - 1:
                modules[mi + 1].setdefault("lessons", []).insert(0, lessons.pop(li))
        else:
            _swap(lessons, li, direction)

    _edit(course, actor, "lesson_moved", f"{slug} {direction}", change)


# --- question banks --------------------------------------------------------------------

def _banks(draft) -> list[dict]:
    return draft.setdefault("banks", [])


def bank_of(draft, bank_id: str) -> dict | None:
    return next((b for b in _banks(draft) if b.get("id") == bank_id), None)


def _bank(draft, bank_id: str) -> dict:
    bank = bank_of(draft, bank_id)
    if bank is None:
        raise ServiceError(_l("This question bank no longer exists."))
    return bank


def add_bank(course: Course, actor: User | None, *, bank_id: str, title_zh: str,
             title_en: str) -> str:
    bank_id = (bank_id or "").strip().lower()
    errors: dict[str, list[str]] = {}
    try:
        TypeAdapter(Key).validate_python(bank_id)
    except ValidationError:
        errors["id"] = [str(_l("Use lower-case letters, digits, '-' and '_' (start with a "
                               "letter or digit, at most 64)."))]
    try:
        title = I18n.model_validate(_i18n(title_zh, title_en)).model_dump()
    except ValidationError as e:
        errors.update(errors_of(e, "title."))
    if errors:
        raise DraftInvalid(errors)
    other = db.session.scalar(select(QuestionBank.course_id).where(QuestionBank.key == bank_id))
    if other is not None and other != course.id:
        raise _invalid("id", _l("Another course already has a question bank with this id."))

    def change(draft):
        if bank_of(draft, bank_id) is not None:
            raise _invalid("id", _l("This course already has a question bank with this id."))
        _banks(draft).append({"id": bank_id, "title": title, "questions": []})
        return bank_id

    return _edit(course, actor, "bank_added", bank_id, change)


def update_bank(course: Course, actor: User | None, bank_id: str, *, title_zh: str,
                title_en: str) -> None:
    title = _title(title_zh, title_en)
    _edit(course, actor, "bank_updated", bank_id,
          lambda draft: _bank(draft, bank_id).update(title=title))


def _quizzes(draft) -> list[dict]:
    return draft["manifest"].setdefault("quizzes", [])


def delete_bank(course: Course, actor: User | None, bank_id: str) -> None:
    def change(draft):
        _bank(draft, bank_id)
        users = [q["id"] for q in _quizzes(draft)
                 if any(r.get("bank") == bank_id for r in q.get("draw") or [])]
        if users:
            raise ServiceError(_l("Quizzes draw from this bank (%(q)s). Change their draw "
                                  "rules first.", q=", ".join(users)))
        draft["banks"] = [b for b in _banks(draft) if b.get("id") != bank_id]

    _edit(course, actor, "bank_deleted", bank_id, change)


def question_spec(q: QuestionSpec) -> dict:
    """A validated question as it is written in a bank file (no empty keys)."""
    out: dict[str, Any] = {"id": q.id, "type": q.type}
    if q.tags:
        out["tags"] = list(q.tags)
    out["text"] = q.text
    if q.options is not None:
        out["options"] = [{"text": o.text, **({"correct": True} if o.correct else {})}
                          for o in q.options]
    if q.answer is not None:
        out["answer"] = q.answer
    if q.tolerance is not None:
        out["tolerance"] = q.tolerance
    if q.unit:
        out["unit"] = q.unit
    if q.accept is not None:
        out["accept"] = list(q.accept)
    if q.explanation:
        out["explanation"] = q.explanation
    return out


def check_question(data: dict) -> QuestionSpec:
    """Validate one question with the package's QuestionSpec (raises DraftInvalid)."""
    data = {k: text(v) if k in ("text", "explanation") and isinstance(v, str) else v
            for k, v in data.items()}
    return _validate(QuestionSpec, data)


def save_question(course: Course, actor: User | None, bank_id: str, old_key: str | None,
                  data: dict) -> str:
    """Add (old_key None) or replace a question of a bank in the draft."""
    spec = check_question(data)
    stored = question_spec(spec)

    def change(draft):
        questions = _bank(draft, bank_id).setdefault("questions", [])
        keys = [q.get("id") for q in questions]
        if spec.id != old_key and spec.id in keys:
            raise _invalid("id", _l("Another question of this bank has this id."))
        if old_key is None:
            questions.append(stored)
        elif old_key in keys:
            questions[keys.index(old_key)] = stored
        else:
            raise ServiceError(_l("This question no longer exists."))
        return spec.id

    return _edit(course, actor, "question_added" if old_key is None else "question_updated",
                 f"{bank_id}/{spec.id}", change)


def delete_question(course: Course, actor: User | None, bank_id: str, key: str) -> None:
    def change(draft):
        bank = _bank(draft, bank_id)
        bank["questions"] = [q for q in bank.get("questions") or [] if q.get("id") != key]

    _edit(course, actor, "question_deleted", f"{bank_id}/{key}", change)


def move_question(course: Course, actor: User | None, bank_id: str, key: str,
                  direction: str) -> None:
    def change(draft):
        questions = _bank(draft, bank_id).get("questions") or []
        keys = [q.get("id") for q in questions]
        if key in keys:
            _swap(questions, keys.index(key), direction)

    _edit(course, actor, "question_moved", f"{bank_id}/{key} {direction}", change)


# --- quizzes ---------------------------------------------------------------------------

def quiz_of(draft, quiz_id: str) -> dict | None:
    return next((q for q in _quizzes(draft) if q.get("id") == quiz_id), None)


def check_quiz(draft, data: dict) -> QuizSpec:
    """QuizSpec's rules, plus the loader's check that each draw rule's bank has enough
    questions — so the message appears next to the rule rather than at publishing."""
    spec = _validate(QuizSpec, data)
    errors: dict[str, list[str]] = {}
    for i, rule in enumerate(spec.draw):
        bank = bank_of(draft, rule.bank)
        if bank is None:
            errors[f"draw.{i}.bank"] = [explain(f"no bank {rule.bank} in this package")]
            continue
        pool = [q for q in bank.get("questions") or []
                if rule.tag is None or rule.tag in (q.get("tags") or [])]
        if len(pool) < rule.count:
            errors[f"draw.{i}.count"] = [explain(
                f"asks for {rule.count} questions but the bank has {len(pool)}")]
    if errors:
        raise DraftInvalid(errors)
    return spec


def save_quiz(course: Course, actor: User | None, old_id: str | None, data: dict) -> str:
    spec = check_quiz(current_draft(course), data)
    stored = spec.model_dump(mode="json", exclude_none=True)
    stored["draw"] = [r.model_dump(exclude_none=True) for r in spec.draw]

    def change(draft):
        quizzes = _quizzes(draft)
        ids = [q.get("id") for q in quizzes]
        if spec.id != old_id and spec.id in ids:
            raise _invalid("id", _l("Another quiz of this course has this id."))
        if old_id is None:
            quizzes.append(stored)
        elif old_id in ids:
            quizzes[ids.index(old_id)] = stored
        else:
            raise ServiceError(_l("This quiz no longer exists."))
        return spec.id

    return _edit(course, actor, "quiz_added" if old_id is None else "quiz_updated", spec.id,
                 change)


def delete_quiz(course: Course, actor: User | None, quiz_id: str) -> None:
    def change(draft):
        draft["manifest"]["quizzes"] = [q for q in _quizzes(draft) if q.get("id") != quiz_id]

    _edit(course, actor, "quiz_deleted", quiz_id, change)


# --- publishing ------------------------------------------------------------------------

def publish(course: Course, actor: User | None) -> ImportResult:
    """Validate the draft with the package loader and apply it as the next version.

    Raises PackageError (the full list of problems) when the draft is not a valid package;
    nothing changes then.
    """
    require_edit(actor, course)
    db.session.refresh(course, ["draft", "version"], with_for_update=True)
    draft = course.draft
    if draft is None:
        raise ServiceError(_l("There is no draft to publish."))
    first = not course.content_hash
    version = course.version if first else course.version + 1
    package = load_draft(draft, version=version, status="published")
    if not first:
        mine = load_draft(draft, version=course.version, status="published").content_hash
        try:
            live = load_draft(live_draft(course), version=course.version,
                              status="published").content_hash
        except PackageError:
            live = ""
        if mine == live:
            raise ServiceError(_l("The draft is the same as the published course: nothing "
                                  "to publish."))
    try:
        result = apply_package(package, actor)
        course.draft = None
        course.draft_updated_at = None
        audit.record("course_published", actor=actor, target=course, change="published",
                     item=f"v{course.version}", version=course.version,
                     changes=result.changes[:100])
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


def discard_draft(course: Course, actor: User | None) -> None:
    require_edit(actor, course)
    if course.draft is None:
        raise ServiceError(_l("There is no draft to discard."))
    course.draft = None
    course.draft_updated_at = None
    audit.record("course_draft_discarded", actor=actor, target=course, change="discarded",
                 item=course.code)
    db.session.commit()


def archive(course: Course, actor: User | None) -> None:
    """Hide the course from the catalogue; enrolments, progress and awards stay."""
    require_edit(actor, course)
    if course.status == "archived":
        raise ServiceError(_l("The course is already archived."))
    before = course.status
    course.status = "archived"
    audit.record("course_archived", actor=actor, target=course, change="archived",
                 item=course.code, before=before)
    db.session.commit()


def restore(course: Course, actor: User | None) -> None:
    require_edit(actor, course)
    if course.status != "archived":
        raise ServiceError(_l("The course is not archived."))
    course.status = "published" if course.content_hash else "draft"
    audit.record("course_restored", actor=actor, target=course, change="restored",
                 item=course.code)
    db.session.commit()


# --- history ---------------------------------------------------------------------------

def history(course: Course, limit: int = 300) -> list[AuditEvent]:
    """Every recorded change of the course, newest first."""
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.target_type == "course", AuditEvent.target_id == course.code)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))


# --- messages --------------------------------------------------------------------------

_KEY_HINT = _l("Use lower-case letters, digits, '-' and '_' (start with a letter or digit, "
               "at most 64).")

# The package validator's reasons (English, for the CLI) → the interface language.
_REASONS: list[tuple[str, Any]] = [
    (r"String should have at least 1 character", lambda m: _l("Required.")),
    (r"Field required", lambda m: _l("Required.")),
    (r"String should have at most (\d+) characters?",
     lambda m: _l("At most %(n)s characters.", n=m[1])),
    (r"String should match pattern .*", lambda m: _KEY_HINT),
    (r"Input should be greater than or equal to (\S+)",
     lambda m: _l("Must be at least %(n)s.", n=m[1])),
    (r"Input should be less than or equal to (\S+)",
     lambda m: _l("Must be at most %(n)s.", n=m[1])),
    (r"Input should be a valid (number|integer).*", lambda m: _l("Enter a number.")),
    (r"Input should be a valid boolean.*", lambda m: _l("Choose yes or no.")),
    (r"List should have at least (\d+) items?.*",
     lambda m: _l("Add at least %(n)s.", n=m[1])),
    (r"List should have at most (\d+) items?.*",
     lambda m: _l("At most %(n)s entries.", n=m[1])),
    (r"Input should be (('[^']*'(, | or )?)+)", lambda m: _l("Choose one of %(v)s.", v=m[1])),
    (r"Extra inputs are not permitted", lambda m: _l("This field is not part of the format.")),
    (r"a choice question needs 2 to 8 options",
     lambda m: _l("A choice question needs 2 to 8 options.")),
    (r"a single-choice question needs exactly one correct option \(found (\d+)\)",
     lambda m: _l("A single-choice question needs exactly one correct option (%(n)s marked).",
                  n=m[1])),
    (r"a multiple-choice question needs at least two correct options \(found (\d+)\)",
     lambda m: _l("A multiple-choice question needs at least two correct options "
                  "(%(n)s marked).", n=m[1])),
    (r"two options have the same text", lambda m: _l("Two options have the same text.")),
    (r"a choice question takes options, not answer/accept",
     lambda m: _l("A choice question takes options, not an answer.")),
    (r"answer: a true/false question needs answer: true or false|"
     r"a true/false question needs answer: true or false",
     lambda m: _l("Choose whether the statement is true or false.")),
    (r"a numeric question needs a number", lambda m: _l("Enter the correct number.")),
    (r"a short-text question needs at least one answer",
     lambda m: _l("Enter at least one accepted answer.")),
    (r"a (\S+) question takes no options",
     lambda m: _l("This type of question takes no options.")),
    (r"file not found", lambda m: _l("File not found.")),
    (r"no bank (\S+) in this package",
     lambda m: _l("There is no question bank %(b)s in this course.", b=m[1])),
    (r"asks for (\d+) questions but the bank has (\d+)",
     lambda m: _l("Asks for %(n)s questions but the bank has %(m)s.", n=m[1], m=m[2])),
    (r"two lessons have the same file name",
     lambda m: _l("Two lessons have the same file name.")),
    (r"two quizzes have the same id", lambda m: _l("Two quizzes have the same id.")),
    (r"the id (\S+) is used twice", lambda m: _l("The id %(id)s is used twice.", id=m[1])),
    (r"is not valid YAML \((.*)\)", lambda m: _l("Not valid YAML (%(d)s).", d=m[1])),
    (r"must be a YAML mapping", lambda m: _l("Must be a YAML mapping.")),
    (r"points outside the package", lambda m: _l("Points outside the package.")),
    (r"larger than (\d+) kB", lambda m: _l("Larger than %(n)s kB.", n=m[1])),
    (r"is not UTF-8 text", lambda m: _l("Not UTF-8 text.")),
    # the change list apply_package writes
    (r"lesson (\S+) added", lambda m: _l("Lesson %(x)s added", x=m[1])),
    (r"lesson (\S+) changed", lambda m: _l("Lesson %(x)s changed", x=m[1])),
    (r"lesson (\S+) removed", lambda m: _l("Lesson %(x)s removed", x=m[1])),
    (r"bank (\S+) added", lambda m: _l("Question bank %(x)s added", x=m[1])),
    (r"bank (\S+) retired", lambda m: _l("Question bank %(x)s retired", x=m[1])),
    (r"question (\S+) added", lambda m: _l("Question %(x)s added", x=m[1])),
    (r"question (\S+) changed", lambda m: _l("Question %(x)s changed", x=m[1])),
    (r"question (\S+) retired", lambda m: _l("Question %(x)s retired", x=m[1])),
    (r"quiz (\S+) added", lambda m: _l("Quiz %(x)s added", x=m[1])),
    (r"quiz (\S+) retired",
     lambda m: _l("Quiz %(x)s retired", x=m[1])),
    # zip files
    (r"is encrypted", lambda m: _l("Is encrypted.")),
    (r"is a symbolic link", lambda m: _l("Is a symbolic link; links are not accepted.")),
    (r"is not a regular file", lambda m: _l("Is not a regular file.")),
    (r"has an absolute or non-portable path",
     lambda m: _l("Has an absolute or non-portable path.")),
    (r"is not a zip file", lambda m: _l("Is not a zip file.")),
    (r"is damaged", lambda m: _l("Is damaged.")),
    (r"larger than (\d+) MB", lambda m: _l("Larger than %(n)s MB.", n=m[1])),
    (r"holds more than (\d+) files", lambda m: _l("Holds more than %(n)s files.", n=m[1])),
    (r"unpacks to more than (\d+) MB", lambda m: _l("Unpacks to more than %(n)s MB.", n=m[1])),
    (r"is larger than its header says", lambda m: _l("Is larger than its header says.")),
    (r"no course.yaml found.*",
     lambda m: _l("No course.yaml found (at the top of the zip or in one folder).")),
    (r"holds more than one course.*",
     lambda m: _l("Holds more than one course; import them one by one.")),
    (r"bank id (\S+) belongs to another course",
     lambda m: _l("The question bank %(b)s belongs to another course.", b=m[1])),
]
_REASONS_RE = [(re.compile(p), f) for p, f in _REASONS]


def explain(reason: str, loc: str = "") -> str:
    """A validator reason in the interface language (the English text when unknown)."""
    if loc == "code" and reason.startswith("String should match pattern"):
        return str(_l("Use capital letters, digits and '-' (2 to 32 characters)."))
    for pattern, message in _REASONS_RE:
        m = pattern.fullmatch(reason)
        if m:
            return str(message(m))
    inner = re.fullmatch(r"([a-z_]+): (.+)", reason)  # "options: …" under a nested field
    if inner:
        said = explain(inner[2])
        return f"{inner[1]}: {said}" if said != inner[2] else reason
    return reason


__all__ = [
    "BankSpec", "DraftInvalid", "NotAllowed", "add_bank", "add_editor", "add_lesson",
    "add_module", "archive", "bank_of", "can_edit", "can_manage_editors", "check_question",
    "check_quiz", "create_course", "current_draft", "delete_bank", "delete_lesson",
    "delete_module", "delete_question", "delete_quiz", "discard_draft", "draft_problems",
    "editable_course_ids", "editors", "explain", "grant", "history", "lesson_of",
    "live_draft", "load_draft", "move_lesson", "move_module", "move_question", "publish",
    "quiz_of", "remove_editor", "require_edit", "restore", "save_question", "save_quiz",
    "update_bank", "update_lesson", "update_meta", "update_module", "write_draft",
]
