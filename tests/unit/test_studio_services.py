"""Studio services without a browser: drafts are packages, zips are unpacked safely, the
edit rule, upload type checks, and rule matching."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import delete, select

from lms.catalog.learning_models import Enrollment
from lms.catalog.package import PackageError
from lms.core.errors import ServiceError
from lms.studio import assignment_rules, package_zip, uploads
from lms.studio.bank_edits import check_question, question_spec
from lms.studio.drafts import DraftInvalid, draft_problems, live_draft, load_draft
from lms.studio.editors import NotAllowed, can_edit, editable_course_ids, grant
from lms.studio.messages import explain
from lms.studio.outline_edits import add_module, update_module
from lms.studio.publishing import publish


def test_a_live_course_as_a_draft_is_the_same_package(make, db):
    course = make.course("SVC-1")
    draft = live_draft(course)
    assert set(draft["lessons"]) == {"01-lesson", "02-lesson", "03-lesson"}
    assert draft["banks"][0]["id"] == "svc-1-bank" and "quiz_banks" not in draft["manifest"]
    assert load_draft(draft).content_hash == course.content_hash


def test_draft_problems_name_file_field_and_reason(make, db):
    course = make.course("SVC-2", quiz=False)
    add_module(course, None, title_zh="空", title_en="Empty")
    problems = draft_problems(course)
    assert [(p.file, p.field) for p in problems] == [("svc-2/course.yaml", "modules.1.lessons")]
    with pytest.raises(PackageError):
        publish(course, None)
    db.session.refresh(course)
    assert course.version == 1 and course.draft is not None


def test_question_rules_come_from_the_package(app, db):
    with pytest.raises(DraftInvalid) as exc:
        check_question({"id": "q1", "type": "single", "text": "x",
                        "options": [{"text": "a", "correct": True},
                                    {"text": "b", "correct": True}]})
    assert set(exc.value.errors) == {"options"}
    with pytest.raises(DraftInvalid) as exc:
        check_question({"id": "Q 1", "type": "numeric", "text": "", "answer": None})
    assert {"id", "text"} <= set(exc.value.errors)
    spec = check_question({"id": "q2", "type": "numeric", "text": "算\r\n一算",
                           "answer": 1.5, "tolerance": 0.1, "unit": "kWh"})
    assert question_spec(spec) == {"id": "q2", "type": "numeric", "text": "算\n一算",
                                   "answer": 1.5, "tolerance": 0.1, "unit": "kWh"}


def test_explain_turns_validator_reasons_into_interface_text(app, db):
    for reason in ("String should have at least 1 character", "file not found",
                   "asks for 9 questions but the bank has 5",
                   "options: a single-choice question needs exactly one correct option "
                   "(found 2)"):
        said = explain(reason)
        assert said and said != reason
    assert explain("something new") == "something new"


def test_who_may_edit(make, db):
    course = make.course("SVC-3", quiz=False)
    owner, other = make.user(roles={"trainer"}), make.user(roles={"trainer"})
    admin, learner = make.user(roles={"admin"}), make.user()
    grant(course, owner, "owner")
    grant(course, learner, "editor")  # not a trainer: the row alone is not enough
    db.session.commit()
    assert can_edit(owner, course) and can_edit(admin, course)
    assert not can_edit(other, course) and not can_edit(learner, course)
    assert editable_course_ids(other) == set()
    assert editable_course_ids(admin) is None
    with pytest.raises(NotAllowed):
        update_module(course, other, 0, title_zh="改", title_en="x")


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_zip_limits(tmp_path, monkeypatch):
    with pytest.raises(PackageError) as exc:
        package_zip.extract(_zip({f"c/f{i}.md": b"x" for i in range(301)}), tmp_path / "a")
    assert "more than 300 files" in exc.value.problems[0].reason
    bomb = _zip({"c/course.yaml": b"code: X\n", "c/big.md": b"0" * (31 * 1024 * 1024)})
    assert len(bomb) < 200_000
    with pytest.raises(PackageError) as exc:
        package_zip.extract(bomb, tmp_path / "b")
    assert "unpacks to more than 30 MB" in exc.value.problems[0].reason
    with pytest.raises(PackageError) as exc:
        package_zip.extract(_zip({"a/course.yaml": b"x", "b/course.yaml": b"x"}),
                            tmp_path / "c")
    assert "more than one course" in exc.value.problems[0].reason
    root = package_zip.extract(_zip({"course.yaml": b"code: X\n"}), tmp_path / "d")
    assert root == (tmp_path / "d").resolve()


@pytest.mark.parametrize("head, kind", [
    (b"\x89PNG\r\n\x1a\n....", "png"), (b"\xff\xd8\xff\xe0....", "jpg"),
    (b"GIF89a......", "gif"), (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
    (b"%PDF-1.7\n", "pdf"), (b"<svg ", None), (b"<!DOCTYPE html>", None), (b"PK\x03\x04", None),
])
def test_upload_types_are_told_by_content(head, kind):
    assert uploads.sniff(head) == kind


def test_rules_match_units_below_and_job_roles(make, db):
    owner = make.user(roles={"trainer"})
    course = make.course("SVC-4", quiz=False)
    grant(course, owner, "owner")
    top = make.unit()
    mid = make.unit("branch", parent=top)
    low = make.unit("division", parent=mid)
    assignment_rules.create_rule(course, owner, unit=mid, with_subunits=False)
    with pytest.raises(ServiceError):
        assignment_rules.create_rule(course, owner, unit=mid)  # the same rule twice
    at_low = make.user(org_unit=low)
    at_mid = make.user(org_unit=mid)
    enrolled = set(db.session.scalars(select(Enrollment.user_id)))
    assert at_mid.id in enrolled and at_low.id not in enrolled  # sub-units not included
    inactive = make.user(org_unit=mid)
    inactive.active = False
    db.session.execute(delete(Enrollment).where(Enrollment.user_id == inactive.id))
    db.session.commit()
    assert assignment_rules.apply_rules_for_user(inactive) == 0


def test_every_built_in_course_round_trips_through_a_draft(db):
    """The draft of a course is exactly its package: nothing is lost or changed on the way,
    so an untouched draft has nothing to publish."""
    from pathlib import Path

    from lms.catalog.models import Course
    from lms.studio import packages as course_packages

    results = course_packages.import_folder(Path(__file__).resolve().parents[2] / "courses")
    assert results and all(r.action == "created" for r in results)
    for course in db.session.scalars(select(Course)).all():
        package = load_draft(live_draft(course))
        savepoint = db.session.begin_nested()
        try:
            result = course_packages.apply_package(package)
        finally:
            savepoint.rollback()
        assert result.changes == [], (course.code, result.changes)
