"""Administration: users, roles, org units, job roles, and the audit trail they leave."""

from __future__ import annotations

from sqlalchemy import select

from lms.core.audit import AuditEvent
from lms.people.models import OrgUnit, RoleAssignment, User


def _user_form(**overrides):
    data = {"employee_no": "E7001", "name": "新员工", "email": "new@example.com",
            "password": "Welcome2026a", "org_unit": "0", "job_role": "0", "active": "y"}
    data.update(overrides)
    return data


def test_admin_creates_a_user_who_can_sign_in(client, login_as, make, auth, db, app):
    login_as("admin")
    unit = make.unit()
    role = make.job_role(code="counter_clerk")
    resp = auth.post("/admin/users/new", _user_form(org_unit=str(unit.id),
                                                    job_role=str(role.id), roles=["trainer"]))
    assert resp.status_code == 302
    user = db.session.scalar(select(User).where(User.employee_no == "E7001"))
    assert user.roles == {"learner", "trainer"} and user.job_role.code == "counter_clerk"
    assert db.session.scalar(select(RoleAssignment).where(RoleAssignment.user_id == user.id))
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user_created"))
    from tests.conftest import Auth

    assert Auth(app.test_client()).login("E7001", "Welcome2026a").status_code == 302


def test_bad_user_input_is_shown_next_to_each_field(client, login_as, make, auth):
    admin = login_as("admin")
    resp = auth.post("/admin/users/new", _user_form(employee_no="", email="not-an-email",
                                                    password="short"))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert html.count("invalid-feedback") >= 2
    resp = auth.post("/admin/users/new", _user_form(employee_no=admin.employee_no))
    assert resp.status_code == 422 and "该工号已被其他用户使用" in resp.get_data(as_text=True)
    resp = auth.post("/admin/users/new", _user_form(password="onlyletters"))
    assert resp.status_code == 422 and "须同时包含字母和数字" in resp.get_data(as_text=True)
    resp = auth.post("/admin/users/new", _user_form(org_unit="99999"))
    assert resp.status_code == 422


def test_deactivating_a_user_signs_them_out(client, login_as, make, auth, app, db):
    login_as("admin")
    victim = make.user(employee_no="E7002")
    from tests.conftest import Auth

    other = app.test_client()
    Auth(other).login("E7002")
    assert other.get("/learn/").status_code == 200
    path = f"/admin/users/{victim.public_id}"
    resp = auth.post(path, {"employee_no": "E7002", "name": victim.name,
                            "email": victim.email, "org_unit": "0", "job_role": "0"})
    assert resp.status_code == 302
    assert other.get("/learn/").status_code == 302
    assert Auth(app.test_client()).login("E7002").status_code == 422
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"user_deactivated", "user_updated"} <= actions


def test_admin_cannot_remove_own_admin_role(client, login_as, auth):
    admin = login_as("admin")
    resp = auth.post(f"/admin/users/{admin.public_id}", {
        "employee_no": admin.employee_no, "name": admin.name, "email": admin.email,
        "org_unit": "0", "job_role": "0", "active": "y", "roles": ["hr"]})
    assert resp.status_code == 422
    assert "不能取消您自己的管理员权限" in resp.get_data(as_text=True)


def test_changing_job_role_keeps_history(client, login_as, make, auth, db):
    login_as("admin")
    a, b = make.job_role(), make.job_role()
    user = make.user(job_role=a)
    resp = auth.post(f"/admin/users/{user.public_id}", {
        "employee_no": user.employee_no, "name": user.name, "email": user.email,
        "org_unit": "0", "job_role": str(b.id), "active": "y"})
    assert resp.status_code == 302
    rows = db.session.scalars(select(RoleAssignment).where(RoleAssignment.user_id == user.id)
                              .order_by(RoleAssignment.id)).all()
    assert [r.job_role_id for r in rows] == [a.id, b.id]
    assert rows[0].end_date is not None and rows[1].end_date is None
    page = client.get(f"/admin/users/{user.public_id}").get_data(as_text=True)
    assert a.name_zh in page and b.name_zh in page


def test_password_reset_shows_a_working_temporary_password(client, login_as, make, auth, app):
    login_as("admin")
    user = make.user(employee_no="E7003")
    resp = auth.post(f"/admin/users/{user.public_id}/reset-password",
                     form_page=f"/admin/users/{user.public_id}", follow_redirects=True)
    html = resp.get_data(as_text=True)
    import re

    password = re.search(r'id="temporary-password".*?<code[^>]*>([^<]+)</code>', html,
                         re.S).group(1)
    from tests.conftest import Auth

    assert Auth(app.test_client()).login("E7003", password).status_code == 302


def test_users_are_addressed_by_unguessable_ids(client, login_as, make):
    login_as("admin")
    user = make.user()
    assert client.get(f"/admin/users/{user.id}").status_code == 404
    assert len(user.public_id) >= 16


def test_org_tree_rules(client, login_as, make, auth, db):
    login_as("admin")
    resp = auth.post("/admin/org-units", {"code": "CO", "name_zh": "公司", "name_en": "Co",
                                          "kind": "company", "parent": "0"})
    assert resp.status_code == 302
    co = db.session.scalar(select(OrgUnit))
    resp = auth.post("/admin/org-units", {"code": "T1", "name_zh": "班", "name_en": "Team",
                                          "kind": "team", "parent": "0"})
    assert resp.status_code == 422 and "只有公司可以没有上级单位" in resp.get_data(as_text=True)
    resp = auth.post("/admin/org-units", {"code": "CO", "name_zh": "重复", "name_en": "Dup",
                                          "kind": "branch", "parent": str(co.id)})
    assert resp.status_code == 422 and "该编码已被使用" in resp.get_data(as_text=True)
    resp = auth.post("/admin/org-units", {"code": "BR", "name_zh": "分公司", "name_en": "Br",
                                          "kind": "branch", "parent": str(co.id)})
    assert resp.status_code == 302
    page = client.get("/admin/org-units").get_data(as_text=True)
    assert "分公司" in page and "公司" in page
    resp = auth.post(f"/admin/org-units/{co.id}", {"code": "CO", "name_zh": "公司",
                                                   "name_en": "Co", "kind": "company",
                                                   "parent": str(co.id)})
    assert resp.status_code == 422


def test_job_roles_and_audit_log_pages(client, login_as, auth):
    login_as("admin")
    resp = auth.post("/admin/job-roles", {"code": "dispatcher", "name_zh": "抢修调度员",
                                          "name_en": "Dispatcher"})
    assert resp.status_code == 302
    assert "抢修调度员" in client.get("/admin/job-roles").get_data(as_text=True)
    resp = auth.post("/admin/job-roles", {"code": "bad code!", "name_zh": "x", "name_en": "y"})
    assert resp.status_code == 422
    log = client.get("/admin/audit?action=job_role_created").get_data(as_text=True)
    assert "job_role_created" in log and "dispatcher" in log
