"""The `flask lms` commands a new installation relies on."""

from sqlalchemy import func, select

from lms.people.models import JobRole, OrgUnit, User
from lms.seed.demo import ACCOUNTS, DEMO_PASSWORD


def _counts(db):
    return tuple(db.session.scalar(select(func.count(m.id))) for m in (User, OrgUnit, JobRole))


def test_seed_demo_is_idempotent_and_accounts_sign_in(runner, db, app):
    first = runner.invoke(args=["lms", "seed-demo"])
    assert first.exit_code == 0, first.output
    counts = _counts(db)
    assert counts[0] >= len(ACCOUNTS) and counts[2] == 6
    second = runner.invoke(args=["lms", "seed-demo"])
    assert second.exit_code == 0 and _counts(db) == counts
    from tests.conftest import Auth

    for no, *_rest in ACCOUNTS:
        client = app.test_client()
        assert Auth(client).login(no, DEMO_PASSWORD).status_code == 302, no
    manager = db.session.scalar(select(User).where(User.employee_no == "M0001"))
    assert manager.has_role("manager") and manager.org_unit.code == "URB-HALL"


def test_seed_demo_refuses_outside_demo_mode(runner, app):
    app.config["DEMO_MODE"] = False
    try:
        result = runner.invoke(args=["lms", "seed-demo"])
    finally:
        app.config["DEMO_MODE"] = True
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("Error: demo data")


def test_create_admin_reports_bad_input_in_one_line(runner, db):
    ok = runner.invoke(args=["lms", "create-admin", "--employee-no", "A9", "--name", "管理员",
                             "--email", "a9@example.com", "--password", "Admin2026pass"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(args=["lms", "create-admin", "--employee-no", "A9", "--name", "x",
                              "--email", "b@example.com", "--password", "Admin2026pass"])
    assert bad.exit_code == 1 and "employee_no" in bad.output and "Traceback" not in bad.output
