"""Course packages: validation names file, field and reason; import is idempotent; a course
round-trips through export; progress survives re-import."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from lms.assessment.models import Question
from lms.catalog import learning
from lms.catalog.learning_models import LessonProgress
from lms.catalog.models import Course, Lesson
from lms.catalog.package import PackageError, load_package
from lms.studio import packages as course_packages
from tests.factories import write_package

ROOT = Path(__file__).resolve().parents[2]


def _problems(folder) -> list[str]:
    with pytest.raises(PackageError) as exc:
        load_package(folder)
    return [str(p) for p in exc.value.problems]


def _edit(folder, rel, fn):
    path = Path(folder) / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_bad_manifest_fields_are_named(tmp_path):
    folder = write_package(tmp_path, "BAD-1")

    def breakit(d):
        d["category"] = "astrology"
        d["estimated_minutes"] = 0

    _edit(folder, "course.yaml", breakit)
    problems = _problems(folder)
    assert any(p.startswith("bad-1/course.yaml: category:") for p in problems)
    assert "bad-1/course.yaml: estimated_minutes: Input should be greater than or equal to 1" \
        in problems
    folder = write_package(tmp_path, "BAD-1B")
    _edit(folder, "course.yaml", lambda d: d["modules"][0]["lessons"][1].update(
        file="lessons/missing.md"))
    assert "bad-1b/lessons/missing.md: file not found" in _problems(folder)


def test_question_rules_are_checked(tmp_path):
    folder = write_package(tmp_path, "BAD-2")

    def breakit(d):
        d["questions"][0]["options"][1]["correct"] = True  # single with two right answers
        d["questions"][1]["options"][1]["correct"] = False  # multiple with one right answer
        d["questions"][3].pop("answer")

    _edit(folder, "quiz/bank.yaml", breakit)
    problems = "\n".join(_problems(folder))
    assert "exactly one correct option (found 2)" in problems
    assert "at least two correct options (found 1)" in problems
    assert "numeric question needs a number" in problems


def test_quiz_cannot_draw_more_than_the_bank_has(tmp_path):
    folder = write_package(tmp_path, "BAD-3")
    _edit(folder, "course.yaml", lambda d: d["quizzes"][0]["draw"][0].update(count=50))
    assert any("asks for 50 questions but the bank has 5" in p for p in _problems(folder))


def test_broken_yaml_and_escaping_paths(tmp_path):
    folder = write_package(tmp_path, "BAD-4")
    (folder / "course.yaml").write_text("code: [unclosed", encoding="utf-8")
    assert any("is not valid YAML" in p for p in _problems(folder))
    folder = write_package(tmp_path, "BAD-5")
    _edit(folder, "course.yaml",
          lambda d: d["modules"][0]["lessons"][0].update(file="../../etc/passwd"))
    assert any("points outside the package" in p or "file" in p for p in _problems(folder))


def test_import_is_idempotent_and_reports_changes(db, tmp_path):
    folder = write_package(tmp_path, "IMP-1")
    first = course_packages.import_folder(tmp_path)
    assert [r.action for r in first] == ["created"]
    again = course_packages.import_folder(tmp_path)
    assert [r.action for r in again] == ["unchanged"]
    (folder / "lessons" / "02-lesson.md").write_text("## 改过的第二课\n", encoding="utf-8")
    changed = course_packages.import_folder(tmp_path)
    assert changed[0].action == "updated" and "lesson 02-lesson changed" in changed[0].changes
    assert db.session.scalar(select(func.count(Course.id))) == 1


def test_a_bad_package_changes_nothing(db, tmp_path):
    folder = write_package(tmp_path, "IMP-2")
    course_packages.import_folder(tmp_path)
    (folder / "lessons" / "01-lesson.md").write_text("## 新内容\n", encoding="utf-8")
    _edit(folder, "quiz/bank.yaml", lambda d: d["questions"][0].update(type="essay"))
    result = course_packages.import_folder(tmp_path)
    assert result[0].action == "failed"
    body = db.session.scalar(select(Lesson.body_md).where(Lesson.slug == "01-lesson"))
    assert "新内容" not in body


def test_progress_survives_reimport_of_changed_course(db, make, tmp_path):
    user = make.user()
    folder = write_package(tmp_path, "IMP-3", lessons=3)
    course = course_packages.import_folder(tmp_path) and learning.published_course("IMP-3")
    lessons = db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)
                                 .order_by(Lesson.position)).all()
    learning.complete_lesson(user, course, lessons[0])
    learning.complete_lesson(user, course, lessons[2])
    # Lesson 3 is removed, lesson 1 is edited: its progress stays, lesson 3's goes.
    (folder / "lessons" / "01-lesson.md").write_text("## 修订\n", encoding="utf-8")
    _edit(folder, "course.yaml", lambda d: d["modules"][0]["lessons"].pop())
    assert course_packages.import_folder(tmp_path)[0].action == "updated"
    rows = db.session.scalars(select(LessonProgress.lesson_id).where(
        LessonProgress.user_id == user.id)).all()
    assert rows == [lessons[0].id]


def test_export_round_trips(db, tmp_path):
    src = tmp_path / "src"
    write_package(src, "RT-1")
    course_packages.import_folder(src)
    course = learning.published_course("RT-1")
    out = course_packages.export_course(course, tmp_path / "out")
    exported = load_package(out)
    assert exported.content_hash == load_package(src / "rt-1").content_hash
    assert course_packages.import_folder(tmp_path / "out")[0].action == "unchanged"


def test_removed_question_is_retired_not_deleted(db, tmp_path):
    folder = write_package(tmp_path, "IMP-4")
    course_packages.import_folder(tmp_path)
    _edit(folder, "quiz/bank.yaml", lambda d: d["questions"].pop())
    _edit(folder, "course.yaml", lambda d: d["quizzes"][0]["draw"][0].update(count=4))
    result = course_packages.import_folder(tmp_path)[0]
    assert "question imp-4-bank/q5 retired" in result.changes
    q5 = db.session.scalar(select(Question).where(Question.key == "q5"))
    assert q5 is not None and q5.active is False


def test_the_built_in_curriculum_is_valid(tmp_path):
    """Every package in courses/ loads; at least nine real courses with 3–6 lessons."""
    packages = course_packages.find_packages(ROOT / "courses")
    assert len(packages) >= 9
    for folder in packages:
        package = load_package(folder)
        n = sum(len(m) for m in package.lessons)
        assert 3 <= n <= 6, folder.name
        assert package.spec.status == "published"
        assert package.banks and sum(len(b.questions) for _f, b in package.banks) >= 10
        for _mod in package.lessons:
            for lesson in _mod:
                assert len(lesson.body) > 600, f"{folder.name}/{lesson.file} is too thin"
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_optional_quiz_is_exported_and_removed_quiz_is_retired(db, tmp_path):
    from lms.assessment.models import Quiz

    src = tmp_path / "src"
    folder = write_package(src, "OPT-1", quiz_settings={"required": False})
    course_packages.import_folder(src)
    course = learning.published_course("OPT-1")
    out = course_packages.export_course(course, tmp_path / "out")
    assert load_package(out).spec.quizzes[0].required is False  # an optional quiz survives
    _edit(folder, "course.yaml", lambda d: d.pop("quizzes"))
    result = course_packages.import_folder(src)[0]
    assert "quiz final retired" in result.changes
    quiz = db.session.scalar(select(Quiz).where(Quiz.key == "final"))
    assert quiz.active is False
    from lms.assessment import quizzes

    assert quizzes.quiz_by_public_id(quiz.public_id) is None


def test_lesson_topics_are_stored_and_round_trip(db, tmp_path):
    src = tmp_path / "src"
    folder = write_package(src, "TOP-1")

    def topics(d):
        for i, ref in enumerate(d["modules"][0]["lessons"][:2], 1):
            ref["topic"] = f"topic-{i}"

    _edit(folder, "course.yaml", topics)
    course_packages.import_folder(src)
    course = learning.published_course("TOP-1")
    lessons = db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)
                                 .order_by(Lesson.position)).all()
    assert [lesson.topic for lesson in lessons] == ["topic-1", "topic-2", None]
    out = course_packages.export_course(course, tmp_path / "out")
    refs = load_package(out).spec.modules[0].lessons
    assert [r.topic for r in refs] == ["topic-1", "topic-2", None]
    assert load_package(out).content_hash == load_package(folder).content_hash
    assert course_packages.import_folder(tmp_path / "out")[0].action == "unchanged"
    # A changed topic is a change of the lesson.
    _edit(folder, "course.yaml", lambda d: d["modules"][0]["lessons"][2].update(topic="t3"))
    result = course_packages.import_folder(src)[0]
    assert result.action == "updated" and "lesson 03-lesson changed" in result.changes
    db.session.refresh(lessons[2])
    assert lessons[2].topic == "t3"
