"""Expiry notices (60, 30, 7 days, on expiry; each once; digests to managers and HR), Open
Badges 410 for revoked assertions with a salt per recipient, and xAPI voiding on revoke."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from lms.certification import rules as certs
from lms.certification.models import Award, AwardEvent
from lms.integration import xapi
from lms.integration.models import XapiStatement
from lms.notifications.models import Notification
from tests.web.test_cert_holds import revoke_through_page
from tests.web.test_certification import _cert, _finish_course


def _expire_in(db, award, days):
    db.session.execute(update(Award).where(Award.id == award.id).values(
        expires_at=certs.now() + timedelta(days=days)))
    db.session.commit()


def _titles(db, user, kind):
    return list(db.session.scalars(select(Notification.title).where(
        Notification.user_id == user.id, Notification.kind == kind)
        .order_by(Notification.id)))


def test_expiry_notices_go_once_at_60_30_7_days_and_on_expiry(client, make, auth, db):
    company = make.unit("company")
    course = make.course("EXP-1")
    hr = make.user(roles={"hr"}, name="人资")
    cert = _cert(make, course, months=12, window=1, hr=hr)
    manager = make.user(roles={"manager"}, org_unit=company, name="班长")
    people = [make.user(org_unit=company, name=f"持证{i}") for i in range(4)]
    awards = [certs.issue_manually(p, cert, hr, "认定") for p in people]
    for award, days in zip(awards, (50, 20, 5, -1), strict=True):
        _expire_in(db, award, days)
    first = certs.sweep()
    assert first.notices == 4 and first.digests == 2
    assert "还有50天" in _titles(db, people[0], "recertification")[0]
    assert "还有20天" in _titles(db, people[1], "recertification")[0]
    assert "还有5天" in _titles(db, people[2], "recertification")[-1]
    assert "已于" in _titles(db, people[3], "recertification")[0]
    assert [len(_titles(db, p, "recertification")) for p in people] == [1, 1, 1, 1]
    digest = db.session.scalar(select(Notification).where(
        Notification.user_id == manager.id, Notification.kind == "expiry_digest"))
    assert all(p.name in digest.body for p in people)
    assert _titles(db, hr, "expiry_digest")
    # Idempotent: the same day again sends nothing; 25 days on, the next notice follows.
    again = certs.sweep()
    assert again.notices == 0 and again.digests == 0
    later = certs.sweep(certs.now() + timedelta(days=25))
    assert ("notice_30" in set(db.session.scalars(select(AwardEvent.action).where(
        AwardEvent.award_id == awards[0].id)))) and later.notices >= 1
    assert db.session.scalar(select(func.count(AwardEvent.id)).where(
        AwardEvent.award_id == awards[0].id, AwardEvent.action == "notice_60")) == 1
    # The person reads it in their inbox, the date in Beijing time.
    auth.login(people[2].employee_no)
    inbox = client.get("/learn/notifications").get_data(as_text=True)
    assert cert.name_zh in inbox and "还有5天" in inbox


def test_revoked_assertion_answers_410_and_salts_differ(client, make, login_as, db):
    course = make.course("EXP-2")
    a_person, b_person = make.user(), make.user()
    hr = login_as("hr")
    cert = _cert(make, course, hr=hr)
    a = certs.issue_manually(a_person, cert, hr, "认定")
    b = certs.issue_manually(b_person, cert, hr, "认定")
    ja = client.get(f"/badges/assertions/{a.verification_code}.json")
    jb = client.get(f"/badges/assertions/{b.verification_code}.json")
    assert ja.status_code == 200 and jb.status_code == 200
    assert ja.json["recipient"]["salt"] != jb.json["recipient"]["salt"]
    assert ja.json["recipient"]["salt"] == a.badge_salt
    revoke_through_page(client, cert, a, "违规")
    gone = client.get(f"/badges/assertions/{a.verification_code}.json")
    assert gone.status_code == 410 and gone.json["revoked"] is True
    assert gone.json["revocationReason"]
    assert client.get(f"/badges/classes/{cert.code}.json").status_code == 200


def test_revoking_voids_the_earned_statement(client, make, login_as, db):
    course = make.course("EXP-3")
    person = make.user()
    hr = login_as("hr")
    cert = _cert(make, course, hr=hr)
    _finish_course(db, person, course)
    award = certs.current_award(person.id, cert.code)
    earned = db.session.scalar(select(XapiStatement).where(
        XapiStatement.user_id == person.id, XapiStatement.verb == xapi.VERBS["earned"]))
    assert earned is not None
    revoke_through_page(client, cert, award, "违规")
    voided = db.session.scalar(select(XapiStatement).where(
        XapiStatement.user_id == person.id, XapiStatement.verb == xapi.VERBS["voided"]))
    assert voided is not None and voided.object == {"objectType": "StatementRef",
                                                    "id": earned.statement_id}
