"""Revocation holds: a revoked certificate stays revoked until HR lifts the hold, and then
only new evidence counts. Driven through HR's pages as a browser would."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from lms.assessment import quizzes
from lms.assessment.models import Attempt, Question, Quiz
from lms.certification import rules as certs
from lms.certification.models import Award, AwardEvent
from lms.core.audit import AuditEvent
from lms.notifications.models import Notification
from tests.forms import form_fields
from tests.web.test_certification import _cert, _finish_course, _right_answer


def pass_quiz(db, user, course):
    quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    attempt = quizzes.start_or_resume(user, quiz)
    answers = {i: _right_answer(db.session.get(Question, entry["q"]))
               for i, entry in enumerate(attempt.layout)}
    return quizzes.submit(user, attempt, answers)


def revoke_through_page(client, cert, award, reason):
    html = client.get(f"/hr/certifications/{cert.code}").get_data(as_text=True)
    action = f"/hr/awards/{award.verification_code}/revoke"
    data = form_fields(html, action)
    data["reason"] = reason
    return client.post(action, data=data, follow_redirects=True)


def notes(db, user, kind):
    return list(db.session.scalars(select(Notification.title).where(
        Notification.user_id == user.id, Notification.kind == kind)))


def test_revoked_award_stays_revoked_until_hold_lifted(client, make, login_as, db):
    company = make.unit("company")
    team = make.unit("branch", company)
    course = make.course("HLD-1", quiz_settings={"max_attempts": 0})
    person = make.user(org_unit=team, name="赵持证")
    manager = make.user(roles={"manager"}, org_unit=team, name="班长")
    other_hr = make.user(roles={"hr"}, name="人资甲")
    hr = login_as("hr")
    cert = _cert(make, course, hr=hr)
    _finish_course(db, person, course)
    award = certs.current_award(person.id, cert.code)
    assert award is not None
    db.session.execute(update(Attempt).where(Attempt.user_id == person.id).values(
        submitted_at=certs.now() - timedelta(days=3)))
    db.session.commit()

    page = revoke_through_page(client, cert, award, "违规操作：代客签字")
    assert page.status_code == 200 and "已撤销" in page.get_data(as_text=True)
    db.session.refresh(award)
    assert award.status == "revoked"
    assert any("违规操作" in t for t in notes(db, person, "award_revoked"))
    assert any("赵持证" in t for t in notes(db, manager, "award_revoked"))
    assert any("赵持证" in t for t in notes(db, other_hr, "award_revoked"))

    # The old evidence (and even a new pass) issues nothing while the hold stands.
    assert certs.check_and_issue(person.id) == []
    pass_quiz(db, person, course)
    assert certs.current_award(person.id, cert.code) is None

    # HR sees the hold on the person's page and lifts it, with a reason.
    html = client.get(f"/hr/people/{person.public_id}").get_data(as_text=True)
    assert 'id="holds"' in html and "违规操作" in html
    action = f"/hr/awards/{award.verification_code}/lift-hold"
    data = form_fields(html, action)
    data["reason"] = ""
    page = client.post(action, data=data, follow_redirects=True).get_data(as_text=True)
    assert "请填写解除暂停的理由" in page
    data["reason"] = "复训合格，恢复资格"
    page = client.post(action, data=data, follow_redirects=True).get_data(as_text=True)
    assert "已解除暂停" in page
    # The pass taken after the revocation counts: awarded again at once.
    again = certs.current_award(person.id, cert.code)
    assert again is not None and again.id != award.id
    assert again.evidence["evidence_since"]
    assert 'id="holds"' not in client.get(f"/hr/people/{person.public_id}").get_data(
        as_text=True)
    assert notes(db, person, "award_reinstated") and notes(db, manager, "award_reinstated")
    lifted = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "award_hold_lifted"))
    assert lifted.details["reason"] == "复训合格，恢复资格" and lifted.ip
    assert lifted.actor_id == hr.id
    assert "hold_lifted" in set(db.session.scalars(select(AwardEvent.action).where(
        AwardEvent.award_id == award.id)))


def test_after_lifting_only_evidence_after_the_revocation_counts(client, make, login_as, db):
    course = make.course("HLD-2", quiz_settings={"max_attempts": 0})
    person = make.user()
    hr = login_as("hr")
    cert = _cert(make, course, hr=hr)
    _finish_course(db, person, course)
    award = certs.current_award(person.id, cert.code)
    db.session.execute(update(Attempt).where(Attempt.user_id == person.id).values(
        submitted_at=certs.now() - timedelta(days=3)))
    db.session.commit()
    revoke_through_page(client, cert, award, "资料造假")
    html = client.get(f"/hr/people/{person.public_id}").get_data(as_text=True)
    action = f"/hr/awards/{award.verification_code}/lift-hold"
    data = {**form_fields(html, action), "reason": "申诉成立"}
    client.post(action, data=data, follow_redirects=True)
    # Only the pre-revocation pass exists: nothing is issued.
    assert certs.current_award(person.id, cert.code) is None
    pass_quiz(db, person, course)  # a new pass, after the revocation
    assert certs.current_award(person.id, cert.code) is not None


def test_manual_issue_is_refused_while_on_hold(client, make, login_as, auth, db):
    course = make.course("HLD-3")
    person = make.user(employee_no="E7001")
    hr = login_as("hr")
    cert = _cert(make, course, hr=hr)
    award = certs.issue_manually(person, cert, hr, "外部考试")
    revoke_through_page(client, cert, award, "违规")
    html = client.get(f"/hr/certifications/{cert.code}").get_data(as_text=True)
    data = {**form_fields(html, f"/hr/certifications/{cert.code}"),
            "employee_no": "E7001", "reason": "再次认定"}
    resp = client.post(f"/hr/certifications/{cert.code}", data=data)
    assert resp.status_code == 422 and "解除暂停" in resp.get_data(as_text=True)
    assert db.session.scalar(select(Award).where(Award.user_id == person.id,
                                                 Award.status == "active")) is None
