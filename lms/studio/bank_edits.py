"""Editing a course's question banks, their questions and the course's quizzes in its draft."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select

from lms.assessment.models import QuestionBank
from lms.catalog.models import Course
from lms.catalog.package import I18n, Key, QuestionSpec, QuizSpec
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User
from lms.studio.drafts import (
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
from lms.studio.messages import explain


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
        title = I18n.model_validate(i18n(title_zh, title_en)).model_dump()
    except ValidationError as e:
        errors.update(errors_of(e, "title."))
    if errors:
        raise DraftInvalid(errors)
    other = db.session.scalar(select(QuestionBank.course_id).where(QuestionBank.key == bank_id))
    if other is not None and other != course.id:
        raise invalid("id", _l("Another course already has a question bank with this id."))

    def change(draft):
        if bank_of(draft, bank_id) is not None:
            raise invalid("id", _l("This course already has a question bank with this id."))
        _banks(draft).append({"id": bank_id, "title": title, "questions": []})
        return bank_id

    return edit_draft(course, actor, "bank_added", bank_id, change)


def update_bank(course: Course, actor: User | None, bank_id: str, *, title_zh: str,
                title_en: str) -> None:
    title = check_title(title_zh, title_en)
    edit_draft(course, actor, "bank_updated", bank_id,
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

    edit_draft(course, actor, "bank_deleted", bank_id, change)


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
    return validate(QuestionSpec, data)


def save_question(course: Course, actor: User | None, bank_id: str, old_key: str | None,
                  data: dict) -> str:
    """Add (old_key None) or replace a question of a bank in the draft."""
    spec = check_question(data)
    stored = question_spec(spec)

    def change(draft):
        questions = _bank(draft, bank_id).setdefault("questions", [])
        keys = [q.get("id") for q in questions]
        if spec.id != old_key and spec.id in keys:
            raise invalid("id", _l("Another question of this bank has this id."))
        if old_key is None:
            questions.append(stored)
        elif old_key in keys:
            questions[keys.index(old_key)] = stored
        else:
            raise ServiceError(_l("This question no longer exists."))
        return spec.id

    return edit_draft(course, actor, "question_added" if old_key is None else "question_updated",
                      f"{bank_id}/{spec.id}", change)


def delete_question(course: Course, actor: User | None, bank_id: str, key: str) -> None:
    def change(draft):
        bank = _bank(draft, bank_id)
        bank["questions"] = [q for q in bank.get("questions") or [] if q.get("id") != key]

    edit_draft(course, actor, "question_deleted", f"{bank_id}/{key}", change)


def move_question(course: Course, actor: User | None, bank_id: str, key: str,
                  direction: str) -> None:
    def change(draft):
        questions = _bank(draft, bank_id).get("questions") or []
        keys = [q.get("id") for q in questions]
        if key in keys:
            swap(questions, keys.index(key), direction)

    edit_draft(course, actor, "question_moved", f"{bank_id}/{key} {direction}", change)


def quiz_of(draft, quiz_id: str) -> dict | None:
    return next((q for q in _quizzes(draft) if q.get("id") == quiz_id), None)


def check_quiz(draft, data: dict) -> QuizSpec:
    """QuizSpec's rules, plus the loader's check that each draw rule's bank has enough
    questions — so the message appears next to the rule rather than at publishing."""
    spec = validate(QuizSpec, data)
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
            raise invalid("id", _l("Another quiz of this course has this id."))
        if old_id is None:
            quizzes.append(stored)
        elif old_id in ids:
            quizzes[ids.index(old_id)] = stored
        else:
            raise ServiceError(_l("This quiz no longer exists."))
        return spec.id

    return edit_draft(course, actor, "quiz_added" if old_id is None else "quiz_updated", spec.id,
                      change)


def delete_quiz(course: Course, actor: User | None, quiz_id: str) -> None:
    def change(draft):
        draft["manifest"]["quizzes"] = [q for q in _quizzes(draft) if q.get("id") != quiz_id]

    edit_draft(course, actor, "quiz_deleted", quiz_id, change)
