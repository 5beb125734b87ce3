"""Sign-in throttling that stops guessing without locking out a whole business hall:
failures count per account (whatever identifier was typed) and per address with a much
higher limit; the client address is read through a configured number of trusted proxies;
unknown accounts cost the same password hashing as real ones."""

from __future__ import annotations

from sqlalchemy import select

import lms.people.accounts as accounts
from lms import create_app
from lms.people.security_models import LoginAttempt
from tests.conftest import Auth, csrf_from


def _throttled(resp) -> bool:
    return resp.status_code == 422 and "登录失败次数过多" in resp.get_data(as_text=True)


def test_employee_number_and_email_share_one_count(client, make, auth, app):
    make.user(employee_no="N1001", email="n1001@example.com")
    limit = app.config["LOGIN_MAX_FAILURES"]
    for i in range(limit):
        typed = "N1001" if i % 2 else "N1001@Example.com"
        resp = auth.login(typed, "wrong-password-1")
        assert resp.status_code == 422 and not _throttled(resp)
    # No fresh set of guesses by switching to the other identifier.
    assert _throttled(auth.login("N1001"))
    assert _throttled(auth.login("n1001@example.com"))


def test_wrong_passwords_from_one_address_do_not_lock_out_everyone_behind_it(client, make,
                                                                            auth):
    people = [make.user(employee_no=f"H{i:04d}") for i in range(6)]
    # 20 failures from the hall's one NAT address: a few typos each, and some unknown names.
    for person in people[:4]:
        for _ in range(4):
            assert auth.login(person.employee_no, "typo-password-1").status_code == 422
    for i in range(4):
        assert auth.login(f"NOBODY{i}", "typo-password-1").status_code == 422
    # Everyone else in the hall still signs in, and so do those who mistyped.
    assert auth.login(people[4].employee_no).status_code == 302
    auth.logout()
    assert auth.login(people[0].employee_no).status_code == 302


def test_an_address_trying_many_accounts_is_stopped_at_its_own_higher_limit(
        client, make, auth, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 8)
    victim = make.user(employee_no="V0001")
    for i in range(8):
        assert not _throttled(auth.login(f"GUESS{i}", "password-guess-1"))
    assert _throttled(auth.login(victim.employee_no))
    # The same person from another address is not affected.
    other = Auth(app.test_client())
    other.client.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    assert other.login(victim.employee_no).status_code == 302


def _attempt_ips(db) -> list[str]:
    return list(db.session.scalars(select(LoginAttempt.ip).order_by(LoginAttempt.id)))


def test_client_address_comes_from_the_trusted_proxies_only(app, db, make):
    make.user(employee_no="X0001")
    headers = {"X-Forwarded-For": "192.0.2.99, 203.0.113.7"}

    def fail_once(client) -> None:
        page = client.get("/login", headers=headers)
        client.post("/login", headers=headers, data={
            "csrf_token": csrf_from(page.get_data(as_text=True)), "identifier": "X0001",
            "password": "wrong-password-1"})

    # No trusted proxy (the default): the header is the client's word and is ignored.
    fail_once(app.test_client())
    behind = create_app({**{k: v for k, v in app.config.items() if k.isupper()},
                         "TRUSTED_PROXIES": 1})
    fail_once(behind.test_client())
    db.session.expire_all()
    # One trusted proxy: its own entry (the right-most) is the client; the spoofable left
    # part is ignored.
    assert _attempt_ips(db) == ["127.0.0.1", "203.0.113.7"]


def test_unknown_accounts_are_checked_against_a_password_hash_too(client, make, auth, app,
                                                                monkeypatch):
    make.user(employee_no="K0001")
    calls: list[str] = []
    real = accounts.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        calls.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    assert auth.login("K0001", "wrong-password-1").status_code == 422
    assert auth.login("NO-SUCH-PERSON", "wrong-password-1").status_code == 422
    assert len(calls) == 2
    method = app.config["PASSWORD_HASH_METHOD"]
    # The stand-in hash is made the same way as real ones, so it costs the same time.
    assert all(h.startswith(method.split(":")[0] + ":") for h in calls)
    assert calls[1].split("$")[0] == calls[0].split("$")[0]
    # And both answers look the same to the person at the keyboard.
    known = auth.login("K0001", "wrong-password-1").get_data(as_text=True)
    unknown = auth.login("NO-SUCH-PERSON", "wrong-password-1").get_data(as_text=True)
    assert "工号/邮箱或密码不正确" in known and "工号/邮箱或密码不正确" in unknown
