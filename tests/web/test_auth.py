"""Signing in and out, throttling, passwords and the language switch, through the web."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from lms.core.audit import AuditEvent
from lms.people.security_models import LoginAttempt


def test_login_by_employee_number_and_by_email(client, make, auth):
    user = make.user(employee_no="E9001", email="Zhou.Xy@Example.com")
    resp = auth.login("E9001")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/learn/")
    page = client.get("/learn/").get_data(as_text=True)
    assert user.name in page
    auth.logout()
    resp = auth.login("zhou.xy@example.com")
    assert resp.status_code == 302


def test_wrong_password_is_refused_next_to_the_field(client, make, auth):
    make.user(employee_no="E9002")
    resp = auth.login("E9002", "wrong-password-1")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "invalid-feedback" in html and "工号/邮箱或密码不正确" in html
    assert client.get("/learn/").status_code == 302  # still anonymous


def test_inactive_user_cannot_sign_in(client, make, auth, db):
    user = make.user(employee_no="E9003")
    user.active = False
    db.session.commit()
    resp = auth.login("E9003")
    assert resp.status_code == 422
    assert "已停用" in resp.get_data(as_text=True)


def test_repeated_failures_are_throttled_even_with_the_right_password(client, make, auth, db):
    make.user(employee_no="E9004")
    for _ in range(5):
        assert auth.login("E9004", "wrong-password-1").status_code == 422
    resp = auth.login("E9004")  # correct password, but throttled
    assert resp.status_code == 422
    assert "登录失败次数过多" in resp.get_data(as_text=True)
    # The count lives in the database, where every worker and host sees it.
    assert db.session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.identifier == "e9004", LoginAttempt.success.is_(False))) == 5
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "login_throttled")) == 1


def test_throttle_window_expires(client, make, auth, db):
    make.user(employee_no="E9005")
    old = datetime.now(UTC) - timedelta(minutes=16)
    db.session.add_all([LoginAttempt(identifier="e9005", ip="127.0.0.1", at=old)
                        for _ in range(6)])
    db.session.commit()
    assert auth.login("E9005").status_code == 302


def test_logout_is_post_only_and_invalidates_the_old_cookie(client, make, auth, app):
    make.user(employee_no="E9006")
    auth.login("E9006", remember="y")
    assert client.get("/logout").status_code == 405
    stolen = {c.key: c.value for c in client._cookies.values()}
    auth.logout()
    assert client.get("/learn/").status_code == 302
    # Replaying the cookies captured before logout no longer signs anyone in.
    other = app.test_client()
    for key, value in stolen.items():
        other.set_cookie(key, value)
    assert other.get("/learn/").status_code == 302


def test_logout_without_csrf_token_is_refused(client, make, auth):
    make.user(employee_no="E9007")
    auth.login("E9007")
    resp = client.post("/logout")
    assert resp.status_code == 400
    assert client.get("/learn/").status_code == 200


def test_change_password_checks_current_and_policy(client, make, auth):
    make.user(employee_no="E9008")
    auth.login("E9008")
    resp = auth.post("/account", {"current_password": "nope-123456", "new_password":
                                  "Another2026x", "confirm": "Another2026x"})
    assert resp.status_code == 422 and "当前密码不正确" in resp.get_data(as_text=True)
    resp = auth.post("/account", {"current_password": make.PASSWORD, "new_password": "short1",
                                  "confirm": "short1"})
    assert resp.status_code == 422 and "至少使用 10 个字符" in resp.get_data(as_text=True)
    resp = auth.post("/account", {"current_password": make.PASSWORD,
                                  "new_password": "Another2026x", "confirm": "Another2026y"})
    assert resp.status_code == 422 and "两次输入的密码不一致" in resp.get_data(as_text=True)
    resp = auth.post("/account", {"current_password": make.PASSWORD,
                                  "new_password": "Another2026x", "confirm": "Another2026x"})
    assert resp.status_code == 302
    assert client.get("/learn/").status_code == 200  # this device stays signed in
    auth.logout()
    assert auth.login("E9008").status_code == 422
    assert auth.login("E9008", "Another2026x").status_code == 302


def test_next_parameter_only_redirects_inside_the_site(client, make, auth):
    make.user(employee_no="E9009")
    resp = auth.login("E9009", next="https://evil.example.com/")
    assert resp.headers["Location"].endswith("/learn/")
    auth.logout()
    resp = auth.login("E9009", next="/account")
    assert resp.headers["Location"].endswith("/account")


def test_anonymous_is_sent_to_login_with_next(client):
    resp = client.get("/admin/users")
    assert resp.status_code == 302
    assert "/login?next=/admin/users" in resp.headers["Location"]


def test_language_switch_sticks_to_the_user(client, make, auth, app):
    make.user(employee_no="E9010")
    auth.login("E9010")
    assert "我的学习" in client.get("/learn/").get_data(as_text=True)
    resp = auth.post("/locale", {"locale": "en", "next": "/learn/"}, form_page="/learn/")
    assert resp.status_code == 302
    assert "My learning" in client.get("/learn/").get_data(as_text=True)
    # A fresh session (another device) gets the user's choice after signing in.
    other = app.test_client()
    from tests.conftest import Auth

    Auth(other).login("E9010")
    html = other.get("/learn/").get_data(as_text=True)
    assert "My learning" in html and "我的学习" not in html


def test_anonymous_language_switch(client):
    from tests.conftest import csrf_from

    token = csrf_from(client.get("/login").get_data(as_text=True))
    client.post("/locale", data={"csrf_token": token, "locale": "en", "next": "/login"})
    assert "Sign in" in client.get("/login").get_data(as_text=True)


def test_session_cookie_flags(client, make, auth):
    make.user(employee_no="E9011")
    resp = auth.login("E9011", remember="y")
    cookies = resp.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    assert "HttpOnly" in session and "SameSite=Lax" in session
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in remember
