"""Importing course packages into the catalogue and exporting them back to files.

Import is idempotent and keyed by stable names: the course by code, lessons by file name,
banks by id, questions by id within their bank, quizzes by id. Learners' progress on lessons
that still exist is kept. Each course is applied in one transaction: a bad package changes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from lms.assessment.models import Question, QuestionBank, Quiz
from lms.catalog.models import Course, CourseRequirement, Lesson, Module
from lms.catalog.package import (
    BankSpec,
    Package,
    PackageError,
    Problem,
    QuestionSpec,
    find_packages,
    load_package,
)
from lms.core import audit
from lms.extensions import db
from lms.people.models import User


@dataclass
class ImportResult:
    code: str
    action: str  # created | updated | unchanged | failed
    changes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _question_fields(q: QuestionSpec) -> dict[str, Any]:
    options: list[dict[str, Any]] = []
    answer: dict[str, Any] = {}
    if q.type in ("single", "multiple"):
        options = [{"id": f"o{i + 1}", "text": o.text, "correct": o.correct}
                   for i, o in enumerate(q.options or [])]
    elif q.type == "true_false":
        answer = {"value": bool(q.answer)}
    elif q.type == "numeric":
        assert q.answer is not None  # QuestionSpec._shape: a numeric question has a number
        answer = {"value": float(q.answer), "tolerance": float(q.tolerance or 0),
                  "unit": q.unit or ""}
    elif q.type == "short_text":
        answer = {"accept": list(q.accept or [])}
    return {"type": q.type, "text_md": q.text, "options": options, "answer": answer,
            "explanation_md": q.explanation or "", "tags": list(q.tags)}


def _apply_banks(course: Course, banks: list[tuple[str, BankSpec]], changes: list[str]) -> None:
    existing = {b.key: b for b in db.session.scalars(
        select(QuestionBank).where(QuestionBank.course_id == course.id))}
    for _file, spec in banks:
        bank = existing.pop(spec.id, None)
        if bank is None:
            other = db.session.scalar(select(QuestionBank).where(QuestionBank.key == spec.id))
            if other is not None:
                raise PackageError([Problem(f"{course.code}", "quiz_banks",
                                            f"bank id {spec.id} belongs to another course")])
            bank = QuestionBank(key=spec.id, course_id=course.id)
            db.session.add(bank)
            changes.append(f"bank {spec.id} added")
        bank.title_zh, bank.title_en = spec.title.zh, spec.title.en
        by_key = {q.key: q for q in bank.questions}
        for pos, qspec in enumerate(spec.questions):
            values = _question_fields(qspec)
            question = by_key.pop(qspec.id, None)
            if question is None:
                question = Question(key=qspec.id)
                bank.questions.append(question)
                changes.append(f"question {spec.id}/{qspec.id} added")
            elif any(getattr(question, k) != v for k, v in values.items()) or not question.active:
                changes.append(f"question {spec.id}/{qspec.id} changed")
            for k, v in values.items():
                setattr(question, k, v)
            question.position, question.active = pos, True
        for gone in by_key.values():
            # Retired, not deleted: past attempts still point at it.
            if gone.active:
                gone.active = False
                changes.append(f"question {spec.id}/{gone.key} retired")
    for gone_bank in existing.values():
        for q in gone_bank.questions:
            q.active = False
        changes.append(f"bank {gone_bank.key} retired")


def _apply_quizzes(course: Course, package: Package, changes: list[str]) -> None:
    existing = {q.key: q for q in db.session.scalars(
        select(Quiz).where(Quiz.course_id == course.id))}
    for spec in package.spec.quizzes:
        quiz = existing.pop(spec.id, None)
        if quiz is None:
            quiz = Quiz(course_id=course.id, key=spec.id)
            db.session.add(quiz)
            changes.append(f"quiz {spec.id} added")
        quiz.title_zh, quiz.title_en = spec.title.zh, spec.title.en
        quiz.draw = [r.model_dump(exclude_none=True) for r in spec.draw]
        quiz.pass_mark, quiz.max_attempts = spec.pass_mark, spec.max_attempts
        quiz.time_limit_min, quiz.review, quiz.required = (spec.time_limit_min, spec.review,
                                                           spec.required)
        quiz.active = True
    for gone in existing.values():
        if gone.active:
            gone.required, gone.active = False, False
            changes.append(f"quiz {gone.key} retired")


def _apply_practice(course: Course, package: Package, changes: list[str]) -> None:
    """Practice items become CourseRequirement(kind="scenario") rows; the scenario must exist
    (built-in ones are imported on demand)."""
    from lms.practice.scenarios import ensure_scenario

    existing = {r.ref: r for r in db.session.scalars(select(CourseRequirement).where(
        CourseRequirement.course_id == course.id, CourseRequirement.kind == "scenario"))}
    for i, spec in enumerate(package.spec.practice):
        if ensure_scenario(spec.scenario) is None:
            raise PackageError([Problem(f"{course.code}/course.yaml", f"practice.{i}.scenario",
                                        f"no scenario {spec.scenario} (import it first with "
                                        "flask lms import-scenarios, or make the variant)")])
        req = existing.pop(spec.scenario, None)
        if req is None:
            req = CourseRequirement(course_id=course.id, kind="scenario", ref=spec.scenario)
            db.session.add(req)
            changes.append(f"practice {spec.scenario} added")
        extra = {"title": spec.title.zh, "title_en": spec.title.en,
                 "max_attempts": spec.max_attempts}
        if (req.required, req.pass_score, req.extra) != (spec.required, spec.pass_score, extra) \
                and req.id is not None:
            changes.append(f"practice {spec.scenario} changed")
        req.required, req.pass_score, req.extra = spec.required, spec.pass_score, extra
    for gone in existing.values():
        db.session.delete(gone)
        changes.append(f"practice {gone.ref} removed")


def _apply_structure(course: Course, package: Package, changes: list[str]) -> None:
    lessons = {lesson.slug: lesson for lesson in db.session.scalars(
        select(Lesson).where(Lesson.course_id == course.id))}
    modules = list(course.modules)
    position = 0
    for mi, (mspec, files) in enumerate(zip(package.spec.modules, package.lessons, strict=True)):
        if mi < len(modules):
            module = modules[mi]
        else:
            module = Module(position=mi, title_zh=mspec.title.zh, title_en=mspec.title.en)
            course.modules.append(module)
            db.session.flush()
        module.position, module.title_zh, module.title_en = mi, mspec.title.zh, mspec.title.en
        for lf in files:
            lesson = lessons.pop(lf.slug, None)
            if lesson is None:
                lesson = Lesson(slug=lf.slug, course_id=course.id)
                changes.append(f"lesson {lf.slug} added")
            elif (lesson.body_md != lf.body or lesson.title_zh != lf.title.zh
                  or lesson.topic != lf.topic):
                changes.append(f"lesson {lf.slug} changed")
            lesson.module = module
            lesson.module_id = module.id
            lesson.title_zh, lesson.title_en = lf.title.zh, lf.title.en
            lesson.body_md, lesson.minutes, lesson.position = lf.body, lf.minutes, position
            lesson.topic = lf.topic
            db.session.add(lesson)
            position += 1
    for gone in lessons.values():
        db.session.delete(gone)
        changes.append(f"lesson {gone.slug} removed")
    db.session.flush()
    for extra in modules[len(package.spec.modules):]:
        course.modules.remove(extra)


def apply_package(package: Package, actor: User | None = None) -> ImportResult:
    spec = package.spec
    course = db.session.scalar(select(Course).where(Course.code == spec.code))
    if course is not None and course.content_hash == package.content_hash:
        return ImportResult(spec.code, "unchanged")
    created = course is None
    changes: list[str] = []
    if course is None:
        course = Course(code=spec.code)
        db.session.add(course)
    course.version = max(spec.version, course.version or 1)
    course.title_zh, course.title_en = spec.title.zh, spec.title.en
    course.summary_zh, course.summary_en = spec.summary.zh, spec.summary.en
    course.category, course.audience = spec.category, list(spec.audience)
    course.estimated_minutes = spec.estimated_minutes
    if created or course.status != "archived":
        course.status = spec.status
    course.content_hash = package.content_hash
    db.session.flush()
    _apply_structure(course, package, changes)
    _apply_banks(course, package.banks, changes)
    _apply_quizzes(course, package, changes)
    _apply_practice(course, package, changes)
    audit.record("course_imported", actor=actor, target=course,
                 result="created" if created else "updated", changes=len(changes))
    return ImportResult(spec.code, "created" if created else "updated", changes)


def import_folder(folder: str | Path, actor: User | None = None,
                  progress=None) -> list[ImportResult]:
    """Import every package under `folder`; each course commits or rolls back on its own."""
    results = []
    for path in (progress or (lambda x: x))(find_packages(folder)):
        try:
            package = load_package(path)
        except PackageError as e:
            results.append(ImportResult(path.name, "failed", problems=e.problems))
            continue
        try:
            result = apply_package(package, actor)
            db.session.commit()
        except PackageError as e:
            db.session.rollback()
            result = ImportResult(package.spec.code, "failed", problems=e.problems)
        results.append(result)
    return results


# --- export ----------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper, data):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _question_spec(q: Question) -> dict:
    out: dict = {"id": q.key, "type": q.type}
    if q.tags:
        out["tags"] = list(q.tags)
    out["text"] = q.text_md
    if q.type in ("single", "multiple"):
        out["options"] = [{"text": o["text"], **({"correct": True} if o["correct"] else {})}
                          for o in q.options]
    elif q.type == "true_false":
        out["answer"] = bool(q.answer["value"])
    elif q.type == "numeric":
        value = q.answer["value"]
        out["answer"] = int(value) if float(value).is_integer() else value
        if q.answer.get("tolerance"):
            out["tolerance"] = q.answer["tolerance"]
        if q.answer.get("unit"):
            out["unit"] = q.answer["unit"]
    elif q.type == "short_text":
        out["accept"] = list(q.answer["accept"])
    if q.explanation_md:
        out["explanation"] = q.explanation_md
    return out


def export_course(course: Course, folder: str | Path) -> Path:
    """Write `course` as a package under `folder`/<code in lower case>/; returns that path."""
    root = Path(folder) / course.code.lower()
    (root / "lessons").mkdir(parents=True, exist_ok=True)
    modules = []
    for module in course.modules:
        lessons = []
        for lesson in module.lessons:
            rel = f"lessons/{lesson.slug}.md"
            (root / rel).write_text(lesson.body_md, encoding="utf-8")
            lessons.append({"file": rel, "title": {"zh": lesson.title_zh, "en": lesson.title_en},
                            "minutes": lesson.minutes,
                            **({"topic": lesson.topic} if lesson.topic else {})})
        modules.append({"title": {"zh": module.title_zh, "en": module.title_en},
                        "lessons": lessons})
    banks = db.session.scalars(select(QuestionBank).where(QuestionBank.course_id == course.id)
                               .order_by(QuestionBank.key)).all()
    bank_refs = []
    for bank in banks:
        active = [q for q in bank.questions if q.active]
        if not active:
            continue
        rel = f"quiz/{bank.key}.yaml"
        (root / "quiz").mkdir(exist_ok=True)
        (root / rel).write_text(_dump({
            "id": bank.key, "title": {"zh": bank.title_zh, "en": bank.title_en},
            "questions": [_question_spec(q) for q in active]}), encoding="utf-8")
        bank_refs.append({"file": rel})
    quizzes = db.session.scalars(select(Quiz).where(Quiz.course_id == course.id,
                                                    Quiz.active.is_(True))
                                 .order_by(Quiz.key)).all()
    manifest = {
        "code": course.code, "version": course.version,
        "title": {"zh": course.title_zh, "en": course.title_en},
        "summary": {"zh": course.summary_zh, "en": course.summary_en},
        "category": course.category, "audience": list(course.audience or []),
        "estimated_minutes": course.estimated_minutes,
        "status": "published" if course.status == "published" else "draft",
        "modules": modules,
    }
    if bank_refs:
        manifest["quiz_banks"] = bank_refs
    if quizzes:
        manifest["quizzes"] = [{
            "id": q.key, "title": {"zh": q.title_zh, "en": q.title_en},
            "draw": q.draw, "pass_mark": q.pass_mark, "max_attempts": q.max_attempts,
            **({"time_limit_min": q.time_limit_min} if q.time_limit_min else {}),
            "review": q.review, "required": q.required} for q in quizzes]
    practice = db.session.scalars(select(CourseRequirement).where(
        CourseRequirement.course_id == course.id, CourseRequirement.kind == "scenario")
        .order_by(CourseRequirement.id)).all()
    if practice:
        manifest["practice"] = [{
            "scenario": r.ref,
            "title": {"zh": r.extra.get("title", r.ref), "en": r.extra.get("title_en") or
                      r.extra.get("title", r.ref)},
            "pass_score": r.pass_score if r.pass_score is not None else 70,
            "required": r.required,
            "max_attempts": int(r.extra.get("max_attempts", 3))} for r in practice]
    (root / "course.yaml").write_text(_dump(manifest), encoding="utf-8")
    return root
