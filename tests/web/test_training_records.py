"""Training records: hours (学时) from completed lessons' minutes, each person's training file
(courses, quiz results, practice, certificates — printable and exportable), and the hours
report per unit and period, with an export of one row per person."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

from openpyxl import load_workbook
from sqlalchemy import select

from lms.assessment.models import Attempt, Quiz
from lms.catalog import learning
from lms.catalog.models import Lesson
from lms.certification import rules as certs
from tests.forms import form_fields


def _org(make, db):
    company = make.unit("company", name_zh="供电公司")
    branch = make.unit("branch", company, name_zh="城区分公司", code="BR-A")
    team = make.unit("division", branch, name_zh="营业班", code="TM-A")
    other = make.unit("branch", company, name_zh="郊区分公司", code="BR-B")
    role = make.job_role(name_zh="柜员")
    busy = make.user(org_unit=team, job_role=role, name="学得多", employee_no="E5001")
    idle = make.user(org_unit=branch, name="没学过", employee_no="E5002")
    far = make.user(org_unit=other, name="外单位", employee_no="E5003")
    course = make.course("HRS-1", quiz=False, lessons=3)
    for lesson in db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)):
        lesson.minutes = 30  # 3 × 30 min = 90 min = 2 学时
    db.session.commit()
    hr = make.user(roles={"hr"})
    cert = certs.save_certification(
        None, code="C-HRS", name_zh="学时认证", name_en="Hours cert", description_zh="",
        description_en="", validity_months=None, recert_window_days=30,
        requirements=[("course", "HRS-1", None)], actor=hr)
    for lesson in db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)):
        learning.complete_lesson(busy, course, lesson)
    quizzed = make.course("HRS-2", quiz=True, lessons=1)
    quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == quizzed.id))
    db.session.add(Attempt(quiz_id=quiz.id, user_id=busy.id, number=1, layout=[],
                           submitted_at=datetime.now(UTC), score=92.0, passed=True))
    db.session.commit()
    return dict(company=company, branch=branch, team=team, other=other, busy=busy,
                idle=idle, far=far, cert=cert)


def test_hr_filters_the_hours_report_and_sees_units_rolled_up(client, make, login_as, db):
    o = _org(make, db)
    login_as("hr")
    html = client.get("/hr/training-hours").get_data(as_text=True)
    data = form_fields(html, action="/hr/training-hours")
    assert data["start"] == date(date.today().year, 1, 1).isoformat()
    data.update(unit=str(o["branch"].id), target="1")
    resp = client.get("/hr/training-hours?" + urlencode(data))
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    people = html[html.index('id="hours-people"'):]
    assert "学得多" in people and "没学过" in people and "外单位" not in people
    row = people[people.index('data-person="E5001"'):]
    assert "2.0" in row[:row.index("</tr>")]
    units = html[html.index('id="hours-units"'):html.index('id="hours-people"')]
    branch = units[units.index('data-unit="BR-A"'):]
    branch = branch[:branch.index("</tr>")]
    # branch: its own idle person + the team's busy one (rolled up): 2 people, 2.0 h, 1 behind
    assert "<td>2</td><td>2.0</td><td>1.0</td><td>1</td>" in branch
    assert 'data-unit="TM-A"' in units and 'data-unit="BR-B"' not in units
    assert 'data-total="behind">1<' in html
    assert 'data-y-title="人均学时（学时）"' in html and 'data-x-title="组织单位"' in html


def test_hours_export_has_one_row_per_person_chinese_headers_and_dates(client, make, login_as,
                                                                       db):
    _org(make, db)
    login_as("hr")
    html = client.get("/hr/training-hours").get_data(as_text=True)
    link = html[html.index('href="/hr/training-hours.xlsx'):]
    link = link[len('href="'):link.index('"', len('href="'))].replace("&amp;", "&")
    resp = client.get(link)
    assert resp.status_code == 200
    rows = list(load_workbook(io.BytesIO(resp.data)).active.values)
    assert rows[0][:3] == ("工号", "姓名", "组织单位") and "培训学时" in rows[0]
    by_no = {r[0]: r for r in rows[1:]}
    assert {"E5001", "E5002", "E5003"} <= set(by_no)  # people with nothing included
    busy, idle = by_no["E5001"], by_no["E5002"]
    hours_col = rows[0].index("培训学时")
    assert busy[hours_col] == 2.0 and idle[hours_col] == 0
    assert isinstance(busy[rows[0].index("最近完成日期")], datetime)  # a real date cell
    assert isinstance(idle[rows[0].index("统计起始日")], datetime)
    csv_text = client.get(link.replace(".xlsx", ".csv")).get_data(as_text=True)
    assert csv_text.startswith("\ufeff工号,姓名")


def test_training_file_lists_courses_hours_quizzes_and_certificates(client, make, login_as, db):
    o = _org(make, db)
    login_as("hr")
    html = client.get(f"/hr/people/{o['busy'].public_id}").get_data(as_text=True)
    assert f'href="/hr/people/{o["busy"].public_id}/training-file"' in html
    html = client.get(f"/hr/people/{o['busy'].public_id}/training-file").get_data(as_text=True)
    courses = html[html.index('id="file-courses"'):html.index('id="file-quizzes"')]
    assert "HRS-1" in courses and "2.0" in courses
    assert "92" in html[html.index('id="file-quizzes"'):html.index('id="file-practice"')]
    assert "学时认证" in html[html.index('id="file-awards"'):]  # issued on completing HRS-1
    assert 'data-total="hours">2.0<' in html and "window.print()" in html
    resp = client.get(f"/hr/people/{o['busy'].public_id}/training-file.xlsx")
    rows = list(load_workbook(io.BytesIO(resp.data)).active.values)
    assert rows[0][0] == "类别" and rows[1][1] == "HRS-1" and rows[1][4] == 2.0
    assert isinstance(rows[1][3], datetime)
    from lms.core.audit import AuditEvent

    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "personal_data_exported")) is not None


def test_manager_sees_team_hours_and_files_only_of_the_team(client, make, login_as, db):
    o = _org(make, db)
    login_as("manager", org_unit=o["branch"])
    html = client.get("/team/training-hours").get_data(as_text=True)
    assert "学得多" in html and "外单位" not in html
    assert client.get(f"/team/people/{o['busy'].public_id}/training-file").status_code == 200
    assert client.get(f"/team/people/{o['far'].public_id}/training-file").status_code == 404
    # choosing a unit outside the team keeps the team
    html = client.get(f"/team/training-hours?unit={o['other'].id}").get_data(as_text=True)
    assert "外单位" not in html


def test_bad_period_is_explained_next_to_the_field(client, make, login_as, db):
    _org(make, db)
    login_as("hr")
    data = form_fields(client.get("/hr/training-hours").get_data(as_text=True),
                       action="/hr/training-hours")
    data.update(start=date.today().isoformat(),
                end=(date.today() - timedelta(days=3)).isoformat())
    resp = client.get("/hr/training-hours?" + urlencode(data))
    assert resp.status_code == 422 and "截止日期不能早于起始日期" in resp.get_data(as_text=True)


def test_learner_sees_own_training_file(client, make, login_as, db):
    me = login_as("learner")
    html = client.get("/learn/").get_data(as_text=True)
    assert 'href="/learn/training-file"' in html
    html = client.get("/learn/training-file").get_data(as_text=True)
    assert me.name in html and "尚未完成任何课程" in html


def test_hr_sets_yearly_requirements_and_sees_who_is_behind(client, make, login_as, db):
    o = _org(make, db)
    busy_role = o["busy"].job_role_id
    login_as("hr")
    html = client.get("/hr/training-hours").get_data(as_text=True)
    assert "尚未设定年度学时要求" in html and 'data-total="behind">—<' in html
    page = client.get("/hr/training-hours/targets").get_data(as_text=True)
    data = form_fields(page, action="/hr/training-hours/targets")
    data["general"] = "1"
    role_entry = next(k for k, v in data.items() if k.endswith("-role_id")
                      and v == str(busy_role))
    data[role_entry.replace("-role_id", "-hours")] = "3"  # 柜员 need 3, others 1
    bad = {**data, "general": "-5"}
    resp = client.post("/hr/training-hours/targets", data=bad)
    assert resp.status_code == 422 and "invalid-feedback" in resp.get_data(as_text=True)
    resp = client.post("/hr/training-hours/targets", data=data, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "年度学时要求已保存" in html and "与人力资源为各岗位" in html
    # busy has 2.0 of 3 (behind); idle, far and the two HR accounts 0 of 1: 5 behind
    assert 'data-total="behind">5<' in html
    assert '<tr data-person="E5001" class="table-warning">' in html
    row = html[html.index('data-person="E5001"'):]
    assert "<td>3.0</td>" in row[:row.index("</tr>")]
