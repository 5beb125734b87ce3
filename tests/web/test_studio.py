"""The trainer studio as trainers and learners notice it: drafts, publishing, the Markdown
preview, uploads, question and quiz editors, zip import/export, assignment, ownership and
history."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select

from lms.assessment.models import Quiz
from lms.catalog import learning
from lms.catalog.learning_models import Enrollment, LessonProgress
from lms.catalog.markdown import render
from lms.catalog.models import Course, Lesson
from lms.core.audit import AuditEvent
from lms.notifications.models import Notification
from lms.people import accounts
from lms.studio.editors import editor_role, grant
from lms.studio.models import AssignmentRule, CourseEditor, Upload
from tests.conftest import Auth
from tests.factories import write_package


@pytest.fixture(autouse=True)
def _folders(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    monkeypatch.setitem(app.config, "STUDIO_STAGING_FOLDER", str(tmp_path / "staging"))


def _owned_course(make, db, user, code=None, **kw) -> Course:
    course = make.course(code, **kw)
    grant(course, user, "owner")
    db.session.commit()
    return course


def _lessons(db, course) -> list[Lesson]:
    return list(db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)
                                   .order_by(Lesson.position)))


def _other_client(app, user) -> tuple[FlaskClient, Auth]:
    other = app.test_client()
    auth = Auth(other)
    assert auth.login(user.employee_no).status_code == 302
    return other, auth


def _png(size=(4, 3)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (11, 94, 85)).save(buf, "PNG")
    return buf.getvalue()


def _zip(folder: Path, extra: dict[str, bytes] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def _edit_lesson(auth, code, slug, body, **kw):
    page = f"/author/courses/{code}/lessons/{slug}"
    data = {"title_zh": kw.get("title_zh", "第1课"), "title_en": kw.get("title_en", "Lesson 1"),
            "minutes": "5",
            "module": "0", "body": body}
    return auth.post(page, data)


# --- drafts and publishing -----------------------------------------------------------------

def test_draft_edits_stay_hidden_from_learners_until_published(app, client, make, db, auth,
                                                               login_as):
    trainer = login_as("trainer")
    course = _owned_course(make, db, trainer, "DRF-1", quiz=False)
    slug = _lessons(db, course)[0].slug
    learner = make.user()
    learner_client, _learner_auth = _other_client(app, learner)
    lesson_url = f"/learn/courses/DRF-1/lessons/{slug}"
    assert "正文 <strong>1</strong>" in learner_client.get(lesson_url).get_data(as_text=True)

    resp = _edit_lesson(auth, "DRF-1", slug, "## 新版本\n\n更新后的**正文**。")
    assert resp.status_code == 302
    html = learner_client.get(lesson_url).get_data(as_text=True)
    assert "更新后的" not in html and "正文 <strong>1</strong>" in html
    db.session.refresh(course)
    assert course.draft is not None and course.version == 1
    studio_index = client.get("/author/").get_data(as_text=True)
    assert course.draft_updated_at is not None and "badge text-bg-warning" in studio_index

    resp = auth.post("/author/courses/DRF-1/publish", form_page="/author/courses/DRF-1")
    assert resp.status_code == 302
    db.session.refresh(course)
    assert course.version == 2 and course.draft is None and course.status == "published"
    html = learner_client.get(lesson_url).get_data(as_text=True)
    assert "更新后的<strong>正文</strong>" in html


def test_publish_keeps_progress_on_lessons_that_survive(app, client, make, db, auth, login_as):
    trainer = login_as("trainer")
    course = _owned_course(make, db, trainer, "DRF-2", quiz=False)
    first, second, _third = _lessons(db, course)
    learner = make.user()
    learning.complete_lesson(learner, course, first)
    learning.complete_lesson(learner, course, second)
    # Remove lesson 2, add a new one, move lesson 3 up.
    page = "/author/courses/DRF-2"
    assert auth.post(f"{page}/lessons/{second.slug}/delete", form_page=page).status_code == 302
    resp = auth.post(f"{page}/modules/0/lessons/new",
                     {"slug": "04-new", "title_zh": "新课时", "title_en": "New", "minutes": "5",
                      "module": "0", "body": "## 新内容"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/lessons/04-new")
    assert auth.post(f"{page}/lessons/04-new/move", {"direction": "up"},
                     form_page=page).status_code == 302
    assert [lesson.slug for lesson in _lessons(db, course)] == \
        ["01-lesson", "02-lesson", "03-lesson"]  # nothing live changed yet
    assert auth.post(f"{page}/publish", form_page=page).status_code == 302
    db.session.refresh(course)
    assert course.version == 2
    assert [lesson.slug for lesson in _lessons(db, course)] == \
        ["01-lesson", "04-new", "03-lesson"]
    kept = db.session.scalars(select(LessonProgress.lesson_id).where(
        LessonProgress.user_id == learner.id)).all()
    assert kept == [first.id]  # same lesson row: progress kept; the removed one is gone


def test_an_invalid_draft_is_not_published_and_the_problems_are_listed(client, make, db, auth,
                                                                       login_as):
    trainer = login_as("trainer", locale="en")
    course = _owned_course(make, db, trainer, "DRF-3", quiz=False)
    page = "/author/courses/DRF-3"
    assert auth.post(f"{page}/modules", {"title_zh": "空模块", "title_en": "Empty"},
                     form_page=page).status_code == 302
    resp = auth.post(f"{page}/publish", form_page=page, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "cannot be published yet" in html
    assert "drf-3/course.yaml" in html and "modules.1.lessons" in html
    db.session.refresh(course)
    assert course.version == 1 and course.draft is not None
    assert len(course.modules) == 1


def test_publishing_an_unchanged_draft_is_refused(client, make, db, auth, login_as):
    trainer = login_as("trainer", locale="en")
    course = _owned_course(make, db, trainer, "DRF-4", quiz=True)
    page = "/author/courses/DRF-4"
    slug = _lessons(db, course)[0].slug
    body = _lessons(db, course)[0].body_md
    # A browser sends the text back with CRLF line ends: still the same lesson.
    assert _edit_lesson(auth, "DRF-4", slug, body.replace("\n", "\r\n")).status_code == 302
    html = auth.post(f"{page}/publish", form_page=page,
                     follow_redirects=True).get_data(as_text=True)
    assert "nothing to publish" in html
    db.session.refresh(course)
    assert course.version == 1


def test_new_course_starts_as_a_draft_and_goes_live_when_published(app, client, make, db,
                                                                   auth, login_as):
    trainer = login_as("trainer")
    resp = auth.post("/author/courses/new", {
        "code": "new-101", "title_zh": "新课程", "title_en": "New course",
        "summary_zh": "一句话。", "summary_en": "One line.", "category": "service",
        "estimated_minutes": "30"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/author/courses/NEW-101")
    course = db.session.scalar(select(Course).where(Course.code == "NEW-101"))
    assert course.status == "draft" and editor_role(trainer, course) == "owner"
    learner = make.user()
    learner_client, _a = _other_client(app, learner)
    assert learner_client.get("/learn/courses/NEW-101").status_code == 404
    page = "/author/courses/NEW-101"
    auth.post(f"{page}/modules", {"title_zh": "模块一", "title_en": "Module 1"}, form_page=page)
    auth.post(f"{page}/modules/0/lessons/new", {"slug": "", "title_zh": "第一课",
                                                "title_en": "Lesson 1", "minutes": "10",
                                                "module": "0", "body": "## 目标"})
    assert auth.post(f"{page}/publish", form_page=page).status_code == 302
    db.session.refresh(course)
    assert course.status == "published" and course.version == 1
    assert "新课程" in learner_client.get("/learn/catalog").get_data(as_text=True)


def test_course_code_and_metadata_are_checked_next_to_the_fields(client, db, auth, login_as):
    login_as("trainer", locale="en")
    html = auth.post("/author/courses/new", {
        "code": "x", "title_zh": "", "title_en": "T", "summary_zh": "s", "summary_en": "s",
        "category": "service", "estimated_minutes": "0"}).get_data(as_text=True)
    assert "Use capital letters, digits and" in html
    assert db.session.scalar(select(func.count(Course.id))) == 0
    html = auth.post("/author/courses/new", {
        "code": "OK-1", "title_zh": "", "title_en": "T", "summary_zh": "s", "summary_en": "s",
        "category": "service", "estimated_minutes": "0"}).get_data(as_text=True)
    assert html.count("is-invalid") >= 2 and "Required." in html and "Must be at least 1" in html


def test_archived_course_leaves_the_catalogue_but_keeps_enrolments(app, client, make, db, auth,
                                                                   login_as):
    trainer = login_as("trainer")
    course = _owned_course(make, db, trainer, "ARC-1", quiz=False)
    learner = make.user()
    for lesson in _lessons(db, course):
        learning.complete_lesson(learner, course, lesson)
    page = "/author/courses/ARC-1"
    assert auth.post(f"{page}/archive", form_page=page).status_code == 302
    db.session.refresh(course)
    assert course.status == "archived"
    learner_client, _a = _other_client(app, learner)
    assert "ARC-1" not in learner_client.get("/learn/catalog").get_data(as_text=True)
    enrollment = learning.get_enrollment(learner.id, course.id)
    assert enrollment is not None and enrollment.completed_at is not None
    assert auth.post(f"{page}/restore", form_page=page).status_code == 302
    db.session.refresh(course)
    assert course.status == "published"


# --- editor pages ------------------------------------------------------------------------

def test_reordering_modules_and_lessons(client, make, db, auth, login_as):
    trainer = login_as("trainer")
    course = _owned_course(make, db, trainer, "ORD-1", quiz=False)
    page = "/author/courses/ORD-1"
    auth.post(f"{page}/modules", {"title_zh": "模块二", "title_en": "Module 2"}, form_page=page)
    # The last lesson of module 1 moves down into module 2; then module 2 moves up.
    auth.post(f"{page}/lessons/03-lesson/move", {"direction": "down"}, form_page=page)
    auth.post(f"{page}/modules/1/move", {"direction": "up"}, form_page=page)
    db.session.refresh(course)
    modules = course.draft["manifest"]["modules"]
    assert [m["title"]["zh"] for m in modules] == ["模块二", "模块一"]
    assert [r["file"] for r in modules[0]["lessons"]] == ["lessons/03-lesson.md"]
    html = client.get(page).get_data(as_text=True)
    assert html.index("模块二") < html.index("模块一")
    auth.post(f"{page}/publish", form_page=page)
    assert [lesson.slug for lesson in _lessons(db, course)] == \
        ["03-lesson", "01-lesson", "02-lesson"]


def test_course_settings_edit_the_draft(client, make, db, auth, login_as):
    trainer = login_as("trainer")
    course = _owned_course(make, db, trainer, "SET-1", quiz=False)
    page = "/author/courses/SET-1/settings"
    html = client.get(page).get_data(as_text=True)
    assert "测试课程" in html
    resp = auth.post(page, {"title_zh": "改名后的课程", "title_en": "Renamed",
                            "summary_zh": "新摘要", "summary_en": "New summary",
                            "category": "data", "estimated_minutes": "45"})
    assert resp.status_code == 302
    db.session.refresh(course)
    assert course.title_zh == "测试课程"
    assert course.draft["manifest"]["title"]["zh"] == "改名后的课程"
    auth.post("/author/courses/SET-1/publish", form_page="/author/courses/SET-1")
    db.session.refresh(course)
    assert (course.title_zh, course.category, course.estimated_minutes) == \
        ("改名后的课程", "data", 45)


def test_preview_is_the_learners_rendering_and_is_sanitised(client, make, db, auth, login_as):
    trainer = login_as("trainer")
    course = _owned_course(make, db, trainer, "PRV-1", quiz=False)
    page = f"/author/courses/PRV-1/lessons/{_lessons(db, course)[0].slug}"
    editor = client.get(page).get_data(as_text=True)
    assert 'hx-post="/author/preview"' in editor and "vendor/htmx/htmx.min.js" in editor
    assert "正文 <strong>1</strong>" in editor  # the preview starts filled in
    body = ("## 标题\n\n| 项目 | 数值 |\n|---|---|\n| 电量 | 10 kWh |\n\n"
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
            "[点我](javascript:alert(1)) ![图](javascript:alert(2))\n\n"
            '<a href="#" onclick="alert(3)">x</a>')
    resp = auth.post("/author/preview", {"body": body}, form_page=page)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert html == str(render(body))
    assert "<table>" in html and "<h2>标题</h2>" in html
    # The payloads survive only as visible, escaped text: no tag, handler or script URL.
    assert "<script" not in html and "&lt;script&gt;" in html
    assert not re.search(r"<[a-z][^>]*\son\w+\s*=", html)
    assert not re.search(r"""(href|src)=["']?\s*javascript""", html)
    assert "<img" not in html
    # CSRF is required, and learners may not use it.
    assert client.post("/author/preview", data={"body": "x"}).status_code == 400


def test_learners_and_other_trainers_cannot_edit(app, client, make, db, auth, login_as):
    owner = make.user(roles={"trainer"})
    course = _owned_course(make, db, owner, "OWN-1", quiz=True)
    slug = _lessons(db, course)[0].slug
    login_as("trainer")  # a trainer who does not own the course
    page = "/author/courses/OWN-1"
    for path in (page, f"{page}/settings", f"{page}/lessons/{slug}", f"{page}/history",
                 f"{page}/assign", f"{page}/export.zip", f"{page}/files",
                 f"{page}/banks/own-1-bank", f"{page}/quizzes/final"):
        assert client.get(path).status_code == 403, path
    token = auth.csrf("/author/")
    for path in (f"{page}/publish", f"{page}/archive", f"{page}/lessons/{slug}/delete",
                 f"{page}/modules"):
        assert client.post(path, data={"csrf_token": token}).status_code == 403, path
    assert "OWN-1</code> <i" not in client.get("/author/").get_data(as_text=True)
    assert client.get("/author/courses/NOPE-9").status_code == 404
    # A learner is kept out of the whole studio.
    learner = make.user()
    learner_client, _a = _other_client(app, learner)
    assert learner_client.get(page).status_code == 403
    assert learner_client.get("/author/").status_code == 403
    # The owner adds the trainer as an editor; then they may edit, but not add editors.
    owner_client, owner_auth = _other_client(app, owner)
    editor = make.user(roles={"trainer"})
    assert owner_auth.post(f"{page}/editors", {"employee_no": editor.employee_no,
                                               "role": "editor"}).status_code == 302
    editor_client, editor_auth = _other_client(app, editor)
    assert editor_client.get(page).status_code == 200
    assert _edit_lesson(editor_auth, "OWN-1", slug, "## 编辑者改的").status_code == 302
    resp = editor_auth.post(f"{page}/editors", {"employee_no": owner.employee_no,
                                                "role": "owner"}, form_page=page)
    assert resp.status_code == 403
    # An admin may change any course.
    admin = make.user(roles={"admin"})
    admin_client, _a = _other_client(app, admin)
    assert admin_client.get(page).status_code == 200


def test_owners_manage_editors_and_keep_one_owner(app, client, make, db, auth, login_as):
    owner = login_as("trainer", locale="en")
    course = _owned_course(make, db, owner, "OWN-2", quiz=False)
    page = "/author/courses/OWN-2/editors"
    learner = make.user()
    html = auth.post(page, {"employee_no": learner.employee_no, "role": "editor"}
                     ).get_data(as_text=True)
    assert "Only trainers can edit courses" in html
    html = auth.post(page, {"employee_no": "NOBODY", "role": "editor"}).get_data(as_text=True)
    assert "No active user has this employee number" in html
    row = db.session.scalar(select(CourseEditor).where(CourseEditor.course_id == course.id))
    html = auth.post(f"{page}/{row.public_id}/remove", form_page=page,
                     follow_redirects=True).get_data(as_text=True)
    assert "at least one owner" in html
    assert editor_role(owner, course) == "owner"


def test_history_shows_who_changed_what(client, make, db, auth, login_as):
    trainer = login_as("trainer", name="孙培训")
    course = _owned_course(make, db, trainer, "HIS-1", quiz=False)
    slug = _lessons(db, course)[0].slug
    _edit_lesson(auth, "HIS-1", slug, "## 改过了")
    auth.post("/author/courses/HIS-1/publish", form_page="/author/courses/HIS-1")
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.target_type == "course", AuditEvent.target_id == "HIS-1")).all()
    assert {e.action for e in events} >= {"course_edited", "course_published"}
    assert all(e.actor_id == trainer.id for e in events if e.action != "course_imported"
               or e.actor_id)
    html = client.get("/author/courses/HIS-1/history").get_data(as_text=True)
    assert "孙培训" in html and slug in html and "v2" in html
    assert html.index("v2") < html.index(slug)  # newest first


# --- uploads -------------------------------------------------------------------------------

def test_upload_is_checked_stored_outside_the_code_and_served_safely(app, client, make, db,
                                                                     auth, login_as):
    trainer = login_as("trainer")
    course = _owned_course(make, db, trainer, "UPL-1", quiz=False)
    page = "/author/courses/UPL-1/files"
    png = _png()
    resp = auth.post(page, {"file": (io.BytesIO(png), "示意图.png")},
                     headers={"Accept": "application/json"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    data = resp.get_json()
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}\.png", data["name"])
    assert data["markdown"] == f"![示意图]({data['url']})"
    stored = Path(app.config["UPLOAD_FOLDER"]) / data["name"]
    assert stored.read_bytes() == png
    assert not stored.resolve().is_relative_to(Path(app.root_path).parent / "lms")
    upload = db.session.scalar(select(Upload).where(Upload.name == data["name"]))
    assert upload.course_id == course.id and upload.content_type == "image/png"
    # A learner sees it (lesson images), with the checked type and no sniffing.
    learner_client, _a = _other_client(app, make.user())
    got = learner_client.get(data["url"])
    assert got.status_code == 200 and got.data == png
    assert got.mimetype == "image/png"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in got.headers["Content-Security-Policy"]
    # The image shows in a lesson once the Markdown is there.
    slug = _lessons(db, course)[0].slug
    _edit_lesson(auth, "UPL-1", slug, f"## 图\n\n{data['markdown']}")
    assert f'<img src="{data["url"]}" alt="示意图">' in client.get(
        f"/author/courses/UPL-1/lessons/{slug}").get_data(as_text=True)
    # Anonymous visitors and guessed names get nothing.
    assert FlaskClient(app).get(data["url"]).status_code == 302
    assert client.get("/author/files/" + "A" * 32 + ".png").status_code == 404
    assert client.get("/author/files/../../wsgi.py").status_code == 404


@pytest.mark.parametrize("content, name", [
    (b"<html><script>alert(1)</script></html>", "page.png"),
    (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "logo.svg"),
    (b"MZ\x90\x00 binary", "tool.exe"),
    (None, "photo.pdf"),  # a real PNG pretending to be a PDF
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "broken.png"),  # PNG magic, not a PNG
    (b"", "empty.png"),
])
def test_bad_uploads_are_refused(app, client, make, db, auth, login_as, content, name):
    trainer = login_as("trainer")
    _owned_course(make, db, trainer, "UPL-2", quiz=False)
    content = _png() if content is None else content
    resp = auth.post("/author/courses/UPL-2/files", {"file": (io.BytesIO(content), name)},
                     headers={"Accept": "application/json"})
    assert resp.status_code == 400 and resp.get_json()["error"]
    assert db.session.scalar(select(func.count(Upload.id))) == 0
    folder = Path(app.config["UPLOAD_FOLDER"])
    assert not folder.exists() or not any(folder.iterdir())


def test_large_uploads_are_refused_and_pdfs_download(app, client, make, db, auth, login_as):
    from lms.studio import uploads

    trainer = login_as("trainer", locale="en")
    _owned_course(make, db, trainer, "UPL-3", quiz=False)
    page = "/author/courses/UPL-3/files"
    big = b"%PDF-1.4\n" + b"0" * uploads.MAX_UPLOAD_BYTES + b"\n%%EOF\n"
    html = auth.post(page, {"file": (io.BytesIO(big), "big.pdf")}).get_data(as_text=True)
    assert "larger than 5 MB" in html
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert auth.post(page, {"file": (io.BytesIO(pdf), "规程.pdf")}).status_code == 302
    upload = db.session.scalar(select(Upload))
    got = client.get(f"/author/files/{upload.name}")
    assert got.mimetype == "application/pdf" and "attachment" in got.headers[
        "Content-Disposition"]
    assert "规程.pdf" in client.get(page).get_data(as_text=True)


# --- question banks and quizzes ----------------------------------------------------------

def _question(**kw):
    data = {"key": "q9", "type": "single", "text": "哪个是对的？", "tags": "",
            "answer_tf": "", "answer_num": "", "tolerance": "", "unit": "", "accept": "",
            "explanation": "因为。"}
    for i in range(6):
        data[f"options-{i}-text"] = ""
    data.update(kw)
    return data


def test_question_rules_show_next_to_the_fields(client, make, db, auth, login_as):
    trainer = login_as("trainer", locale="en")
    course = _owned_course(make, db, trainer, "QST-1")
    page = "/author/courses/QST-1/banks/qst-1-bank/questions/new"
    data = _question(**{"options-0-text": "甲", "options-0-correct": "y",
                        "options-1-text": "乙", "options-1-correct": "y",
                        "options-2-text": "丙"})
    html = auth.post(page, data).get_data(as_text=True)
    assert "A single-choice question needs exactly one correct option (2 marked)." in html
    options = html[html.index('id="options"'):html.index("</fieldset>", html.index('id="options"'))]
    assert "exactly one correct option" in options  # shown with the options
    html = auth.post(page, _question(**{"type": "multiple", "options-0-text": "甲",
                                        "options-0-correct": "y", "options-1-text": "乙"})
                     ).get_data(as_text=True)
    assert "at least two correct options (1 marked)" in html
    html = auth.post(page, _question(type="numeric", answer_num="abc")).get_data(as_text=True)
    assert 'id="answer_num"' in html and "Enter a number." in html
    html = auth.post(page, _question(type="short_text", key="Bad Id")).get_data(as_text=True)
    assert "Enter at least one accepted answer." in html or "lower-case" in html
    db.session.refresh(course)
    assert course.draft is None  # nothing was saved


@pytest.mark.parametrize("kind, extra, check", [
    ("single", {"options-0-text": "对", "options-0-correct": "y", "options-1-text": "错"},
     lambda q: [o.get("correct", False) for o in q["options"]] == [True, False]),
    ("multiple", {"options-0-text": "甲", "options-0-correct": "y", "options-1-text": "乙",
                  "options-1-correct": "y", "options-3-text": "丙"},
     lambda q: [o["text"] for o in q["options"]] == ["甲", "乙", "丙"]),
    ("true_false", {"answer_tf": "false"}, lambda q: q["answer"] is False),
    ("numeric", {"answer_num": "128.5", "tolerance": "0.5", "unit": "元"},
     lambda q: (q["answer"], q["tolerance"], q["unit"]) == (128.5, 0.5, "元")),
    ("short_text", {"accept": "集中器\n 采集终端 \n"},
     lambda q: q["accept"] == ["集中器", "采集终端"]),
])
def test_every_question_type_can_be_written_previewed_and_published(client, make, db, auth,
                                                                    login_as, kind, extra,
                                                                    check):
    trainer = login_as("trainer")
    course = _owned_course(make, db, trainer, "QST-2")
    page = "/author/courses/QST-2/banks/qst-2-bank/questions/new"
    data = _question(type=kind, key="q9", text="**新题**", **extra)
    preview = auth.post(page, {**data, "go": "preview"}).get_data(as_text=True)
    assert 'id="question-preview"' in preview and "<strong>新题</strong>" in preview
    db.session.refresh(course)
    assert course.draft is None  # previewing saves nothing
    resp = auth.post(page, {**data, "go": "save"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    db.session.refresh(course)
    stored = course.draft["banks"][0]["questions"][-1]
    assert stored["id"] == "q9" and stored["type"] == kind and check(stored)
    # The editor shows it again as the learner will see it.
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'id="question-preview"' in html
    auth.post("/author/courses/QST-2/publish", form_page="/author/courses/QST-2")
    from lms.assessment.models import Question

    question = db.session.scalar(select(Question).where(Question.key == "q9"))
    assert question is not None and question.type == kind and question.active


def test_question_edit_delete_and_reorder(client, make, db, auth, login_as):
    trainer = login_as("trainer")
    course = _owned_course(make, db, trainer, "QST-3")
    bank = "/author/courses/QST-3/banks/qst-3-bank"
    html = client.get(f"{bank}/questions/q1").get_data(as_text=True)
    assert 'value="单选题"' in html or "单选题</textarea>" in html
    auth.post(f"{bank}/questions/q2/move", {"direction": "up"}, form_page=bank)
    auth.post(f"{bank}/questions/q5/delete", form_page=bank)
    db.session.refresh(course)
    assert [q["id"] for q in course.draft["banks"][0]["questions"]] == ["q2", "q1", "q3", "q4"]


def test_quiz_settings_editor(client, make, db, auth, login_as):
    trainer = login_as("trainer", locale="en")
    course = _owned_course(make, db, trainer, "QZ-1")
    page = "/author/courses/QZ-1/quizzes/final"
    html = client.get(page).get_data(as_text=True)
    assert "qz-1-bank" in html
    data = {"quiz_id": "final", "title_zh": "结业测验", "title_en": "Final quiz",
            "draw-0-bank": "qz-1-bank", "draw-0-count": "9", "draw-0-tag": "",
            "pass_mark": "90", "max_attempts": "2", "time_limit_min": "15",
            "review": "score", "required": "y"}
    html = auth.post(page, data).get_data(as_text=True)
    assert "Asks for 9 questions but the bank has 5." in html
    assert 'name="draw-0-count" type="text" value="9"' in html or "is-invalid" in html
    html = auth.post(page, {**data, "draw-0-count": "4", "pass_mark": "120"}
                     ).get_data(as_text=True)
    assert "Must be at most 100" in html
    resp = auth.post(page, {**data, "draw-0-count": "4"})
    assert resp.status_code == 302
    auth.post("/author/courses/QZ-1/publish", form_page="/author/courses/QZ-1")
    quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    db.session.refresh(quiz)
    assert (quiz.pass_mark, quiz.max_attempts, quiz.time_limit_min, quiz.review) == \
        (90, 2, 15, "score")
    assert quiz.draw == [{"bank": "qz-1-bank", "count": 4}]


# --- import and export -----------------------------------------------------------------------

def test_zip_import_shows_the_report_then_applies(app, client, make, db, auth, login_as,
                                                  tmp_path):
    trainer = login_as("trainer", locale="en")
    folder = write_package(tmp_path / "src", "ZIP-1")
    html = auth.post("/author/import", {"file": (io.BytesIO(_zip(folder)), "zip-1.zip")}
                     ).get_data(as_text=True)
    assert "New course ZIP-1" in html and "Lesson 01-lesson added" in html
    assert db.session.scalar(select(Course).where(Course.code == "ZIP-1")) is None
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
    resp = auth.post("/author/import/confirm", {"token": token}, form_page="/author/import")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/author/courses/ZIP-1")
    course = db.session.scalar(select(Course).where(Course.code == "ZIP-1"))
    assert course.status == "published" and editor_role(trainer, course) == "owner"
    # Confirming twice does nothing more.
    resp = auth.post("/author/import/confirm", {"token": token}, form_page="/author/import")
    assert resp.headers["Location"].endswith("/author/import")
    # An update lists the changes; the report is computed without changing anything.
    (folder / "lessons" / "02-lesson.md").write_text("## 改写", encoding="utf-8")
    manifest = yaml.safe_load((folder / "course.yaml").read_text(encoding="utf-8"))
    manifest["version"] = 2
    (folder / "course.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True),
                                        encoding="utf-8")
    html = auth.post("/author/import", {"file": (io.BytesIO(_zip(folder)), "zip-1.zip")}
                     ).get_data(as_text=True)
    assert "will be updated (version 1 → 2)" in html and "Lesson 02-lesson changed" in html
    db.session.expire_all()
    assert course.version == 1
    assert "改写" not in _lessons(db, course)[1].body_md


def test_bad_package_lists_every_error_and_imports_nothing(client, make, db, auth, login_as,
                                                           tmp_path):
    login_as("trainer", locale="en")
    folder = write_package(tmp_path / "src", "ZIP-2")
    (folder / "lessons" / "03-lesson.md").unlink()
    bank = yaml.safe_load((folder / "quiz" / "bank.yaml").read_text(encoding="utf-8"))
    bank["questions"][0]["options"][1]["correct"] = True
    (folder / "quiz" / "bank.yaml").write_text(yaml.safe_dump(bank, allow_unicode=True),
                                               encoding="utf-8")
    html = auth.post("/author/import", {"file": (io.BytesIO(_zip(folder)), "zip-2.zip")}
                     ).get_data(as_text=True)
    errors = html[html.index('id="import-errors"'):]
    assert "Nothing was changed" in errors
    assert "zip-2/lessons/03-lesson.md" in errors and "File not found." in errors
    assert "zip-2/quiz/bank.yaml" in errors and "questions.0" in errors
    assert "exactly one correct option (2 marked)" in errors
    assert 'name="token"' not in html
    assert db.session.scalar(select(func.count(Course.id))) == 0


def test_nothing_is_half_imported(app, make, db, tmp_path):
    """A package that fails while being applied leaves no trace (one transaction)."""
    from lms.catalog.package import PackageError
    from lms.studio import package_zip

    make.course("ZIP-3")  # owns the bank id zip-3-bank
    folder = write_package(tmp_path / "src", "ZIP-4")
    bank = yaml.safe_load((folder / "quiz" / "bank.yaml").read_text(encoding="utf-8"))
    bank["id"] = "zip-3-bank"
    (folder / "quiz" / "bank.yaml").write_text(yaml.safe_dump(bank, allow_unicode=True),
                                               encoding="utf-8")
    manifest = yaml.safe_load((folder / "course.yaml").read_text(encoding="utf-8"))
    manifest["quizzes"][0]["draw"][0]["bank"] = "zip-3-bank"
    (folder / "course.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True),
                                        encoding="utf-8")
    report = package_zip.inspect(_zip(folder), "zip-4.zip", None)
    assert any("belongs to another course" in p.reason for p in report.problems)
    with pytest.raises(PackageError):
        package_zip.apply(_zip(folder), "zip-4.zip", None)
    assert db.session.scalar(select(Course).where(Course.code == "ZIP-4")) is None
    assert db.session.scalar(select(func.count(Lesson.id))) == 3  # only ZIP-3's


def test_zip_slip_links_and_bombs_are_refused(app, client, make, db, auth, login_as, tmp_path):
    login_as("trainer", locale="en")
    folder = write_package(tmp_path / "src", "ZIP-5")
    evil = _zip(folder, {"../../evil.txt": b"pwned", "/etc/cron.d/x": b"x"})
    html = auth.post("/author/import", {"file": (io.BytesIO(evil), "evil.zip")}
                     ).get_data(as_text=True)
    assert "Points outside the package." in html and "Has an absolute" in html
    assert not (tmp_path / "evil.txt").exists()
    # A symbolic link inside the zip.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        link = zipfile.ZipInfo("zip-5/lessons/01-lesson.md")
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "/etc/passwd")
    html = auth.post("/author/import", {"file": (io.BytesIO(buf.getvalue()), "l.zip")}
                     ).get_data(as_text=True)
    assert "symbolic link" in html
    # Not a zip at all.
    html = auth.post("/author/import", {"file": (io.BytesIO(b"hello"), "x.zip")}
                     ).get_data(as_text=True)
    assert "Is not a zip file." in html
    assert db.session.scalar(select(func.count(Course.id))) == 0


def test_zip_import_needs_edit_rights_on_an_existing_course(client, make, db, auth, login_as,
                                                            tmp_path):
    make.course("ZIP-6")
    login_as("trainer", locale="en")
    folder = write_package(tmp_path / "src", "ZIP-6", title_zh="别人的课")
    html = auth.post("/author/import", {"file": (io.BytesIO(_zip(folder)), "zip-6.zip")}
                     ).get_data(as_text=True)
    assert "only its owners and editors may change it" in html
    assert 'name="token"' not in html


def test_export_round_trip(client, make, db, auth, login_as, tmp_path):
    from lms.catalog.package import load_package
    from lms.studio import package_zip

    trainer = login_as("trainer")
    course = _owned_course(make, db, trainer, "EXP-1")
    resp = client.get("/author/courses/EXP-1/export.zip")
    assert resp.status_code == 200 and resp.mimetype == "application/zip"
    assert "exp-1-v1.zip" in resp.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(resp.data)) as zf:
        assert "exp-1/course.yaml" in zf.namelist()
    root = package_zip.extract(resp.data, tmp_path / "out")
    package = load_package(root)
    assert package.content_hash == course.content_hash  # the same course, byte for byte
    assert [lf.body for lf in package.lessons[0]] == [le.body_md for le in _lessons(db, course)]
    report = package_zip.inspect(resp.data, "exp-1.zip", trainer)
    assert report.ok and report.action == "unchanged"


# --- assignment --------------------------------------------------------------------------

def test_assign_to_people_unit_and_role_with_notifications(client, make, db, auth, login_as):
    trainer = login_as("trainer", locale="en")
    course = _owned_course(make, db, trainer, "ASG-1", quiz=False)
    company = make.unit()
    team = make.unit("branch", parent=company)
    other = make.unit()
    role = make.job_role()
    a, b = make.user(), make.user()
    in_team = make.user(org_unit=team)
    outside = make.user(org_unit=other)
    with_role = make.user(job_role=role)
    page = "/author/courses/ASG-1/assign"
    due = (date.today() + timedelta(days=30)).isoformat()
    html = auth.post(page, {"target": "people", "employee_nos": f"{a.employee_no}, NOPE"}
                     ).get_data(as_text=True)
    assert "NOPE" in html and db.session.scalar(select(func.count(Enrollment.id))) == 0
    resp = auth.post(page, {"target": "people",
                            "employee_nos": f"{a.employee_no}\n{b.employee_no}", "due": due})
    assert resp.status_code == 302
    resp = auth.post(page, {"target": "unit", "unit": str(company.id), "with_subunits": "y",
                            "due": due})
    assert resp.status_code == 302
    resp = auth.post(page, {"target": "role", "job_role": str(role.id), "due": due})
    assert resp.status_code == 302
    enrolled = {e.user_id: e for e in db.session.scalars(select(Enrollment).where(
        Enrollment.course_id == course.id))}
    assert set(enrolled) == {a.id, b.id, in_team.id, with_role.id}
    assert outside.id not in enrolled
    assert all(e.source == "assigned" and e.due_date.isoformat() == due
               for e in enrolled.values())
    notes = db.session.scalars(select(Notification).where(Notification.kind == "assignment"))
    assert {n.user_id for n in notes} == set(enrolled)
    past = (date.today() - timedelta(days=1)).isoformat()
    html = auth.post(page, {"target": "people", "employee_nos": a.employee_no, "due": past}
                     ).get_data(as_text=True)
    assert "The due date is in the past." in html


def test_a_rule_reaches_people_who_join_later(app, client, make, db, auth, login_as, runner):
    trainer = login_as("trainer")
    course = _owned_course(make, db, trainer, "RUL-1", quiz=False)
    company = make.unit()
    branch = make.unit("branch", parent=company)
    team = make.unit("division", parent=branch)
    elsewhere = make.unit()
    already = make.user(org_unit=branch)
    page = "/author/courses/RUL-1/assign"
    resp = auth.post(page, {"target": "unit", "unit": str(branch.id), "with_subunits": "y",
                            "as_rule": "y", "due_days": "14"})
    assert resp.status_code == 302
    rule = db.session.scalar(select(AssignmentRule))
    assert rule.org_unit_id == branch.id and rule.due_days == 14
    assert learning.get_enrollment(already.id, course.id).source == "rule"
    # Someone hired into a sub-unit later gets the course, due 14 days on, and a notice.
    newcomer = make.user(org_unit=team)
    enrollment = learning.get_enrollment(newcomer.id, course.id)
    assert enrollment is not None and enrollment.source == "rule"
    assert enrollment.due_date == date.today() + timedelta(days=14)
    assert db.session.scalar(select(Notification).where(Notification.user_id == newcomer.id))
    # Someone moving in from elsewhere too; someone staying elsewhere does not.
    mover, stayer = make.user(org_unit=elsewhere), make.user(org_unit=elsewhere)
    admin = make.user(roles={"admin"})
    accounts.update_user(mover, actor=admin, name=mover.name, email=mover.email,
                         employee_no=mover.employee_no, roles=set(), org_unit=team,
                         job_role=None, active=True)
    assert learning.get_enrollment(mover.id, course.id) is not None
    assert learning.get_enrollment(stayer.id, course.id) is None
    # A job-role rule reaches whoever takes the role.
    role = make.job_role()
    auth.post(page, {"target": "role", "job_role": str(role.id), "as_rule": "y"})
    accounts.assign_job_role(stayer, role)
    db.session.commit()
    assert learning.get_enrollment(stayer.id, course.id).source == "rule"
    # The rules are listed; removing one stops it for newcomers.
    html = client.get(page).get_data(as_text=True)
    assert loc_name(branch) in html
    auth.post(f"/author/courses/RUL-1/rules/{rule.public_id}/delete", form_page=page)
    late = make.user(org_unit=team)
    assert learning.get_enrollment(late.id, course.id) is None


def loc_name(unit) -> str:
    return unit.name_zh


def test_apply_assignment_rules_command_catches_up(make, db, runner):
    owner = make.user(roles={"trainer"})
    course = _owned_course(make, db, owner, "RUL-2", quiz=False)
    unit = make.unit()
    from lms.studio import assignment_rules

    assignment_rules.create_rule(course, owner, unit=unit, due_days=7)
    # People placed in the unit behind the services' back (e.g. a bulk SQL fix).
    person = make.user()
    person.org_unit = unit
    db.session.commit()
    assert learning.get_enrollment(person.id, course.id) is None
    result = runner.invoke(args=["lms", "apply-assignment-rules"])
    assert result.exit_code == 0 and "Assigned 1 course(s) by rule." in result.output
    assert learning.get_enrollment(person.id, course.id).source == "rule"
    result = runner.invoke(args=["lms", "apply-assignment-rules"])
    assert "Assigned 0 course(s)" in result.output
