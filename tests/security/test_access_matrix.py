"""Walk the whole URL map: every endpoint × every role × GET and POST gets the expected answer.

The expectations are written out here, independently of lms/permissions.py, so a change
of rules shows up as a failing test, and a new endpoint must be added here to pass.
"""

from __future__ import annotations

import pytest

ANON, LEARNER = "anonymous", "learner"
ROLES = (ANON, LEARNER, "trainer", "manager", "hr", "admin")
PUBLIC = "public"
API_TOKEN = "api-token"  # /api/v1: a bearer token decides (tests/api)
ANY_USER = {LEARNER, "trainer", "manager", "hr", "admin"}

EXPECTED: dict[str, str | set[str]] = {
    "static": PUBLIC,
    "auth.login": PUBLIC,
    "auth.activate": PUBLIC,
    "auth.set_locale": PUBLIC,
    "main.health": PUBLIC,
    "main.index": ANY_USER,
    "auth.logout": ANY_USER,
    "auth.account": ANY_USER,
    "learn.home": ANY_USER,
    "learn.catalog": ANY_USER,
    "learn.course": ANY_USER,
    "learn.enroll": ANY_USER,
    "learn.lesson": ANY_USER,
    "learn.complete": ANY_USER,
    "learn.quiz": ANY_USER,
    "learn.quiz_start": ANY_USER,
    "learn.attempt": ANY_USER,
    "learn.attempt_save": ANY_USER,
    "learn.attempt_submit": ANY_USER,
    "learn.attempt_result": ANY_USER,
    "learn.notifications": ANY_USER,
    "learn.certificate": ANY_USER,  # the holder's own (others get 404)
    "main.verify": PUBLIC,
    "main.badge_issuer": PUBLIC,
    "main.badge_class": PUBLIC,
    "main.badge_assertion": PUBLIC,
    "hr.certifications": {"hr", "admin"},
    "hr.certification_new": {"hr", "admin"},
    "hr.certification_edit": {"hr", "admin"},
    "hr.certification": {"hr", "admin"},
    "hr.award_revoke": {"hr", "admin"},
    "hr.award_lift_hold": {"hr", "admin"},
    "hr.award": {"hr", "admin"},
    "learn.certifications": ANY_USER,
    "author.attempt_grants": {"trainer", "hr", "admin"},
    "hr.certification_retire": {"hr", "admin"},
    "manage.award": {"manager"},
    "manage.award_certificate": {"manager"},
    "hr.award_certificate": {"hr", "admin"},
    "hr.dashboard": {"hr", "admin"},
    "hr.compliance_export": {"hr", "admin"},
    "hr.person": {"hr", "admin"},
    "hr.roster_upload": {"hr", "admin"},
    "hr.roster_apply": {"hr", "admin"},
    "hr.activation_codes": {"hr", "admin"},
    "learn.next_role": ANY_USER,
    "hr.rotations": {"hr", "admin"},
    "hr.rotation_new": {"hr", "admin"},
    "hr.rotation": {"hr", "admin"},
    "hr.skills": {"hr", "admin"},
    "hr.role_path": {"hr", "admin"},
    "manage.rotations": {"manager"},
    "manage.rotation_new": {"manager"},
    "manage.rotation": {"manager"},
    "manage.skills": {"manager"},
    "manage.compliance": {"manager"},
    "manage.person": {"manager"},
    "manage.assign": {"manager"},
    "manage.remind": {"manager"},
    "manage.training_file": {"manager"},
    "manage.training_file_export": {"manager"},
    "manage.training_hours": {"manager"},
    "manage.training_hours_export": {"manager"},
    "hr.training_file": {"hr", "admin"},
    "hr.training_file_export": {"hr", "admin"},
    "hr.training_hours": {"hr", "admin"},
    "hr.training_hours_targets": {"hr", "admin"},
    "hr.training_hours_export": {"hr", "admin"},
    "learn.my_training_file": ANY_USER,
    "learn.my_classes": ANY_USER,
    "learn.class_enrol": ANY_USER,
    "learn.class_check_in": ANY_USER,
    "hr.classes_index": {"hr", "admin", "trainer"},
    "hr.class_detail": {"hr", "admin", "trainer"},
    "hr.class_session_add": {"hr", "admin", "trainer"},
    "hr.class_nominate": {"hr", "admin", "trainer"},
    "hr.class_attendance": {"hr", "admin", "trainer"},
    "learn.my_training_file_export": ANY_USER,
    "author.learners_page": {"trainer", "admin"},
    "author.learners_export": {"trainer", "admin"},
    "author.learners_remind": {"trainer", "admin"},
    "author.index": {"trainer", "admin"},
    "author.quiz_stats": {"trainer", "admin"},
    # Trainer studio (a trainer only for courses they own or edit; the matrix makes the
    # signed-in trainer an editor of the course it uses).
    "author.course_new": {"trainer", "admin"},
    "author.course": {"trainer", "admin"},
    "author.course_settings": {"trainer", "admin"},
    "author.publish": {"trainer", "admin"},
    "author.discard": {"trainer", "admin"},
    "author.archive": {"trainer", "admin"},
    "author.restore": {"trainer", "admin"},
    "author.module_add": {"trainer", "admin"},
    "author.module_edit": {"trainer", "admin"},
    "author.module_move": {"trainer", "admin"},
    "author.module_delete": {"trainer", "admin"},
    "author.lesson_new": {"trainer", "admin"},
    "author.lesson_edit": {"trainer", "admin"},
    "author.lesson_move": {"trainer", "admin"},
    "author.lesson_delete": {"trainer", "admin"},
    "author.preview": {"trainer", "admin"},
    "author.files": {"trainer", "admin"},
    "author.file": ANY_USER,  # uploaded lesson images: learners see them too
    "author.bank_new": {"trainer", "admin"},
    "author.bank_edit": {"trainer", "admin"},
    "author.bank_delete": {"trainer", "admin"},
    "author.bank_import_page": {"trainer", "admin"},
    "author.bank_import_confirm": {"trainer", "admin"},
    "author.bank_export": {"trainer", "admin"},
    "author.bank_template": {"trainer", "admin"},
    "author.question_new": {"trainer", "admin"},
    "author.question_edit": {"trainer", "admin"},
    "author.question_move": {"trainer", "admin"},
    "author.question_delete": {"trainer", "admin"},
    "author.quiz_new": {"trainer", "admin"},
    "author.quiz_edit": {"trainer", "admin"},
    "author.quiz_delete": {"trainer", "admin"},
    "author.export": {"trainer", "admin"},
    "author.import_package": {"trainer", "admin"},
    "author.import_confirm": {"trainer", "admin"},
    "author.assign": {"trainer", "admin"},
    "author.rule_delete": {"trainer", "admin"},
    "author.editors": {"trainer", "admin"},
    "author.editor_remove": {"trainer", "admin"},
    "author.history": {"trainer", "admin"},
    "learn.practice_index": ANY_USER,
    "learn.practice_scenario": ANY_USER,
    "learn.practice_assessment": ANY_USER,
    "learn.practice_run": ANY_USER,  # the learner's own (others get 404)
    "learn.practice_step": ANY_USER,
    "learn.practice_replay": ANY_USER,
    "learn.practice_history": ANY_USER,
    "author.practice_scenarios": {"trainer", "admin"},
    "author.practice_stats": {"trainer", "admin"},
    "author.practice_variant": {"trainer", "admin"},
    "author.practice_variant_edit": {"trainer", "admin"},
    "author.practice_toggle": {"trainer", "admin"},
    "manage.team": {"manager", "hr", "admin"},
    "hr.people": {"hr", "admin"},
    "admin.users": {"admin"},
    "admin.user_new": {"admin"},
    "admin.user_edit": {"admin"},
    "admin.user_reset_password": {"admin"},
    "admin.user_activation_code": {"admin"},
    "admin.org_units": {"admin"},
    "admin.org_unit_edit": {"admin"},
    "admin.job_roles": {"admin"},
    "admin.job_role_edit": {"admin"},
    "admin.audit_log": {"admin"},
    "admin.api_tokens_page": {"admin"},
    "admin.jobs": {"admin"},
    "admin.job_retry": {"admin"},
    "main.job": ANY_USER,  # the starter's own (others get 404)
    "main.job_progress": ANY_USER,
    "admin.api_token_revoke": {"admin"},
    # The integration API authenticates by bearer token, never by the session: without a
    # token every role, signed in or not, gets 401 JSON. Its OpenAPI document is public.
    "api.openapi": PUBLIC,
    "api.list_users": API_TOKEN,
    "api.create_user": API_TOKEN,
    "api.get_user": API_TOKEN,
    "api.update_user": API_TOKEN,
    "api.deactivate_user": API_TOKEN,
    "api.list_org_units": API_TOKEN,
    "api.list_job_roles": API_TOKEN,
    "api.list_courses": API_TOKEN,
    "api.get_course": API_TOKEN,
    "api.list_enrollments": API_TOKEN,
    "api.assign_course": API_TOKEN,
    "api.list_awards": API_TOKEN,
    "api.verify_award": API_TOKEN,
    "api.list_rotation_plans": API_TOKEN,
    "api.get_rotation_plan": API_TOKEN,
    "api.list_statements": API_TOKEN,
    "api.export_statements": API_TOKEN,
    "api.not_found": API_TOKEN,
}


def test_every_endpoint_has_an_expectation(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(EXPECTED), (
        f"unlisted: {endpoints - set(EXPECTED)}, stale: {set(EXPECTED) - endpoints}")


def _public_id(endpoint: str, objects) -> str:
    if endpoint.startswith("learn.attempt"):
        return objects["attempt"].public_id if "attempt" in objects else "someone-elses"
    if endpoint in ("hr.rotation", "manage.rotation"):
        return objects["plan"].public_id
    if endpoint.startswith("learn.practice_"):
        return objects["run"].public_id
    if endpoint.startswith(("learn.quiz", "author.quiz")):
        return objects["quiz"].public_id
    if endpoint.startswith(("main.job", "admin.job")):
        return objects["job"].public_id
    if endpoint.startswith(("hr.class", "learn.class")):
        return objects["class"].public_id
    return objects["user"].public_id


# Endpoints whose `code` is not a course code.
CODE_OF = {"hr.certification": "cert", "hr.certification_edit": "cert",
           "hr.certification_retire": "cert",
           "main.badge_class": "cert", "main.verify": "award", "main.badge_assertion": "award",
           "learn.certificate": "award", "hr.role_path": "role"}


def _url_args(rule, objects) -> dict:
    if rule.endpoint.startswith("api."):  # refused before anything is looked up
        return {name: "x1" for name in rule.arguments}
    args = {}
    for name in rule.arguments:
        if name == "code" and rule.endpoint in CODE_OF:
            kind = CODE_OF[rule.endpoint]
            args[name] = {"cert": lambda: objects["cert"].code,
                          "role": lambda: objects["job_role"].code,
                          "award": lambda: objects["award"].verification_code}[kind]()
            continue
        if name == "scenario":
            args[name] = objects["scenario"].code
            continue
        if name in ("index", "bank", "qkey", "quiz", "name"):  # trainer studio
            args[name] = objects["studio"][name]
            continue
        if name == "verification_code":
            args[name] = objects["award"].verification_code
            continue
        if name == "fmt":
            args[name] = "gift" if rule.endpoint == "author.bank_export" else "csv"
            continue
        args[name] = {"public_id": _public_id(rule.endpoint, objects),
                      "unit_id": objects["unit"].id,
                      "role_id": objects["job_role"].id, "code": objects["course"].code,
                      "slug": objects["lesson"].slug,
                      "filename": "css/app.css", "token_id": 1,
                      "session_id": objects["class"].sessions[0].public_id}[name]
    return args


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(app, client, make, auth, role, monkeypatch):
    unit = make.unit()
    if role != ANON:
        user = make.user(roles=set() if role == LEARNER else {role}, org_unit=unit)
        assert auth.login(user.employee_no).status_code == 302
    course = make.course()
    from sqlalchemy import select

    from lms.assessment import quizzes
    from lms.assessment.models import Quiz
    from lms.catalog.models import Lesson
    from lms.extensions import db

    objects = {"user": make.user(org_unit=unit), "unit": unit, "job_role": make.job_role(),
               "course": course, "lesson": db.session.scalar(
                   select(Lesson).where(Lesson.course_id == course.id))}
    quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    from lms.certification import rules as certs

    hr = make.user(roles={"hr"})
    objects["cert"] = certs.save_certification(
        None, code="C-MATRIX", name_zh="认证", name_en="Cert", description_zh="",
        description_en="", validity_months=12, recert_window_days=30,
        requirements=[("course", course.code, None)], actor=hr)
    holder = user if role != ANON else objects["user"]
    objects["award"] = certs.issue_manually(holder, objects["cert"], hr, "matrix test")
    from datetime import date, timedelta

    from lms.rotation import plans as rotation

    objects["plan"], _courses = rotation.plan(
        user=objects["user"], to_role=objects["job_role"], mentor=None, notes="",
        start=date.today() + timedelta(days=30), actor=hr)
    objects["quiz"] = quiz
    from lms.jobs.models import Job

    objects["job"] = Job(kind="retention_purge", status="failed",
                         started_by_id=user.id if role != ANON else None)
    db.session.add(objects["job"])
    db.session.commit()
    if role != ANON:
        objects["attempt"] = quizzes.start_or_resume(user, quiz)
    from lms.practice.runs import run_whole_day
    from lms.practice.scenarios import import_builtins, scenario_by_code

    import_builtins()
    objects["scenario"] = scenario_by_code("quiet-weekday-hall")
    objects["run"] = run_whole_day(user if role != ANON else objects["user"],
                                   objects["scenario"], {})
    import io

    from PIL import Image

    from lms.studio import uploads
    from lms.studio.editors import grant

    if role == "trainer":
        grant(course, user, "editor")  # trainers change only courses they edit
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(make.tmp_path / "uploads"))
    png = io.BytesIO()
    Image.new("RGB", (2, 2)).save(png, "PNG")
    png.seek(0)
    from datetime import UTC, datetime

    from lms.records import classes as classroom

    admin = make.user(roles={"admin"})
    objects["class"] = classroom.create_class(
        code="ACL-K", title_zh="培训班", title_en="", course_code="", capacity=5,
        description="", actor=admin)
    classroom.add_session(objects["class"], starts_at=datetime.now(UTC), minutes=60,
                          place="A", trainer="", actor=admin)
    objects["studio"] = {"index": 0, "bank": f"{course.code.lower()}-bank", "qkey": "q1",
                         "quiz": "final", "name": uploads.store(png, "a.png", None, course).name}
    from flask import url_for

    checked = 0
    for rule in app.url_map.iter_rules():
        with app.test_request_context():
            url = url_for(rule.endpoint, **_url_args(rule, objects))
        expected = EXPECTED[rule.endpoint]
        allowed = expected == PUBLIC or (expected != API_TOKEN and role in expected)
        for method in sorted(rule.methods & {"GET", "POST"}):
            resp = client.open(url, method=method)  # POSTs carry no CSRF token on purpose
            status = resp.status_code
            where = f"{role} {method} {url} -> {status}"
            assert status < 500, where
            if expected == API_TOKEN:
                assert status == 401 and resp.json["error"]["code"] == "unauthorized", where
            elif allowed:
                assert status != 403, where
                if method == "POST":
                    assert status == 400, where  # refused for the missing CSRF token
                elif status == 302:
                    location = resp.headers["Location"]
                    assert expected == PUBLIC or "/login" not in location, where
                else:
                    assert status == 200, where
                    if "text/html" in resp.content_type:
                        from tests.forms import fields_given_twice

                        twice = fields_given_twice(resp.get_data(as_text=True))
                        assert not twice, f"{where}: a form renders {twice} twice"
            elif role == ANON:
                assert status == 302 and "/login" in resp.headers["Location"], where
            else:
                assert status == 403, where
            checked += 1
    assert checked >= len(EXPECTED)


def test_forbidden_page_is_friendly(client, login_as):
    login_as(LEARNER)
    resp = client.get("/admin/users")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 403 and "无权访问" in html and "Traceback" not in html


def test_unknown_page_is_a_friendly_404(client):
    resp = client.get("/no/such/page")
    assert resp.status_code == 404 and "页面不存在" in resp.get_data(as_text=True)


def test_json_clients_get_json_errors(client):
    resp = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert resp.status_code == 404 and resp.json["status"] == 404
