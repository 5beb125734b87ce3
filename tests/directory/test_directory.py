"""Single sign-on against the company directory (a real OpenLDAP server): people sign in
with their directory password, their account is made or linked by employee number, their
groups give platform roles, and a sync adds, updates and deactivates."""

from __future__ import annotations

from sqlalchemy import select

from lms.core.audit import AuditEvent
from lms.people.models import User
from tests.forms import form_fields

DIRECTORY_PW = "Directory2026pw"


def _sign_in(client, identifier: str, password: str):
    page = client.get("/login")
    fields = form_fields(page.get_data(as_text=True), action="")
    fields.update(identifier=identifier, password=password)
    return client.post("/login", data=fields)


def _user(db, employee_no: str) -> User:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.employee_no == employee_no))


def test_first_sign_in_creates_the_account_from_the_directory(client, make, db, directory):
    hall = make.unit(code="HALL")
    resp = _sign_in(client, "D1001", DIRECTORY_PW)
    assert resp.status_code == 302
    home = client.get(resp.headers["Location"])
    assert "张伟" in home.get_data(as_text=True)
    user = _user(db, "D1001")
    assert (user.email, user.org_unit_id, user.auth_source) == (
        "zhang.wei@corp.example.com", hall.id, "ldap")
    assert user.roles == {"learner"}


def test_sign_in_by_directory_email_and_a_wrong_password(client, make, db, directory):
    wrong = _sign_in(client, "D1001", "not-the-password-1")
    assert wrong.status_code == 422
    assert "工号/邮箱或密码不正确" in wrong.get_data(as_text=True)
    assert _user(db, "D1001") is None  # nothing made for a failed sign-in
    assert _sign_in(client, "zhang.wei@corp.example.com", DIRECTORY_PW).status_code == 302


def test_an_existing_local_account_is_linked_by_employee_number(client, make, db, directory):
    local = make.user(employee_no="D1002", email="old.address@example.com", name="李娜(旧)")
    resp = _sign_in(client, "D1002", DIRECTORY_PW)
    assert resp.status_code == 302
    user = _user(db, "D1002")
    assert user.id == local.id
    assert (user.name, user.email, user.auth_source) == ("李娜", "li.na@corp.example.com", "ldap")
    assert user.roles == {"learner", "trainer"}  # from the lms-trainers group
    # The local password no longer opens a directory account.
    other = client.application.test_client()
    assert _sign_in(other, "D1002", make.PASSWORD).status_code == 422


def test_a_group_change_in_the_directory_changes_the_platform_role(client, db, directory):
    assert _sign_in(client, "D1002", DIRECTORY_PW).status_code == 302
    assert "trainer" in _user(db, "D1002").roles
    directory.modify("dn: cn=lms-trainers,ou=groups,dc=example,dc=com\nchangetype: modify\n"
                     "replace: member\nmember: uid=zhang.wei,ou=people,dc=example,dc=com\n")
    again = client.application.test_client()
    assert _sign_in(again, "D1002", DIRECTORY_PW).status_code == 302
    assert _user(db, "D1002").roles == {"learner"}


def test_directory_down_local_admin_still_signs_in(client, make, db, directory, app,
                                                   monkeypatch):
    make.user(roles={"admin"}, employee_no="A0001")
    assert _sign_in(app.test_client(), "D1001", DIRECTORY_PW).status_code == 302
    with __import__("socket").socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    monkeypatch.setitem(app.config, "LDAP_URL", f"ldap://127.0.0.1:{closed}")
    monkeypatch.setitem(app.config, "LDAP_TIMEOUT", 1)
    refused = _sign_in(app.test_client(), "D1001", DIRECTORY_PW)
    assert refused.status_code == 422
    assert "目录" in refused.get_data(as_text=True)  # says the directory is unreachable
    assert _sign_in(app.test_client(), "A0001", make.PASSWORD).status_code == 302


def test_sync_adds_updates_and_deactivates(runner, make, db, directory):
    make.unit(code="HALL")
    local = make.user(employee_no="L0001")  # outside the directory: left alone
    first = runner.invoke(args=["lms", "sync-directory"])
    assert first.exit_code == 0, first.output
    assert "3 created" in first.output
    assert {u.employee_no for u in db.session.scalars(
        select(User).where(User.auth_source == "ldap"))} == {"D1001", "D1002", "D1003"}
    assert "trainer" in _user(db, "D1002").roles

    # 王芳 leaves, 张伟 is renamed.
    directory.ldap("ldapdelete", "uid=wang.fang,ou=people,dc=example,dc=com")
    directory.modify("dn: uid=zhang.wei,ou=people,dc=example,dc=com\nchangetype: modify\n"
                     "replace: cn\ncn: 张伟强\n")
    second = runner.invoke(args=["lms", "sync-directory"])
    assert second.exit_code == 0, second.output
    assert "1 updated" in second.output and "1 deactivated" in second.output
    assert _user(db, "D1003").active is False
    assert _user(db, "D1001").name == "张伟强"
    assert _user(db, "L0001").active is True and local.auth_source == "local"
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "directory_synced")) is not None


def test_a_person_deactivated_by_the_sync_cannot_sign_in(client, runner, db, directory):
    runner.invoke(args=["lms", "sync-directory"])
    directory.ldap("ldapdelete", "uid=wang.fang,ou=people,dc=example,dc=com")
    runner.invoke(args=["lms", "sync-directory"])
    # Gone from the directory: not known there any more, and the local account is off.
    assert _sign_in(client, "D1003", DIRECTORY_PW).status_code == 422


def test_sync_with_the_directory_down_fails_with_one_line(runner, db, directory, app,
                                                         monkeypatch):
    monkeypatch.setitem(app.config, "LDAP_URL", "ldap://127.0.0.1:1")
    monkeypatch.setitem(app.config, "LDAP_TIMEOUT", 1)
    out = runner.invoke(args=["lms", "sync-directory"])
    assert out.exit_code != 0 and "cannot be reached" in out.output
    assert "Traceback" not in out.output


def test_directory_accounts_need_no_activation_code(client, runner, login_as, db, directory):
    runner.invoke(args=["lms", "sync-directory"])
    login_as("hr")
    waiting = client.get("/hr/activation").get_data(as_text=True)
    assert "D1001" not in waiting  # they sign in with the directory password


def test_a_disabled_directory_account_is_refused_and_deactivated_by_the_sync(
        client, runner, db, directory, app, monkeypatch):
    monkeypatch.setitem(app.config, "LDAP_DISABLED_FILTER", "(employeeType=disabled)")
    assert runner.invoke(args=["lms", "sync-directory"]).exit_code == 0
    directory.modify("dn: uid=zhang.wei,ou=people,dc=example,dc=com\nchangetype: modify\n"
                     "add: employeeType\nemployeeType: disabled\n")
    refused = _sign_in(client, "D1001", DIRECTORY_PW)
    assert refused.status_code == 422 and "目录中停用" in refused.get_data(as_text=True)
    out = runner.invoke(args=["lms", "sync-directory"])
    assert "1 deactivated" in out.output
    assert _user(db, "D1001").active is False and _user(db, "D1002").active is True


def test_the_sync_never_removes_the_last_active_administrator(runner, make, db, directory,
                                                             app, monkeypatch):
    # The only administrator is a directory account who is not in any admin group ...
    assert runner.invoke(args=["lms", "sync-directory"]).exit_code == 0
    boss = _user(db, "D1001")
    from lms.people.models import UserRole

    db.session.add(UserRole(user_id=boss.id, role="admin"))
    db.session.commit()
    assert runner.invoke(args=["lms", "sync-directory"]).exit_code == 0
    assert "admin" in _user(db, "D1001").roles  # the groups would have taken it away
    # ... and then leaves the directory: still active, reported as skipped.
    directory.ldap("ldapdelete", "uid=zhang.wei,ou=people,dc=example,dc=com")
    out = runner.invoke(args=["lms", "sync-directory"])
    assert "last active administrator" in out.output
    boss = _user(db, "D1001")
    assert boss.active and "admin" in boss.roles
