"""What a leaked or long-forgotten integration token can no longer do: change people who
hold platform roles, overwrite someone through "create", or work forever."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from lms.integration.models import ApiToken
from lms.people.models import User
from tests.forms import form_fields


@pytest.mark.parametrize("role", ["admin", "hr", "trainer", "manager"])
def test_a_write_token_cannot_change_rename_or_deactivate_people_with_platform_roles(
        api, make, db, role):
    boss = make.user(roles={role}, employee_no="B0001", name="原名",
                     email="boss@example.com")
    for method, path, body in (
            ("patch", "/api/v1/users/B0001", {"email": "attacker@example.com"}),
            ("patch", "/api/v1/users/B0001", {"name": "改名"}),
            ("patch", "/api/v1/users/B0001", {"active": False}),
            ("post", "/api/v1/users/B0001/deactivate", None)):
        resp = getattr(api, method)(path, json=body)
        assert resp.status_code == 403, (path, body, resp.json)
        error = resp.json["error"]
        assert error["code"] == "forbidden" and error["field"] == "employee_no"
        assert "platform role" in error["message"] and role in error["message"]
    db.session.expire_all()
    boss = db.session.get(User, boss.id)
    assert (boss.name, boss.email, boss.active) == ("原名", "boss@example.com", True)
    # Reading them is still fine, and so is changing a learner.
    assert api.get("/api/v1/users/B0001").status_code == 200
    make.user(employee_no="L0001")
    assert api.patch("/api/v1/users/L0001", json={"name": "学员"}).status_code == 200


def test_create_of_an_existing_person_is_a_conflict_not_an_update(api, make, db):
    make.user(roles={"admin"}, employee_no="A0009", name="管理员", email="a9@example.com")
    resp = api.post("/api/v1/users", json={"employee_no": "A0009", "name": "Mallory",
                                           "email": "mallory@example.com"})
    assert resp.status_code == 409 and resp.json["error"]["field"] == "employee_no"
    assert db.session.scalar(select(User.name).where(User.employee_no == "A0009")) == "管理员"


def test_tokens_expire_and_expired_tokens_answer_401(client, make_token, db, app):
    token, secret = make_token("read")
    headers = {"Authorization": f"Bearer {secret}"}
    default_days = app.config["API_TOKEN_DAYS"]
    left = token.expires_at.replace(tzinfo=UTC) - datetime.now(UTC)
    assert timedelta(days=default_days - 1) < left <= timedelta(days=default_days)
    assert client.get("/api/v1/users", headers=headers).status_code == 200

    db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    db.session.commit()
    resp = client.get("/api/v1/users", headers=headers)
    assert resp.status_code == 401 and "expired" in resp.json["error"]["message"]

    # A token made before expiry existed runs out after the maximum lifetime.
    db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(
        expires_at=None,
        created_at=datetime.now(UTC) - timedelta(days=app.config["API_TOKEN_MAX_DAYS"] + 1)))
    db.session.commit()
    assert client.get("/api/v1/users", headers=headers).status_code == 401


def test_admin_chooses_a_lifetime_up_to_the_maximum(client, login_as, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "API_TOKEN_DAYS", 30)
    monkeypatch.setitem(app.config, "API_TOKEN_MAX_DAYS", 60)
    login_as("admin")
    page = client.get("/admin/api-tokens").get_data(as_text=True)
    fields = form_fields(page, action="")
    assert fields["valid_days"] == "30"
    fields.update(name="Data platform", scopes="read", valid_days="61")
    too_long = client.post("/admin/api-tokens", data=fields)
    assert too_long.status_code == 422 and "60" in too_long.get_data(as_text=True)
    fields["valid_days"] = "9" * 300  # hundreds of digits: a message, not a 500
    assert client.post("/admin/api-tokens", data=fields).status_code == 422
    fields["valid_days"] = "7"
    made = client.post("/admin/api-tokens", data=fields)
    assert made.status_code == 200 and 'id="token-secret"' in made.get_data(as_text=True)
    token = db.session.scalar(select(ApiToken).where(ApiToken.name == "Data platform"))
    left = token.expires_at.replace(tzinfo=UTC) - datetime.now(UTC)
    assert timedelta(days=6) < left <= timedelta(days=7)


def test_cli_token_lifetime(runner, db, app):
    out = runner.invoke(args=["lms", "create-api-token", "--name", "x", "--days", "5"])
    assert out.exit_code == 0 and "expires" in out.output
    bad = runner.invoke(args=["lms", "create-api-token", "--name", "y", "--days", "100000"])
    assert bad.exit_code != 0 and "Traceback" not in bad.output
