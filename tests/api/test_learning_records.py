"""Enrolments (list, assign idempotently), the catalogue, awards (filter, verify, Open Badges
hosted verification) and rotation plans through the API."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from lms.catalog import learning
from lms.catalog.learning_models import Enrollment
from lms.certification import rules as certs
from lms.certification.models import Award
from lms.notifications.models import Notification


def _people(make, n=3):
    return [make.user(employee_no=f"E50{i}") for i in range(n)]


def test_assign_is_idempotent_with_an_external_id(api, db, make):
    course = make.course("AS-1")
    _people(make)
    due = (date.today() + timedelta(days=30)).isoformat()
    body = {"external_id": "hr-plan-2026-07", "course": "AS-1",
            "employee_nos": ["E500", "E501"], "due_date": due}

    first = api.post("/api/v1/enrollments", json=body)
    assert first.status_code == 201
    assert (first.json["added"], first.json["updated"]) == (2, 0)
    assert [e["employee_no"] for e in first.json["enrollments"]] == ["E500", "E501"]
    assert {(e["status"], e["source"], e["due_date"]) for e in first.json["enrollments"]} == {
        ("not_started", "assigned", due)}

    # A retry (lost answer, network glitch): the same answer, no second notification.
    notes = db.session.scalar(select(func.count(Notification.id)))
    replay = api.post("/api/v1/enrollments", json=body)
    assert replay.status_code == 201 and replay.json == first.json
    assert db.session.scalar(select(func.count(Notification.id))) == notes
    assert db.session.scalar(select(func.count(Enrollment.id))) == 2

    # The same id for something else is refused.
    clash = api.post("/api/v1/enrollments", json=body | {"employee_nos": ["E502"]})
    assert clash.status_code == 409 and clash.json["error"]["field"] == "external_id"
    assert db.session.scalar(select(func.count(Enrollment.id))) == 2

    # Without an external id, assigning again updates (200) and adds nobody.
    plain = api.post("/api/v1/enrollments", json={"course": "AS-1", "employee_nos": ["E500"]})
    assert plain.status_code == 200 and (plain.json["added"], plain.json["updated"]) == (0, 1)
    assert course.code == "AS-1"


def test_assign_names_the_bad_field(api, db, make):
    make.course("AS-2")
    make.course("AS-DRAFT", status="draft")
    _people(make, 1)
    cases = [
        ({"course": "AS-2", "employee_nos": ["E500", "NOPE"]}, 422, "employee_nos.1"),
        ({"course": "AS-2", "employee_nos": []}, 422, "employee_nos"),
        ({"course": "AS-2", "employee_nos": ["E500"], "due_date": "2001-01-01"}, 422,
         "due_date"),
        ({"course": "AS-2", "employee_nos": ["E500"], "due_date": "31/12/2030"}, 422,
         "due_date"),
        ({"course": "NOPE", "employee_nos": ["E500"]}, 422, "course"),
        ({"course": "AS-DRAFT", "employee_nos": ["E500"]}, 422, "course"),
        ({"employee_nos": ["E500"]}, 422, "course"),
    ]
    for body, status, field in cases:
        resp = api.post("/api/v1/enrollments", json=body)
        assert resp.status_code == status, (body, resp.json)
        assert resp.json["error"]["field"] == field, (body, resp.json)
    assert db.session.scalar(select(func.count(Enrollment.id))) == 0
    # A failed request with an external id does not use the id up.
    body = {"external_id": "x-1", "course": "AS-2", "employee_nos": ["E500"],
            "due_date": "2001-01-01"}
    assert api.post("/api/v1/enrollments", json=body).status_code == 422
    assert api.post("/api/v1/enrollments", json=body | {"due_date": None}).status_code == 201


def test_enrollment_list_and_status_filter(api, db, make):
    from lms.catalog.models import Lesson

    course = make.course("EN-1", lessons=2)
    a, b, c = _people(make)
    past = date.today() - timedelta(days=1)
    for user in (a, b, c):
        db.session.add(Enrollment(user_id=user.id, course_id=course.id, source="assigned",
                                  due_date=past if user is c else None))
    db.session.commit()
    lessons = db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)).all()
    learning.complete_lesson(b, course, lessons[0])

    rows = api.get("/api/v1/enrollments?course=EN-1").json["items"]
    assert {r["employee_no"]: r["status"] for r in rows} == {
        "E500": "not_started", "E501": "in_progress", "E502": "overdue"}
    for status, who in (("not_started", ["E500"]), ("in_progress", ["E501"]),
                        ("overdue", ["E502"]), ("completed", [])):
        got = api.get(f"/api/v1/enrollments?status={status}").json["items"]
        assert [r["employee_no"] for r in got] == who, status
    assert api.get("/api/v1/enrollments?employee_no=E501").json["total"] == 1
    bad = api.get("/api/v1/enrollments?status=lost")
    assert bad.status_code == 422 and bad.json["error"]["field"] == "status"


def test_course_catalogue(api, make):
    make.course("CA-1", lessons=2)
    make.course("CA-2", status="draft")
    listed = api.get("/api/v1/courses").json
    assert [c["code"] for c in listed["items"]] == ["CA-1"]
    assert [c["code"] for c in api.get("/api/v1/courses?status=draft").json["items"]] == \
        ["CA-2"]
    one = api.get("/api/v1/courses/CA-1").json
    assert one["title_zh"] == "测试课程" and len(one["modules"][0]["lessons"]) == 2
    assert one["quizzes"][0]["key"] == "final" and one["quizzes"][0]["pass_mark"] == 80
    assert api.get("/api/v1/courses/NOPE").status_code == 404


# --- awards ---------------------------------------------------------------------------------

def _awards(db, make):
    course = make.course("AW-1", lessons=1)
    hr = make.user(roles={"hr"})
    cert = certs.save_certification(
        None, code="AW-CERT", name_zh="计量认证", name_en="Metering", description_zh="",
        description_en="", validity_months=12, recert_window_days=30,
        requirements=[("course", course.code, None)], actor=hr)
    people = _people(make, 4)
    awards = [certs.issue_manually(p, cert, hr, "imported from paper records") for p in people]
    now = datetime.now(UTC)
    awards[1].expires_at = now + timedelta(days=10)   # expiring (inside the 30-day window)
    awards[2].expires_at = now - timedelta(days=1)    # expired
    db.session.commit()
    certs.revoke(awards[3], hr, "cheating")
    return cert, awards, hr


def test_awards_filter_by_state_and_expiry(api, db, make):
    _cert, awards, _hr = _awards(db, make)
    codes = {a.user.employee_no: a.verification_code for a in awards}
    by_state = {state: sorted(a["employee_no"] for a in api.get(
        f"/api/v1/awards?state={state}").json["items"])
        for state in ("valid", "expiring", "expired", "revoked", "superseded")}
    assert by_state == {"valid": ["E500"], "expiring": ["E501"], "expired": ["E502"],
                        "revoked": ["E503"], "superseded": []}
    soon = (date.today() + timedelta(days=20)).isoformat()
    assert sorted(a["employee_no"] for a in api.get(
        f"/api/v1/awards?expires_before={soon}").json["items"]) == ["E501", "E502"]
    assert sorted(a["employee_no"] for a in api.get(
        f"/api/v1/awards?expires_after={soon}").json["items"]) == ["E500", "E503"]
    item = api.get("/api/v1/awards?employee_no=E501").json["items"][0]
    assert item["code"] == codes["E501"] and item["certification"] == "AW-CERT"
    assert item["state"] == "expiring" and item["valid"] is True
    bad = api.get("/api/v1/awards?expires_before=soon")
    assert bad.status_code == 422 and bad.json["error"]["field"] == "expires_before"


def test_verify_by_code_and_the_open_badges_chain(api, app, client, db, make):
    _cert, awards, _hr = _awards(db, make)
    base = app.config["BASE_URL"].rstrip("/")
    code = awards[0].verification_code
    award = api.get(f"/api/v1/awards/{code}").json
    assert award["valid"] is True and award["state"] == "valid" and award["name"]
    assert award["assertion_url"] == f"{base}/badges/assertions/{code}.json"
    assert award["verify_url"] == f"{base}/verify/{code}"
    revoked = api.get(f"/api/v1/awards/{awards[3].verification_code}").json
    assert revoked["valid"] is False and revoked["state"] == "revoked"
    missing = api.get("/api/v1/awards/not-a-code")
    assert missing.status_code == 404 and missing.json["error"]["field"] == "code"

    # Hosted verification, as a verifier does it (no token, no session): fetch the assertion
    # from its id, follow it to the badge class and on to the issuer.
    def fetch(url):
        assert url.startswith(base)
        resp = client.get(url.removeprefix(base))
        assert resp.status_code == 200, url
        return resp.json

    assertion = fetch(award["assertion_url"])
    assert assertion["@context"] == "https://w3id.org/openbadges/v2"
    assert assertion["type"] == "Assertion" and assertion["id"] == award["assertion_url"]
    assert assertion["verification"] == {"type": "hosted"}
    assert "revoked" not in assertion
    recipient = assertion["recipient"]
    email = awards[0].user.email
    assert recipient["identity"] == "sha256$" + hashlib.sha256(
        (email + recipient["salt"]).encode()).hexdigest()
    badge = fetch(assertion["badge"])
    assert badge["type"] == "BadgeClass" and badge["id"] == award["badge_class_url"]
    assert "AW-1" in badge["criteria"]["narrative"]
    issuer = fetch(badge["issuer"])
    assert issuer["type"] == "Issuer" and issuer["id"] == award["issuer_url"]
    assert issuer["id"] == badge["issuer"] and issuer["url"] == base and issuer["name"]

    # A revoked award's hosted assertion says so, with 410 Gone (Open Badges 2.0).
    gone = client.get(revoked["assertion_url"].removeprefix(base))
    assert gone.status_code == 410 and gone.json["revoked"] is True


def test_rotation_plans(api, db, make):
    from lms.rotation import plans as rotation

    hr = make.user(roles={"hr"})
    clerk, dispatcher = make.job_role(code="clerk"), make.job_role(code="dispatcher")
    person = make.user(employee_no="E600", job_role=clerk)
    mentor = make.user(employee_no="E601")
    plan, _courses = rotation.plan(user=person, to_role=dispatcher, mentor=mentor,
                                   notes="夏季轮岗", start=date.today() + timedelta(days=14),
                                   actor=hr)
    listed = api.get("/api/v1/rotation-plans").json
    assert listed["total"] == 1
    item = listed["items"][0]
    assert (item["employee_no"], item["from_role"], item["to_role"], item["mentor"],
            item["status"]) == ("E600", "clerk", "dispatcher", "E601", "active")
    assert api.get(f"/api/v1/rotation-plans/{plan.public_id}").json == item
    assert api.get("/api/v1/rotation-plans?status=moved").json["total"] == 0
    assert api.get("/api/v1/rotation-plans?to_role=dispatcher").json["total"] == 1
    assert api.get("/api/v1/rotation-plans/nope").status_code == 404
    assert db.session.scalar(select(func.count(Award.id))) == 0
