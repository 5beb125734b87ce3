"""Editing a course's outline in its draft: creating the course and its settings, its modules
and its lessons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from pydantic import TypeAdapter, ValidationError, create_model
from sqlalchemy import select

from lms.catalog.models import Course
from lms.catalog.package import MAX_LESSON_BYTES, Code, CourseSpec, LessonRef, Strict
from lms.core import audit
from lms.core.clock import now
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User
from lms.studio.drafts import (
    KEY_RE,
    DraftInvalid,
    check_title,
    current_draft,
    edit_draft,
    errors_of,
    i18n,
    invalid,
    swap,
    text,
    validate,
)
from lms.studio.editors import grant

META_FIELDS = ("title", "summary", "category", "audience", "estimated_minutes")
# Course metadata validated with CourseSpec's own field definitions: name → (annotation,
# FieldInfo). Typed Any as create_model's stub checks `**` values against its own keyword
# parameters (__config__, __doc__, …) too.
_meta_fields: dict[str, Any] = {n: (f.annotation, f)
                                for n, f in CourseSpec.model_fields.items() if n in META_FIELDS}
CourseMeta = create_model("CourseMeta", __base__=Strict, **_meta_fields)
_code = TypeAdapter(Code)


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
        raise invalid("code", _l("Use capital letters, digits and '-' (2 to 32 characters)."))\
            from None
    meta = validate(CourseMeta, {"title": i18n(title_zh, title_en),
                                 "summary": i18n(summary_zh, summary_en),
                                 "category": category, "audience": list(audience or []),
                                 "estimated_minutes": estimated_minutes})
    if course_by_code(code) is not None:
        raise invalid("code", _l("A course with this code already exists."))
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
    meta = validate(CourseMeta, {"title": i18n(title_zh, title_en),
                                 "summary": i18n(summary_zh, summary_en),
                                 "category": category, "audience": list(audience or []),
                                 "estimated_minutes": estimated_minutes})

    def change(draft):
        draft["manifest"].update(meta.model_dump(mode="json"))

    edit_draft(course, actor, "settings_updated", course.code, change)


def _modules(draft) -> list[dict]:
    return draft["manifest"].setdefault("modules", [])


def _module(draft, index: int) -> dict:
    modules = _modules(draft)
    if not 0 <= index < len(modules):
        raise ServiceError(_l("This module no longer exists."))
    return modules[index]


def add_module(course: Course, actor: User | None, *, title_zh: str, title_en: str) -> int:
    title = check_title(title_zh, title_en)

    def change(draft):
        _modules(draft).append({"title": title, "lessons": []})
        return len(_modules(draft)) - 1

    return edit_draft(course, actor, "module_added", title["zh"], change)


def update_module(course: Course, actor: User | None, index: int, *, title_zh: str,
                  title_en: str) -> None:
    title = check_title(title_zh, title_en)
    edit_draft(course, actor, "module_updated", title["zh"],
               lambda draft: _module(draft, index).update(title=title))


def delete_module(course: Course, actor: User | None, index: int) -> None:
    def change(draft):
        module = _module(draft, index)
        for ref in module.get("lessons") or []:
            draft["lessons"].pop(Path(ref["file"]).stem, None)
        _modules(draft).pop(index)

    edit_draft(course, actor, "module_deleted", f"#{index + 1}", change)


def move_module(course: Course, actor: User | None, index: int, direction: str) -> None:
    def change(draft):
        _module(draft, index)
        swap(_modules(draft), index, direction)

    edit_draft(course, actor, "module_moved", f"{index + 1} {direction}", change)


def _find_lesson(draft, slug: str) -> tuple[int, int]:
    for mi, module in enumerate(_modules(draft)):
        for li, ref in enumerate(module.get("lessons") or []):
            if Path(ref["file"]).stem == slug:
                return mi, li
    raise ServiceError(_l("This lesson no longer exists."))


def lesson_of(draft, slug: str) -> dict | None:
    """The draft's lesson `slug` as {"slug", "module", "title", "minutes", "topic", "body"}."""
    try:
        mi, li = _find_lesson(draft, slug)
    except ServiceError:
        return None
    ref = _modules(draft)[mi]["lessons"][li]
    return {"slug": slug, "module": mi, "title": ref["title"], "minutes": ref.get("minutes", 10),
            "topic": ref.get("topic") or "", "body": draft["lessons"].get(slug, "")}


def _lesson_ref(slug: str, title_zh: str, title_en: str, minutes: Any, body: str,
                topic: str | None = None) -> dict:
    errors: dict[str, list[str]] = {}
    if not KEY_RE.fullmatch(slug or ""):  # not match: its `$` lets "name\n" through
        errors["slug"] = [str(_l("Use lower-case letters, digits, '-' and '_' (start with a "
                                 "letter or digit, at most 64)."))]
    if len((body or "").encode()) > MAX_LESSON_BYTES:
        errors["body"] = [str(_l("The lesson is longer than %(n)d kB.",
                                 n=MAX_LESSON_BYTES // 1000))]
    try:
        ref = LessonRef.model_validate({"file": f"lessons/{slug}.md",
                                        "title": i18n(title_zh, title_en), "minutes": minutes,
                                        "topic": (topic or "").strip().lower() or None})
    except ValidationError as e:
        # The file name is made from the slug, whose own check above says what is wrong.
        errors.update({k: v for k, v in errors_of(e).items() if k != "file"})
        raise DraftInvalid(errors) from None
    if errors:
        raise DraftInvalid(errors)
    return ref.model_dump(exclude_none=True)


def next_slug(draft) -> str:
    taken = set(draft["lessons"])
    n = len(taken) + 1
    while f"lesson-{n:02d}" in taken:
        n += 1
    return f"lesson-{n:02d}"


def add_lesson(course: Course, actor: User | None, module_index: int, *, slug: str,
               title_zh: str, title_en: str, minutes: Any, body: str,
               topic: str | None = None) -> str:
    slug = (slug or "").strip().lower() or next_slug(current_draft(course))
    body = text(body)
    ref = _lesson_ref(slug, title_zh, title_en, minutes, body, topic)

    def change(draft):
        module = _module(draft, module_index)
        if slug in draft["lessons"]:
            raise invalid("slug", _l("Another lesson of this course has this name."))
        module.setdefault("lessons", []).append(ref)
        draft["lessons"][slug] = body or ""
        return slug

    return edit_draft(course, actor, "lesson_added", slug, change)


def update_lesson(course: Course, actor: User | None, slug: str, *, title_zh: str,
                  title_en: str, minutes: Any, body: str, module_index: int | None = None,
                  topic: str | None = None) -> None:
    body = text(body)
    ref = _lesson_ref(slug, title_zh, title_en, minutes, body, topic)

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

    edit_draft(course, actor, "lesson_updated", slug, change)


def delete_lesson(course: Course, actor: User | None, slug: str) -> None:
    def change(draft):
        mi, li = _find_lesson(draft, slug)
        _modules(draft)[mi]["lessons"].pop(li)
        draft["lessons"].pop(slug, None)

    edit_draft(course, actor, "lesson_deleted", slug, change)


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
            swap(lessons, li, direction)

    edit_draft(course, actor, "lesson_moved", f"{slug} {direction}", change)
