"""User-written text comes out inert on every page that shows it, and in exports."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

from sqlalchemy import select

from lms.assessment import quizzes
from lms.assessment.models import Quiz
from lms.catalog.models import Lesson
from lms.rotation import plans as rotation
from tests.factories import import_package, write_package

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class _Live(HTMLParser):
    """Collects markup that would run: event-handler attributes, inline scripts,
    javascript: URLs. (Our own scripts are all <script src=…>.)"""

    def __init__(self):
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names:
            self.bad.append("inline <script>")
        for name, value in attrs:
            if name.startswith("on"):
                self.bad.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                    "javascript:"):
                self.bad.append(f"<{tag} {name}=javascript:…>")


def assert_inert(html: str, where: str) -> None:
    parser = _Live()
    parser.feed(html)
    assert not parser.bad, f"{where}: live markup from user text: {parser.bad[:3]}"


def test_payloads_are_inert_everywhere(app, client, make, login_as, auth, db, tmp_path):
    folder = write_package(tmp_path, "XSS-9", title_zh=f"课程{PAYLOAD}",
                           summary_zh=f"简介{PAYLOAD}", questions=[
                               {"id": "q1", "type": "single", "text": f"题干{PAYLOAD}",
                                "options": [{"text": f"甲{PAYLOAD}", "correct": True},
                                            {"text": "乙"}],
                                "explanation": f"解析{PAYLOAD}"}])
    (folder / "lessons" / "01-lesson.md").write_text(f"## 课\n\n{PAYLOAD}\n\n"
                                                     "[x](javascript:alert(1))\n",
                                                     encoding="utf-8")
    course = import_package(folder)
    unit = make.unit(name_zh=f"单位{PAYLOAD}")
    role = make.job_role(name_zh=f"岗位{PAYLOAD}")
    victim = make.user(name=f"张三{PAYLOAD}", org_unit=unit, job_role=role)
    hr = make.user(roles={"hr", "admin", "trainer", "manager"}, org_unit=unit,
                   name=f"人事{PAYLOAD}")
    plan, _ = rotation.plan(user=victim, to_role=make.job_role(name_zh=f"目标{PAYLOAD}"),
                            start=date.today() + timedelta(days=30), mentor=None,
                            notes=f"备注{PAYLOAD}", actor=hr)
    quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    attempt = quizzes.start_or_resume(hr, quiz)
    lesson = db.session.scalar(select(Lesson).where(Lesson.course_id == course.id))
    auth.login(hr.employee_no)
    pages = ["/learn/", "/learn/catalog", f"/learn/courses/{course.code}",
             f"/learn/courses/{course.code}/lessons/{lesson.slug}",
             f"/learn/quizzes/{quiz.public_id}", f"/learn/attempts/{attempt.public_id}",
             "/hr/people", "/hr/compliance", "/hr/rotations", f"/hr/rotations/{plan.public_id}",
             "/hr/skills", "/team/", "/team/rotations", "/admin/users",
             f"/admin/users/{victim.public_id}", "/admin/org-units", "/admin/job-roles",
             "/admin/audit", "/author/", "/account"]
    for path in pages:
        resp = client.get(path)
        assert resp.status_code == 200, path
        assert_inert(resp.get_data(as_text=True), path)
    quizzes.submit(hr, attempt, {})
    html = client.get(f"/learn/attempts/{attempt.public_id}/result").get_data(as_text=True)
    assert_inert(html, "quiz review")
    html = client.get(f"/author/quizzes/{quiz.public_id}/stats").get_data(as_text=True)
    assert_inert(html, "quiz stats")


def test_chart_data_is_json_not_markup(client, make, login_as, db):
    unit = make.unit(name_zh="</script><script>alert(1)</script>")
    make.user(org_unit=unit)
    login_as("hr")
    html = client.get("/hr/compliance").get_data(as_text=True)
    canvas = re.search(r"<canvas id=\"coverage\"[^>]*>", html, re.S).group(0)
    assert "<script>" not in canvas and "&lt;" in canvas or "\\u003c" in canvas


def test_exports_neutralise_formulas(client, make, login_as, db):
    from lms.certification import rules as certs

    course = make.course("XSS-10", quiz=False)
    hr = make.user(roles={"hr"})
    cert = certs.save_certification(None, code="C-FX", name_zh="=HYPERLINK(\"http://x\")",
                                    name_en="x", description_zh="", description_en="",
                                    validity_months=None, recert_window_days=30,
                                    requirements=[("course", course.code, None)], actor=hr)
    person = make.user(name="=cmd|'/C calc'!A0")
    certs.issue_manually(person, cert, hr, "x")
    login_as("hr")
    body = client.get("/hr/compliance/export.csv").get_data(as_text=True)
    assert "'=cmd" in body and "'=HYPERLINK" in body
    assert "\n=cmd" not in body and ",=cmd" not in body
