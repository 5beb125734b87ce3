"""Skill certifications: definition, automatic and manual issue, expiry and renewal,
revocation, public verification and HR's compliance views."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from lms.assessment import quizzes
from lms.assessment.models import Question, Quiz
from lms.catalog import learning
from lms.catalog.learning_models import Enrollment
from lms.catalog.models import Lesson
from lms.certification import rules as certs
from lms.certification.models import Award, AwardEvent
from lms.core.errors import ServiceError
from lms.notifications.models import Notification
from lms.people.models import RoleRequirement


def _right_answer(q):
    if q.type == "single":
        return next(o["id"] for o in q.options if o["correct"])
    if q.type == "multiple":
        return [o["id"] for o in q.options if o["correct"]]
    if q.type == "true_false":
        return "true" if q.answer["value"] else "false"
    if q.type == "numeric":
        return str(q.answer["value"])
    return q.answer["accept"][0]


def _finish_course(db, user, course, right=True):
    for lesson in db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)):
        learning.complete_lesson(user, course, lesson)
    quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    attempt = quizzes.start_or_resume(user, quiz)
    answers = {i: _right_answer(db.session.get(Question, entry["q"]))
               for i, entry in enumerate(attempt.layout)} if right else {}
    return quizzes.submit(user, attempt, answers)


def _cert(make, course, code="C-HALL", months=24, window=60, hr=None):
    return certs.save_certification(
        None, code=code, name_zh="营业厅岗位认证", name_en="Hall certification",
        description_zh="", description_en="", validity_months=months,
        recert_window_days=window, requirements=[("course", course.code, None),
                                                 ("quiz", f"{course.code}/final", 80)],
        actor=hr or make.user(roles={"hr"}))


def test_award_is_issued_the_moment_requirements_are_met(make, db):
    course = make.course("CRT-1")
    cert = _cert(make, course)
    user = make.user()
    _finish_course(db, user, course)
    awards = db.session.scalars(select(Award).where(Award.user_id == user.id)).all()
    assert len(awards) == 1 and awards[0].certification_id == cert.id
    award = awards[0]
    kinds = [r["kind"] for r in award.evidence["requirements"]]
    assert kinds == ["course", "quiz"] and award.evidence["requirements"][1]["score"] == 100
    assert award.expires_at is not None
    assert db.session.scalar(select(Notification).where(Notification.user_id == user.id,
                                                        Notification.kind == "award"))
    # Idempotent: evaluating again issues nothing more.
    assert certs.check_and_issue(user.id) == []
    assert db.session.scalar(select(func.count(Award.id))) == 1


def test_failing_the_quiz_issues_nothing(make, db):
    course = make.course("CRT-2")
    _cert(make, course)
    user = make.user()
    _finish_course(db, user, course, right=False)
    assert db.session.scalar(select(func.count(Award.id))) == 0
    checks = certs.evaluate(user.id, certs.certification_by_code("C-HALL"))
    assert [c.met for c in checks] == [False, False]
    assert "0 < 80" in checks[1].detail


def test_one_active_award_is_enforced_by_the_database(make, db):
    from sqlalchemy.exc import IntegrityError

    course = make.course("CRT-3")
    cert = _cert(make, course)
    user = make.user()
    db.session.add_all([Award(user_id=user.id, certification_id=cert.id),
                        Award(user_id=user.id, certification_id=cert.id)])
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_manual_issue_and_revoke_need_reasons_and_are_audited(client, make, login_as, auth,
                                                                db):
    course = make.course("CRT-4")
    hr = login_as("hr")
    cert = _cert(make, course, hr=hr)
    person = make.user(employee_no="E5001", name="王小明")
    resp = auth.post(f"/hr/certifications/{cert.code}", {"employee_no": "E5001", "reason": ""})
    assert resp.status_code == 422
    resp = auth.post(f"/hr/certifications/{cert.code}", {"employee_no": "E9999",
                                                         "reason": "转岗认定"})
    assert resp.status_code == 422 and "没有人使用这个工号" in resp.get_data(as_text=True)
    resp = auth.post(f"/hr/certifications/{cert.code}", {"employee_no": "E5001",
                                                         "reason": "外部考试合格，人工认定"})
    assert resp.status_code == 302
    award = db.session.scalar(select(Award).where(Award.user_id == person.id))
    assert award.source == "manual" and award.evidence["manual"] is True
    page = client.get(f"/verify/{award.verification_code}").get_data(as_text=True)
    assert "有效" in page and "王小明" in page
    resp = auth.post(f"/hr/awards/{award.verification_code}/revoke", {"reason": "违规操作"},
                     form_page=f"/hr/certifications/{cert.code}")
    assert resp.status_code == 302
    db.session.refresh(award)
    assert award.status == "revoked" and award.revoke_reason == "违规操作"
    actions = set(db.session.scalars(select(AwardEvent.action).where(
        AwardEvent.award_id == award.id)))
    assert actions == {"issued", "revoked"}
    from lms.core.audit import AuditEvent

    audited = set(db.session.scalars(select(AuditEvent.action)))
    assert {"certification_defined", "award_issued", "award_revoked"} <= audited


def test_verify_page_shows_only_holder_certification_dates_and_status(client, make, db):
    course = make.course("CRT-5")
    cert = _cert(make, course)
    person = make.user(employee_no="E5002", name="李四", email="lisi@example.com")
    award = certs.issue_manually(person, cert, make.user(roles={"hr"}), "认定")
    html = client.get(f"/verify/{award.verification_code}").get_data(as_text=True)
    assert "李四" in html and "营业厅岗位认证" in html
    assert "E5002" not in html and "lisi@example.com" not in html
    assert client.get("/verify/not-a-real-code").status_code == 404
    db.session.execute(update(Award).where(Award.id == award.id).values(
        expires_at=certs.now() - timedelta(days=1)))
    db.session.commit()
    assert "已过期" in client.get(f"/verify/{award.verification_code}").get_data(as_text=True)


def test_sweep_reminds_assigns_and_records_expiry_once(make, db):
    course = make.course("CRT-6")
    cert = _cert(make, course, months=12, window=30)
    hr = make.user(roles={"hr"})
    soon, gone = make.user(), make.user()
    a1 = certs.issue_manually(soon, cert, hr, "x")
    a2 = certs.issue_manually(gone, cert, hr, "x")
    db.session.execute(update(Award).where(Award.id == a1.id).values(
        expires_at=certs.now() + timedelta(days=10)))
    db.session.execute(update(Award).where(Award.id == a2.id).values(
        expires_at=certs.now() - timedelta(days=1)))
    db.session.commit()
    first = certs.sweep()
    assert (first.reminded, first.expired, first.assigned) == (1, 1, 1)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == soon.id))
    assert enrollment.source == "rule" and enrollment.due_date is not None
    again = certs.sweep()
    assert (again.reminded, again.expired) == (0, 0)
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == soon.id, Notification.kind == "recertification")) == 1


def test_recertification_needs_fresh_evidence_and_supersedes(make, db):
    course = make.course("CRT-7", quiz_settings={"max_attempts": 0})
    cert = _cert(make, course, months=12, window=30)
    user = make.user()
    _finish_course(db, user, course)
    old = db.session.scalar(select(Award).where(Award.user_id == user.id))
    # Move into the window: old evidence no longer counts, a fresh pass renews.
    from lms.assessment.models import Attempt

    db.session.execute(update(Award).where(Award.id == old.id).values(
        expires_at=certs.now() + timedelta(days=5)))
    db.session.execute(update(Attempt).where(Attempt.user_id == user.id).values(
        submitted_at=certs.now() - timedelta(days=330)))  # the original pass, a year ago
    db.session.commit()
    assert certs.check_and_issue(user.id) == []
    quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    _finish_quiz_again = quizzes.start_or_resume(user, quiz)
    answers = {i: _right_answer(db.session.get(Question, entry["q"]))
               for i, entry in enumerate(_finish_quiz_again.layout)}
    quizzes.submit(user, _finish_quiz_again, answers)
    db.session.refresh(old)
    assert old.status == "superseded"
    current = certs.current_award(user.id, cert.code)
    assert current is not None and current.id != old.id


def test_definition_errors_name_the_field(client, login_as, auth, make):
    login_as("hr")
    make.course("CRT-8")
    base = {"code": "C-X", "name_zh": "甲", "name_en": "A", "recert_window_days": "30",
            "validity_months": "12"}
    resp = auth.post("/hr/certifications/new", {**base, "requirements-0-kind": "course",
                                                "requirements-0-ref": "NOPE-1"})
    assert resp.status_code == 422 and "不存在" in resp.get_data(as_text=True)
    resp = auth.post("/hr/certifications/new", {**base, "requirements-0-kind": "course"})
    assert resp.status_code == 422
    resp = auth.post("/hr/certifications/new", base)
    assert resp.status_code == 422 and "至少添加一项要求" in resp.get_data(as_text=True)
    resp = auth.post("/hr/certifications/new", {**base, "requirements-0-kind": "course",
                                                "requirements-0-ref": "crt-8"})
    assert resp.status_code == 200 and 'id="preview"' in resp.get_data(as_text=True)
    from tests.forms import form_fields

    resp = client.post("/hr/certifications/new", data=form_fields(resp.get_data(as_text=True),
                                                                  "/hr/certifications/new"))
    assert resp.status_code == 302


def test_compliance_dashboard_filters_and_gaps(client, make, login_as, db):
    course = make.course("CRT-9")
    cert = _cert(make, course, months=12, window=30)
    company = make.unit("company")
    branch_a, branch_b = make.unit("branch", company), make.unit("branch", company)
    clerk = make.job_role(code="clerk_x", name_zh="柜员X")
    db.session.add(RoleRequirement(job_role_id=clerk.id, kind="certification", ref=cert.code))
    db.session.commit()
    hr = make.user(roles={"hr"})
    holder = make.user(org_unit=branch_a, job_role=clerk, name="持证人")
    lacking = make.user(org_unit=branch_b, job_role=clerk, name="缺证人")
    award = certs.issue_manually(holder, cert, hr, "x")
    db.session.execute(update(Award).where(Award.id == award.id).values(
        expires_at=certs.now() + timedelta(days=20)))
    db.session.commit()
    login_as("hr")
    html = client.get("/hr/compliance?days=30").get_data(as_text=True)
    assert 'id="count-expiring">1<' in html
    assert "持证人" in html.split('id="expiring"')[1].split("</table>")[0]
    assert "缺证人" in html.split('id="gaps"')[1].split("</table>")[0]
    html = client.get(f"/hr/compliance?unit={branch_a.id}").get_data(as_text=True)
    assert "缺证人" not in html and "cell-expiring" in html
    assert lacking.name not in html


def test_manager_sees_only_own_team(client, make, login_as, db):
    company = make.unit("company")
    mine, other = make.unit("branch", company), make.unit("branch", company)
    member = make.user(org_unit=mine, name="本班组员")
    stranger = make.user(org_unit=other, name="外班组员")
    login_as("manager", org_unit=mine)
    html = client.get(f"/team/compliance?unit={other.id}").get_data(as_text=True)
    assert "本班组员" in html and "外班组员" not in html
    assert client.get(f"/team/people/{member.public_id}").status_code == 200
    assert client.get(f"/team/people/{stranger.public_id}").status_code == 404


def test_self_requirement_and_unknown_refs_are_refused(make, db):
    hr = make.user(roles={"hr"})
    with pytest.raises(ServiceError) as e:
        certs.save_certification(None, code="SELF", name_zh="x", name_en="x",
                                 description_zh="", description_en="", validity_months=None,
                                 recert_window_days=30,
                                 requirements=[("certification", "SELF", None)], actor=hr)
    assert e.value.field == "requirements-0-ref"


def test_renewal_window_gives_a_fresh_quiz_allowance(make, db):
    from lms.assessment.models import Attempt

    course = make.course("CRT-11", quiz_settings={"max_attempts": 1})
    cert = _cert(make, course, months=12, window=30)
    user = make.user()
    _finish_course(db, user, course)  # the one allowed attempt, passed → award
    quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    with pytest.raises(ServiceError):
        quizzes.start_or_resume(user, quiz)  # all attempts used
    award = certs.current_award(user.id, cert.code)
    db.session.execute(update(Award).where(Award.id == award.id).values(
        expires_at=certs.now() + timedelta(days=10)))
    db.session.execute(update(Attempt).where(Attempt.user_id == user.id).values(
        started_at=certs.now() - timedelta(days=340),
        submitted_at=certs.now() - timedelta(days=340)))
    db.session.commit()
    fresh = quizzes.start_or_resume(user, quiz)  # inside the window: a new allowance
    assert fresh.number == 2


def test_a_rule_change_evaluates_everyone_in_a_job(client, login_as, auth, make, db, worker):
    """Someone who finished the course before the certification existed gets it once HR
    defines it: a worker evaluates everyone, and HR sees the progress and the result."""
    from lms.jobs.models import Job

    course = make.course("CRT-J")
    learner = make.user()
    _finish_course(db, learner, course)  # no certification yet: nothing to issue
    assert db.session.scalar(select(func.count(Award.id))) == 0
    login_as("hr")
    preview = auth.post("/hr/certifications/new", {
        "code": "C-J", "name_zh": "新认证", "name_en": "New", "recert_window_days": "30",
        "validity_months": "12", "requirements-0-kind": "course",
        "requirements-0-ref": "CRT-J"}, form_page="/hr/certifications/new")
    # HR sees who would be awarded, then confirms the form as it is rendered.
    assert preview.status_code == 200 and learner.name in preview.get_data(as_text=True)
    from tests.forms import form_fields

    resp = client.post("/hr/certifications/new",
                       data=form_fields(preview.get_data(as_text=True), "/hr/certifications/new"))
    assert resp.status_code == 302
    worker.drain()
    award = db.session.scalar(select(Award).where(Award.user_id == learner.id))
    assert award is not None and award.certification.code == "C-J"
    job = db.session.scalar(select(Job).where(Job.kind == "certification_evaluate"))
    assert job.status == "done" and job.result["issued"] == 1
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'id="evaluation"' in html
    fragment = client.get(f"/jobs/{job.public_id}/progress").get_data(as_text=True)
    assert "颁发 1 项认证" in fragment
