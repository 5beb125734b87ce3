"""HR imports a roster from the browser: preview first, errors per row, apply once."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from lms.core.audit import AuditEvent
from lms.people.models import User


def _upload(auth, content: str, name="roster.csv"):
    return auth.post("/hr/roster", {"file": (io.BytesIO(content.encode("utf-8")), name)},
                     content_type="multipart/form-data")


def test_preview_then_apply(client, make, login_as, auth, db, worker):
    unit = make.unit(code="HALL")
    make.job_role(code="counter_clerk")
    login_as("hr")
    csv_text = ("employee_no,name,email,org_unit,job_role\n"
                "R001,赵一,r001@example.com,HALL,counter_clerk\n"
                "R002,钱二,r002@example.com,hall,\n")
    resp = _upload(auth, csv_text)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "新增：2" in html
    assert db.session.scalar(select(func.count(User.id)).where(
        User.employee_no.in_(["R001", "R002"]))) == 0  # nothing written by the preview
    token = html.split('name="token" type="hidden" value="')[1].split('"')[0]
    resp = auth.post("/hr/roster/apply", {"token": token}, form_page="/hr/roster")
    assert resp.status_code == 302 and "/jobs/" in resp.headers["Location"]
    worker.drain()  # a worker applies it
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "花名册已导入：新增 2 人" in html and 'data-status="done"' in html
    assert 'id="print-codes"' in html  # the new people's activation codes, one click away
    people = db.session.scalars(select(User).where(User.employee_no.in_(["R001", "R002"]))
                                ).all()
    assert len(people) == 2 and all(p.org_unit_id == unit.id for p in people)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "roster_imported"))
    # The token is single-use.
    resp = auth.post("/hr/roster/apply", {"token": token}, form_page="/hr/roster",
                     follow_redirects=True)
    assert "已过期" in resp.get_data(as_text=True)


def test_errors_are_listed_per_row_and_nothing_can_be_applied(client, make, login_as, auth):
    login_as("hr")
    resp = _upload(auth, "employee_no,name,email,org_unit\nR9,,not-an-email,NOWHERE\n")
    html = resp.get_data(as_text=True)
    assert "缺少姓名" in html and "电子邮箱地址无效" in html and "未知的组织单位" in html
    assert "roster/apply" not in html


def test_a_spreadsheet_or_empty_upload_gets_a_field_error(client, make, login_as, auth):
    login_as("hr")
    resp = auth.post("/hr/roster", {"file": (io.BytesIO(b"PK\x03\x04xlsx"), "r.xlsx")},
                     content_type="multipart/form-data")
    assert resp.status_code == 422 and "另存为 CSV" in resp.get_data(as_text=True)
    resp = auth.post("/hr/roster", {}, content_type="multipart/form-data")
    assert resp.status_code == 422


def test_another_sessions_token_is_refused(client, make, login_as, auth, app):
    login_as("hr")
    resp = auth.post("/hr/roster/apply", {"token": "0" * 32}, form_page="/hr/roster",
                     follow_redirects=True)
    assert "已过期" in resp.get_data(as_text=True)


def test_the_import_runs_as_a_job_whose_progress_survives_a_reload(client, make, login_as,
                                                                   auth, db, app):
    from lms.jobs import queue
    from lms.jobs.models import Job
    from tests.jobs import TestWorker

    make.unit(code="HALL")
    login_as("hr")
    rows = "".join(f"P{i:04d},人员{i},p{i}@example.com,HALL,\n" for i in range(120))
    html = _upload(auth, "employee_no,name,email,org_unit,job_role\n" + rows
                   ).get_data(as_text=True)
    token = html.split('name="token" type="hidden" value="')[1].split('"')[0]
    job_url = auth.post("/hr/roster/apply", {"token": token},
                        form_page="/hr/roster").headers["Location"]
    # No worker yet: the page says it waits, and polls.
    html = client.get(job_url).get_data(as_text=True)
    assert 'data-status="queued"' in html and 'hx-trigger="every 1s"' in html
    # Back on the import page (a reload, another tab): the running import is shown.
    html = client.get("/hr/roster").get_data(as_text=True)
    assert 'id="roster-running"' in html and job_url.rsplit("/", 1)[1] in html
    # While a worker is on it, the bar shows how far it is.
    job = db.session.scalar(select(Job).where(Job.kind == "roster_import"))
    job.status = "running"
    db.session.commit()
    queue.put_progress(job.id, 30, 120)
    html = client.get(job_url + "/progress").get_data(as_text=True)
    assert "25%" in html and "30 / 120" in html
    job.status = "queued"
    db.session.commit()
    worker = TestWorker(app)
    worker.start()
    try:
        worker.drain()
    finally:
        worker.stop()
    html = client.get(job_url + "/progress").get_data(as_text=True)
    assert 'data-status="done"' in html and "新增 120 人" in html and "hx-trigger" not in html
    job = db.session.get(Job, job.id)
    assert job.progress == job.total >= 240 and job.result["created"] == 120
    assert db.session.scalar(select(func.count(User.id)).where(
        User.employee_no.like("P%"))) == 120
    assert 'id="roster-running"' not in client.get("/hr/roster").get_data(as_text=True)
