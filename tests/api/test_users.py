"""Roster sync from the HR system: create, update, deactivate — idempotent by employee number;
bad input answers 4xx JSON naming the field; lists are paginated."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.core.audit import AuditEvent
from lms.people.models import User

NEW = {"employee_no": "E3001", "name": "赵敏", "email": "zhao.min@example.com",
       "org_unit": "HALL", "job_role": "clerk"}


def _audit_count(db, action: str) -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == action))


def test_roster_sync_create_update_deactivate(api, db, make):
    hall = make.unit(code="HALL")
    make.unit(code="DISPATCH", kind="division", parent=hall)
    make.job_role(code="clerk")
    make.job_role(code="dispatcher")

    created = api.post("/api/v1/users", json=NEW)
    assert created.status_code == 201
    assert created.json | {"created_at": None} == {
        "employee_no": "E3001", "name": "赵敏", "email": "zhao.min@example.com",
        "active": True, "org_unit": "HALL", "job_role": "clerk", "roles": ["learner"],
        "locale": None, "created_at": None, "last_login_at": None}

    # The same record again: a create never overwrites anyone (409, nothing changes).
    updates_before = _audit_count(db, "user_updated")
    again = api.post("/api/v1/users", json=NEW | {"name": "别人"})
    assert again.status_code == 409 and again.json["error"]["field"] == "employee_no"
    assert "PATCH" in again.json["error"]["message"]
    assert api.get("/api/v1/users/E3001").json["name"] == "赵敏"
    assert db.session.scalar(select(func.count(User.id)).where(
        User.employee_no == "E3001")) == 1
    # The same data twice through PATCH changes nothing and logs nothing.
    assert api.patch("/api/v1/users/E3001", json={"name": "赵敏"}).status_code == 200
    assert _audit_count(db, "user_updated") == updates_before

    # The HR system moves her: an update by employee number.
    moved = api.patch("/api/v1/users/E3001", json={"org_unit": "DISPATCH",
                                                   "job_role": "dispatcher"})
    assert moved.status_code == 200 and moved.json["job_role"] == "dispatcher"
    changed = api.patch("/api/v1/users/E3001", json={"name": "赵敏敏", "locale": "en"})
    assert changed.status_code == 200
    assert (changed.json["name"], changed.json["locale"], changed.json["org_unit"]) == (
        "赵敏敏", "en", "DISPATCH")
    user = db.session.scalar(select(User).where(User.employee_no == "E3001"))
    assert [r.job_role.code for r in user_history(db, user)] == ["clerk", "dispatcher"]

    # Deactivation (idempotent) signs her out and keeps the records.
    token_before = user.session_token
    off = api.post("/api/v1/users/E3001/deactivate")
    assert off.status_code == 200 and off.json["active"] is False
    assert api.post("/api/v1/users/E3001/deactivate").json["active"] is False
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert not user.active and user.session_token != token_before
    assert _audit_count(db, "user_deactivated") == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user_deactivated"))
    assert event.details["via"] == "api" and event.actor is not None

    # Reactivated by a PATCH.
    assert api.patch("/api/v1/users/E3001", json={"active": True}).json["active"] is True
    assert api.get("/api/v1/users/E3001").json["active"] is True


def user_history(db, user):
    from lms.people.models import RoleAssignment

    return db.session.scalars(select(RoleAssignment).where(RoleAssignment.user_id == user.id)
                              .order_by(RoleAssignment.id)).all()


def test_new_accounts_have_no_usable_password_until_activated(api, db, make):
    make.unit(code="HALL")
    make.job_role(code="clerk")
    api.post("/api/v1/users", json=NEW)
    user = db.session.scalar(select(User).where(User.employee_no == "E3001"))
    assert user.password_hash and not user.check_password("")
    assert user.roles == {"learner"}


def test_bad_input_names_the_field(api, db, make):
    make.unit(code="HALL")
    make.job_role(code="clerk")
    cases = [
        ({**NEW, "email": "not-an-email"}, 422, "email"),
        ({**NEW, "employee_no": "E 3001"}, 422, "employee_no"),
        ({**NEW, "name": "  "}, 422, "name"),
        ({**NEW, "org_unit": "NOWHERE"}, 422, "org_unit"),
        ({**NEW, "job_role": "astronaut"}, 422, "job_role"),
        ({**NEW, "locale": "fr"}, 422, "locale"),
        ({**NEW, "emial": "typo@example.com"}, 422, "emial"),
        ({k: v for k, v in NEW.items() if k != "name"}, 422, "name"),
    ]
    for body, status, field in cases:
        resp = api.post("/api/v1/users", json=body)
        assert resp.status_code == status, (body, resp.json)
        error = resp.json["error"]
        assert error["field"] == field and error["code"] == "invalid", (body, error)
        assert error["message"]
    assert db.session.scalar(select(User).where(User.employee_no == "E3001")) is None

    not_json = api.post("/api/v1/users", data="employee_no=E1", content_type="text/plain")
    assert not_json.status_code == 400 and not_json.json["error"]["code"] == "invalid_json"
    broken = api.post("/api/v1/users", data="{", content_type="application/json")
    assert broken.status_code == 400
    deep = api.post("/api/v1/users", data="[" * 100_000 + "]" * 100_000,
                    content_type="application/json")
    assert deep.status_code == 400 and "nested too deeply" in deep.json["error"]["message"]

    # PATCH refuses fields it does not change and nulls for required ones.
    api.post("/api/v1/users", json=NEW)
    resp = api.patch("/api/v1/users/E3001", json={"employee_no": "E9"})
    assert resp.status_code == 422 and resp.json["error"]["field"] == "employee_no"
    resp = api.patch("/api/v1/users/E3001", json={"name": None})
    assert resp.status_code == 422 and resp.json["error"]["field"] == "name"
    missing = api.patch("/api/v1/users/NOBODY", json={"name": "x"})
    assert missing.status_code == 404 and missing.json["error"]["field"] == "employee_no"


def test_an_email_taken_by_someone_else_is_a_conflict(api, make):
    make.user(employee_no="E1", email="taken@example.com")
    resp = api.post("/api/v1/users", json={"employee_no": "E2", "name": "x",
                                           "email": "Taken@example.com"})
    assert resp.status_code == 409 and resp.json["error"] == {
        "code": "conflict", "field": "email", "message": resp.json["error"]["message"]}
    assert "e-mail" in resp.json["error"]["message"]  # English, whatever the site's locale
    api.post("/api/v1/users", json={"employee_no": "E2", "name": "x", "email": "x@example.com"})
    resp = api.patch("/api/v1/users/E2", json={"email": "taken@example.com"})
    assert resp.status_code == 409 and resp.json["error"]["field"] == "email"


def test_list_is_paginated_and_filtered(api, make):
    hall = make.unit(code="HALL")
    for i in range(7):
        make.user(employee_no=f"P{i:03d}", org_unit=hall if i % 2 else None)
    page1 = api.get("/api/v1/users?per_page=3").json
    # 7 people plus the token's administrator.
    assert (page1["total"], page1["page"], page1["per_page"], len(page1["items"])) == (
        8, 1, 3, 3)
    assert page1["next"] == "/api/v1/users?per_page=3&page=2"
    page3 = api.get("/api/v1/users?per_page=3&page=3").json
    assert len(page3["items"]) == 2 and page3["next"] is None
    seen = [u["employee_no"] for p in (1, 2, 3)
            for u in api.get(f"/api/v1/users?per_page=3&page={p}").json["items"]]
    assert len(set(seen)) == 8 and seen == sorted(seen)
    assert api.get("/api/v1/users?page=99").json["items"] == []

    in_hall = api.get("/api/v1/users?org_unit=HALL").json
    assert in_hall["total"] == 3 and {u["org_unit"] for u in in_hall["items"]} == {"HALL"}
    assert api.get("/api/v1/users?q=P00").json["total"] == 7
    assert api.get("/api/v1/users?active=false").json["total"] == 0
    assert api.get("/api/v1/users?org_unit=").json["total"] == 8  # blank = no filter

    for bad, field in (("per_page=101", "per_page"), ("page=0", "page"),
                       ("page=abc", "page"), ("active=maybe", "active")):
        resp = api.get(f"/api/v1/users?{bad}")
        assert resp.status_code == 422 and resp.json["error"]["field"] == field, bad


def test_org_units_and_job_roles(api, make):
    company = make.unit(code="CO")
    make.unit(code="BR1", kind="branch", parent=company)
    make.job_role(code="clerk", name_zh="营业厅柜员", name_en="Counter clerk")
    units = api.get("/api/v1/org-units").json["items"]
    assert [(u["code"], u["parent"]) for u in units] == [("CO", None), ("BR1", "CO")]
    roles = api.get("/api/v1/job-roles").json
    assert roles["total"] == 1 and roles["items"][0] == {
        "code": "clerk", "name_zh": "营业厅柜员", "name_en": "Counter clerk",
        "description_zh": "", "description_en": ""}


def test_unknown_paths_and_methods_answer_in_the_api_shape(api, client):
    for path in ("/api/v1/nothing-here", "/api/v1/", "/api/v1/users/E1/promote"):
        resp = api.get(path)
        assert resp.status_code == 404 and resp.json["error"]["code"] == "not_found", path
    resp = client.delete("/api/v1/users/E1", headers={"Authorization": f"Bearer {api.secret}"})
    assert resp.status_code == 405 and resp.json["error"]["code"] == "method_not_allowed"
    assert set(resp.headers["Allow"].split(", ")) == {"GET", "PATCH"}
    # Without a token the answer is 401 first, whatever the path.
    assert client.get("/api/v1/nothing-here").status_code == 401
