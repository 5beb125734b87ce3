"""Trainers and HR grant extra attempts or a fresh start on a quiz or practice assessment,
with a reason — audited, the person told — through the grants page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.assessment import quizzes
from lms.assessment.models import Quiz
from lms.core.audit import AuditEvent
from lms.core.errors import ServiceError
from lms.notifications.models import Notification
from lms.practice.runs import run_whole_day
from tests.forms import form_fields
from tests.web.test_certification import _finish_course
from tests.web.test_practice import HALL, _scenario

PAGE = "/author/attempts"


def _grant(client, **values):
    data = {**form_fields(client.get(PAGE).get_data(as_text=True), PAGE), **values}
    return client.post(PAGE, data=data, follow_redirects=True)


def test_trainer_grants_an_extra_quiz_attempt(client, make, login_as, db):
    course = make.course("GRT-1", quiz_settings={"max_attempts": 1})
    learner = make.user(employee_no="E9101", name="补考人")
    _finish_course(db, learner, course, right=False)
    quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    with pytest.raises(ServiceError):
        quizzes.start_or_resume(learner, quiz)
    login_as("trainer", name="培训师")
    bad = _grant(client, employee_no="E9101", kind="quiz", ref="GRT-1/nope",
                 action="extra", extra="1", reason="系统故障")
    assert bad.status_code == 422 and "GRT-1/nope" in bad.get_data(as_text=True)
    page = _grant(client, employee_no="E9101", kind="quiz", ref="grt-1/final",
                  action="extra", extra="1", reason="考试时系统故障")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "补考人" in html.split('id="grants"')[1]
    attempt = quizzes.start_or_resume(learner, quiz)  # the granted attempt
    assert attempt.number == 2
    assert db.session.scalar(select(Notification.title).where(
        Notification.user_id == learner.id, Notification.kind == "attempts"))
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempts_granted"))
    assert audit.details["reason"] == "考试时系统故障" and audit.ip


def test_hr_resets_practice_assessment_attempts(client, make, login_as, db):
    scenario = _scenario(db, HALL)
    learner = make.user(employee_no="E9102")
    for _i in range(3):  # the default limit
        run_whole_day(learner, scenario, {}, mode="assessment")
    with pytest.raises(ServiceError):
        run_whole_day(learner, scenario, {}, mode="assessment")
    hr = login_as("hr")
    person_page = client.get(f"/hr/people/{learner.public_id}").get_data(as_text=True)
    assert f"{PAGE}?employee_no=E9102" in person_page
    page = _grant(client, employee_no="E9102", kind="scenario", ref=HALL, action="reset",
                  reason="岗位调整后重新考核")
    assert page.status_code == 200
    run = run_whole_day(learner, scenario, {}, mode="assessment")
    assert run.attempt_no == 4  # numbering continues; the allowance started afresh
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "attempts_reset"))
    assert audit.actor_id == hr.id and audit.details["reason"] == "岗位调整后重新考核"


def test_learners_cannot_grant(client, login_as):
    login_as("learner")
    assert client.get(PAGE).status_code == 403
