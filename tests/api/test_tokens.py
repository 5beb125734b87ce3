"""API tokens: made and revoked by administrators, shown once, stored hashed, scoped; every
API endpoint answers 401/403 JSON without the right token, whatever the session."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from lms.core.audit import AuditEvent
from lms.integration.models import ApiToken

from ..conftest import csrf_from


def _create_in_admin(client, name="HR roster sync", scopes=("read", "write")):
    page = client.get("/admin/api-tokens")
    assert page.status_code == 200
    return client.post("/admin/api-tokens", data={
        "csrf_token": csrf_from(page.get_data(as_text=True)), "name": name,
        "scopes": list(scopes)})


def test_admin_makes_a_token_sees_it_once_and_only_its_hash_is_stored(client, login_as, db):
    admin = login_as("admin")
    resp = _create_in_admin(client)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    secret = re.search(r'id="token-secret">(lms_[^<]+)<', html).group(1)

    token = db.session.scalar(select(ApiToken))
    assert token.name == "HR roster sync" and token.scopes == ["read", "write"]
    assert token.created_by_id == admin.id
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(f"lms_{token.prefix}_")
    # The secret is nowhere at rest: not in the token row, not in the audit log.
    for row in db.session.execute(select(ApiToken.__table__)).all():
        assert secret not in str(tuple(row))
    events = db.session.scalars(select(AuditEvent)).all()
    assert "api_token_created" in {e.action for e in events}
    assert all(secret not in str(e.details) for e in events)

    # Shown once: the list afterwards has the prefix only.
    again = client.get("/admin/api-tokens").get_data(as_text=True)
    assert secret not in again and f"lms_{token.prefix}_" in again

    # And it works.
    ok = client.get("/api/v1/users", headers={"Authorization": f"Bearer {secret}"})
    assert ok.status_code == 200
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at is not None


def test_token_form_needs_a_name_and_a_scope(client, login_as, db):
    login_as("admin")
    resp = _create_in_admin(client, name="", scopes=())
    assert resp.status_code == 422
    assert db.session.scalar(select(ApiToken)) is None


def test_revoked_tokens_stop_working(client, login_as, db, make_token):
    login_as("admin")
    token, secret = make_token("read")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/users", headers=headers).status_code == 200
    page = client.get("/admin/api-tokens").get_data(as_text=True)
    resp = client.post(f"/admin/api-tokens/{token.id}/revoke",
                       data={"csrf_token": csrf_from(page)})
    assert resp.status_code == 302
    denied = client.get("/api/v1/users", headers=headers)
    assert denied.status_code == 401 and denied.json["error"]["code"] == "unauthorized"
    assert "Revoked" in client.get("/admin/api-tokens").get_data(as_text=True) or \
        "已撤销" in client.get("/admin/api-tokens").get_data(as_text=True)


def test_only_admins_manage_tokens(client, login_as):
    login_as("hr")
    assert client.get("/admin/api-tokens").status_code == 403


def test_missing_malformed_and_unknown_tokens_get_401_json(client, db, make_token):
    _token, secret = make_token("read")
    for headers in ({}, {"Authorization": secret}, {"Authorization": f"Basic {secret}"},
                    {"Authorization": "Bearer lms_00000000_nope"},
                    {"Authorization": "Bearer " + secret[:-1] + "x"}):
        resp = client.get("/api/v1/users", headers=headers)
        assert resp.status_code == 401, headers
        assert resp.json == {"error": {"code": "unauthorized", "field": None,
                                       "message": resp.json["error"]["message"]}}
        assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    # A token in the query string is not a way in (it would end up in access logs).
    assert client.get(f"/api/v1/users?access_token={secret}").status_code == 401


def test_a_signed_in_session_is_not_an_api_credential(client, login_as):
    login_as("admin")
    resp = client.get("/api/v1/users")
    assert resp.status_code == 401 and resp.json["error"]["code"] == "unauthorized"
    # …and a POST with the session cookie but no token is refused before anything else.
    assert client.post("/api/v1/users", json={}).status_code == 401


def test_scopes_read_and_write(client, db, make_token):
    _t, read = make_token("read")
    _t, write = make_token("write")
    body = {"employee_no": "E7001", "name": "王芳", "email": "wf@example.com"}

    denied = client.post("/api/v1/users", json=body, headers={"Authorization": f"Bearer {read}"})
    assert denied.status_code == 403
    assert denied.json["error"]["code"] == "forbidden" and "write" in \
        denied.json["error"]["message"]
    made = client.post("/api/v1/users", json=body, headers={"Authorization": f"Bearer {write}"})
    assert made.status_code == 201
    # A write-only token cannot read.
    assert client.get("/api/v1/users/E7001",
                      headers={"Authorization": f"Bearer {write}"}).status_code == 403
    assert client.get("/api/v1/users/E7001",
                      headers={"Authorization": f"Bearer {read}"}).json["name"] == "王芳"


def test_api_needs_no_csrf_token_and_sets_no_cookie(api):
    resp = api.post("/api/v1/users", json={"employee_no": "E7002", "name": "李雷",
                                           "email": "ll@example.com"})
    assert resp.status_code == 201
    assert "Set-Cookie" not in resp.headers


def test_cli_makes_a_token(runner, db):
    out = runner.invoke(args=["lms", "create-api-token", "--name", "Data platform",
                              "--scope", "read"])
    assert out.exit_code == 0, out.output
    secret = re.search(r"(lms_\S+)", out.output).group(1)
    token = db.session.scalar(select(ApiToken))
    assert token.scopes == ["read"] and token.token_hash == hashlib.sha256(
        secret.encode()).hexdigest()
