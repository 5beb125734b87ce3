"""HR edits a job role's learning path in the browser; readiness follows it."""

from sqlalchemy import select

from lms.core.audit import AuditEvent
from lms.people.models import RoleRequirement


def test_hr_edits_the_path_with_field_errors(client, make, login_as, auth, db):
    make.course("PATH-1", quiz=False)
    role = make.job_role(code="dispatcher_p", name_zh="调度员P")
    login_as("hr")
    page = f"/hr/job-roles/{role.code}/path"
    resp = auth.post(page, {"items-0-kind": "course", "items-0-ref": "NOPE-9",
                            "items-0-required": "1"})
    assert resp.status_code == 422 and "不存在" in resp.get_data(as_text=True)
    resp = auth.post(page, {"items-0-kind": "course", "items-0-required": "1"})
    assert resp.status_code == 422
    resp = auth.post(page, {"items-0-kind": "course", "items-0-ref": "path-1",
                            "items-0-required": "1",
                            "items-1-kind": "scenario", "items-1-ref": "",
                            "items-2-kind": "", "items-2-ref": ""})
    assert resp.status_code == 422  # the half-filled second row is an error
    resp = auth.post(page, {"items-0-kind": "course", "items-0-ref": "path-1",
                            "items-0-required": "0"})
    assert resp.status_code == 302
    rows = db.session.scalars(select(RoleRequirement).where(
        RoleRequirement.job_role_id == role.id)).all()
    assert [(r.kind, r.ref, r.required) for r in rows] == [("course", "PATH-1", False)]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "role_path_saved"))
    assert "PATH-1" in client.get(page).get_data(as_text=True)
