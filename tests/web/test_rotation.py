"""Job rotation: planning enrols the missing path, readiness is derived and updates itself,
the board warns, completing records the role history, managers are scoped to their team."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.catalog import learning
from lms.catalog.learning_models import Enrollment
from lms.catalog.models import Lesson
from lms.certification import rules as certs
from lms.core.errors import ServiceError
from lms.people.models import RoleAssignment, RoleRequirement, User
from lms.rotation import plans as rotation
from lms.rotation import readiness
from lms.rotation.models import RotationPlan


def _path(make, db):
    """A target role whose path is two courses and a certification on the first course."""
    first, second = make.course("ROT-1", quiz=False), make.course("ROT-2", quiz=False)
    hr = make.user(roles={"hr"})
    cert = certs.save_certification(
        None, code="C-ROT", name_zh="轮岗认证", name_en="Rotation cert", description_zh="",
        description_en="", validity_months=None, recert_window_days=30,
        requirements=[("course", "ROT-1", None)], actor=hr)
    role = make.job_role(code="account_manager_x", name_zh="客户经理X")
    db.session.add_all([
        RoleRequirement(job_role_id=role.id, kind="certification", ref=cert.code, position=0),
        RoleRequirement(job_role_id=role.id, kind="course", ref="ROT-2", position=1),
        RoleRequirement(job_role_id=role.id, kind="course", ref="ROT-1", position=2,
                        required=False)])
    db.session.commit()
    return first, second, role, hr


def _finish(db, user, course):
    for lesson in db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)):
        learning.complete_lesson(user, course, lesson)


def test_planning_enrols_the_missing_path_due_before_the_start(make, db):
    first, second, role, hr = _path(make, db)
    person = make.user()
    _finish(db, person, second)  # already done: not enrolled again
    start = date.today() + timedelta(days=30)
    plan, courses = rotation.plan(user=person, to_role=role, start=start, mentor=None,
                                  notes="", actor=hr)
    assert [c.code for c in courses] == ["ROT-1"]
    enrollment = db.session.scalar(select(Enrollment).where(
        Enrollment.user_id == person.id, Enrollment.course_id == first.id))
    assert enrollment.source == "rule" and enrollment.due_date == start - timedelta(days=7)
    with pytest.raises(ServiceError) as e:
        rotation.plan(user=person, to_role=role, start=start, mentor=None, notes="", actor=hr)
    assert e.value.field == "employee_no"  # one open plan per person


def test_readiness_is_derived_and_updates_as_the_person_learns(make, db):
    first, second, role, hr = _path(make, db)
    person = make.user()
    state = readiness.for_person(person.id, role)
    assert state.percent == 0 and len(state.gaps) == 2
    _finish(db, person, first)  # completes ROT-1 → the certification is issued
    state = readiness.for_person(person.id, role)
    assert state.percent == 50
    assert [i.met for i in state.items] == [True, False, True]
    _finish(db, person, second)
    assert readiness.for_person(person.id, role).percent == 100


def test_completing_records_history_and_board_columns(make, db):
    first, second, role, hr = _path(make, db)
    old_role = make.job_role()
    person = make.user(job_role=old_role)
    plan, _ = rotation.plan(user=person, to_role=role, start=date.today() + timedelta(days=10),
                            mentor=None, notes="", actor=hr)
    cards = rotation.board()
    assert [c.plan.id for c in cards["planned"]] == [plan.id]
    assert cards["planned"][0].warning is True  # 10 days to go at 0% readiness
    missing = rotation.complete(plan, hr)
    assert missing == ["C-ROT"]
    history = db.session.scalars(select(RoleAssignment).where(
        RoleAssignment.user_id == person.id).order_by(RoleAssignment.id)).all()
    assert [h.job_role_id for h in history] == [old_role.id, role.id]
    assert history[0].end_date == date.today() and history[1].end_date is None
    assert rotation.board()["moved"][0].plan.id == plan.id


def test_manager_plans_only_for_own_team_and_sees_only_it(client, make, login_as, auth, db):
    first, second, role, hr = _path(make, db)
    company = make.unit("company")
    mine, other = make.unit("branch", company), make.unit("branch", company)
    member = make.user(org_unit=mine, employee_no="E8101", name="本组甲")
    make.user(org_unit=other, employee_no="E8102", name="外组乙")
    outsider_plan, _ = rotation.plan(user=db.session.scalar(select(
        User).where(User.employee_no == "E8102")),
        to_role=role, start=date.today() + timedelta(days=40), mentor=None, notes="", actor=hr)
    login_as("manager", org_unit=mine)
    start = (date.today() + timedelta(days=40)).isoformat()
    resp = auth.post("/team/rotations/new", {"employee_no": "E8102", "to_role": str(role.id),
                                             "start_date": start})
    assert resp.status_code == 422 and "只能为本班组" in resp.get_data(as_text=True)
    resp = auth.post("/team/rotations/new", {"employee_no": "E8101", "to_role": str(role.id),
                                             "start_date": start, "notes": "培养为客户经理"})
    assert resp.status_code == 302
    board = client.get("/team/rotations").get_data(as_text=True)
    assert "本组甲" in board and "外组乙" not in board
    assert client.get(f"/team/rotations/{outsider_plan.public_id}").status_code == 404
    plan = db.session.scalar(select(RotationPlan).where(RotationPlan.user_id == member.id))
    page = client.get(f"/team/rotations/{plan.public_id}").get_data(as_text=True)
    assert "C-ROT" in page and "ROT-2" in page and "课程 ROT-1 学习中" in page


def test_bad_plan_input_is_shown_next_to_fields(client, make, login_as, auth, db):
    first, second, role, hr = _path(make, db)
    make.user(employee_no="E8201")
    login_as("hr")
    resp = auth.post("/hr/rotations/new", {"employee_no": "E8201", "to_role": str(role.id),
                                           "start_date": date.today().isoformat()})
    assert resp.status_code == 422 and "开始日期必须晚于今天" in resp.get_data(as_text=True)
    resp = auth.post("/hr/rotations/new", {"employee_no": "E8201", "to_role": str(role.id),
                                           "start_date": "not-a-date"})
    assert resp.status_code == 422
    resp = auth.post("/hr/rotations/new", {"employee_no": "NOBODY", "to_role": str(role.id),
                                           "start_date": "2099-01-01"})
    assert resp.status_code == 422 and "没有人使用这个工号" in resp.get_data(as_text=True)


def test_employee_sees_my_next_role(client, make, login_as, db):
    first, second, role, hr = _path(make, db)
    me = login_as("learner")
    rotation.plan(user=me, to_role=role, start=date.today() + timedelta(days=30), mentor=hr,
                  notes="", actor=hr)
    html = client.get("/learn/next-role").get_data(as_text=True)
    assert "客户经理X" in html and "就绪度 0%" in html and "C-ROT" in html


def test_skills_matrix_and_board_queries_do_not_grow(app, client, make, login_as, db):
    from tests.conftest import count_queries

    first, second, role, hr = _path(make, db)
    unit = make.unit()
    login_as("hr")

    def measure():
        out = []
        for path in ("/hr/rotations", f"/hr/skills?unit={unit.id}"):
            with count_queries(app) as counter:
                assert client.get(path).status_code == 200
            out.append(counter["n"])
        return out

    for i in range(2):
        person = make.user(org_unit=unit)
        rotation.plan(user=person, to_role=role, start=date.today() + timedelta(days=20 + i),
                      mentor=None, notes="", actor=hr)
    small = measure()
    for i in range(8):
        person = make.user(org_unit=unit)
        _finish(db, person, second)
        rotation.plan(user=person, to_role=role, start=date.today() + timedelta(days=30 + i),
                      mentor=None, notes="", actor=hr)
    assert measure() == small


def _post_rendered(client, path, form_id, follow=True):
    """GET the page, take the form `form_id` as the browser renders it, POST it."""
    from tests.forms import form_fields

    html = client.get(path).get_data(as_text=True)
    start = html.index(f'id="{form_id}"')
    form_html = html[html.rindex("<form", 0, start):]
    return client.post(path, data=form_fields(form_html), follow_redirects=follow)


def test_hr_records_the_move_in_the_browser(client, make, login_as, db):
    first, second, role, hr = _path(make, db)
    old_role = make.job_role()
    person = make.user(job_role=old_role, name="到岗人")
    plan, _ = rotation.plan(user=person, to_role=role, start=date.today() + timedelta(days=10),
                            mentor=None, notes="", actor=hr)
    login_as("hr")
    path = f"/hr/rotations/{plan.public_id}"
    resp = _post_rendered(client, path, "move-form", follow=False)
    assert resp.status_code == 302 and resp.headers["Location"].endswith(path)
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已记录到岗" in html and "客户经理X" in html
    assert "记录到岗</button>" not in html  # closed: the actions are gone
    db.session.expire_all()
    assert db.session.get(RotationPlan, plan.id).status == "moved"
    assert db.session.get(User, person.id).job_role_id == role.id
    board = client.get("/hr/rotations").get_data(as_text=True)
    moved = board[board.index('id="col-moved"'):board.index('id="col-cancelled"')]
    assert "到岗人" in moved and "到岗于" in moved


def test_manager_cancels_a_rotation_in_the_browser(client, make, login_as, db):
    first, second, role, hr = _path(make, db)
    unit = make.unit()
    person = make.user(org_unit=unit, name="取消人")
    plan, _ = rotation.plan(user=person, to_role=role, start=date.today() + timedelta(days=10),
                            mentor=None, notes="", actor=hr)
    login_as("manager", org_unit=unit)
    path = f"/team/rotations/{plan.public_id}"
    html = _post_rendered(client, path, "cancel-form").get_data(as_text=True)
    assert "轮岗计划已取消" in html
    db.session.expire_all()
    assert db.session.get(RotationPlan, plan.id).status == "cancelled"
    board = client.get("/team/rotations").get_data(as_text=True)
    cancelled = board[board.index('id="col-cancelled"'):]
    assert "取消人" in cancelled and "取消于" in cancelled
    assert "cancel-form" not in client.get(path).get_data(as_text=True)
