"""Classroom courses (培训班): HR creates a class and a session, nominates people (seats and a
waiting list), a learner checks in with the code shown in the room, the session's minutes
become training hours, HR corrects attendance by hand (audited), and "class attended" is a
requirement a certification can name."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from lms.certification import rules as certs
from lms.certification.models import Award
from lms.core.audit import AuditEvent
from lms.records.models import ClassSession, TrainingClass
from tests.forms import form_fields


def _post_form(client, page_path: str, action: str, **changes):
    data = form_fields(client.get(page_path).get_data(as_text=True), action=action)
    data.update(changes)
    return client.post(action, data=data)


def _class_with_session(client, auth, make, db):
    hr = make.user(roles={"hr"})
    auth.login(hr.employee_no)
    resp = _post_form(client, "/hr/classes", "/hr/classes", code="gb-2026-01",
                      title_zh="营业厅服务规范培训班", capacity="1")
    assert resp.status_code == 302
    detail = resp.headers["Location"]
    assert "请添加课次" in client.get(detail).get_data(as_text=True)
    cls = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "GB-2026-01"))
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    resp = _post_form(client, detail, f"{detail}/sessions", day=now.date().isoformat(),
                      start=now.strftime("%H:%M"), minutes="90", place="培训中心 301",
                      trainer="孙培训")
    assert resp.status_code == 302
    return hr, cls, detail


def test_hr_runs_a_class_from_creation_to_hours_credited(client, auth, make, db):
    first = make.user(employee_no="E3001", name="学员甲")
    make.user(employee_no="E3002", name="学员乙")
    hr, cls, detail = _class_with_session(client, auth, make, db)
    resp = _post_form(client, detail, f"{detail}/nominate", employee_nos="e3001, E3002")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "1 人获得名额，1 人进入候补" in page
    seats = page[page.index('id="seats"'):]
    assert "学员甲" in seats and "候补" in seats
    session = db.session.scalar(select(ClassSession).where(ClassSession.class_id == cls.id))
    assert session.checkin_code in page and "<svg" in page  # code and QR for the room
    auth.logout()

    auth.login("E3001")
    mine = client.get("/learn/classes").get_data(as_text=True)
    assert "GB-2026-01" in mine and "培训中心 301" in mine
    check_in = f"/learn/classes/sessions/{session.public_id}/check-in"
    assert check_in in mine
    resp = _post_form(client, check_in, check_in, code="WRONG1")
    assert resp.status_code == 422 and "签到码与现场显示的不一致" in resp.get_data(as_text=True)
    resp = _post_form(client, check_in, check_in, code=session.checkin_code.lower())
    assert resp.status_code == 302
    assert "签到成功" in client.get(resp.headers["Location"]).get_data(as_text=True)
    file = client.get("/learn/training-file").get_data(as_text=True)
    classes_part = file[file.index('id="file-classes"'):file.index('id="file-quizzes"')]
    assert "GB-2026-01" in classes_part and "2.0" in classes_part  # 90 min = 2 学时
    assert 'data-total="hours">2.0<' in file
    auth.logout()

    # HR corrects by hand: the person was not there after all
    auth.login(hr.employee_no)
    action = f"{detail}/sessions/{session.public_id}/attendance"
    data = form_fields(client.get(detail).get_data(as_text=True), action=action)
    assert data.get(f"s{session.id}-present") == str(first.id)  # ticked: checked in
    del data[f"s{session.id}-present"]
    resp = client.post(action, data=data, follow_redirects=True)
    assert "移除 1 人" in resp.get_data(as_text=True)
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "attendance_corrected"))
    assert event is not None and event.details["removed"] == ["E3001"]


def test_class_attended_is_a_requirement_certifications_can_name(client, auth, make, db):
    learner = make.user(employee_no="E3101")
    hr, cls, detail = _class_with_session(client, auth, make, db)
    certs.save_certification(
        None, code="C-CLASS", name_zh="现场培训合格", name_en="Class passed",
        description_zh="", description_en="", validity_months=None, recert_window_days=30,
        requirements=[("class", "GB-2026-01", None)], actor=hr)
    _post_form(client, detail, f"{detail}/nominate", employee_nos="E3101")
    session = db.session.scalar(select(ClassSession).where(ClassSession.class_id == cls.id))
    action = f"{detail}/sessions/{session.public_id}/attendance"
    data = form_fields(client.get(detail).get_data(as_text=True), action=action)
    data[f"s{session.id}-present"] = str(learner.id)
    client.post(action, data=data)
    award = db.session.scalar(select(Award).where(Award.user_id == learner.id))
    assert award is not None and "GB-2026-01" in str(award.evidence)


def test_learner_enrols_and_is_told_when_the_class_is_full(client, auth, make, db):
    make.user(employee_no="E3201")
    hr, cls, detail = _class_with_session(client, auth, make, db)
    _post_form(client, detail, f"{detail}/nominate", employee_nos="E3201")  # the one seat
    auth.logout()
    me = make.user()
    auth.login(me.employee_no)
    page = client.get("/learn/classes").get_data(as_text=True)
    action = f"/learn/classes/{cls.public_id}/enrol"
    resp = client.post(action, data=form_fields(page, action=action), follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "名额已满" in html and "候补" in html
    resp = client.post(action, data=form_fields(page, action=action), follow_redirects=True)
    assert "您已在该培训班中" in resp.get_data(as_text=True)


def test_bad_session_input_is_shown_next_to_the_field(client, auth, make, db):
    hr, cls, detail = _class_with_session(client, auth, make, db)
    resp = _post_form(client, detail, f"{detail}/sessions", day="2026-13-45", place="")
    assert resp.status_code == 422
    assert "invalid-feedback" in resp.get_data(as_text=True)
