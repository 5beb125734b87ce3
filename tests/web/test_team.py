"""Team leaders see each person's courses, progress and overdue work, and assign a course
with a due date from the team page — posting the form as the browser renders it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from lms.catalog import learning
from lms.catalog.learning_models import Enrollment
from lms.catalog.models import Lesson
from tests.forms import form_fields


def _team(make, db):
    company = make.unit("company")
    mine, other = make.unit("branch", company), make.unit("branch", company)
    course = make.course("TEAM-1", quiz=False, lessons=4)
    late = make.course("TEAM-2", quiz=False, lessons=2)
    a = make.user(org_unit=mine, name="组员甲", employee_no="E7001")
    b = make.user(org_unit=mine, name="组员乙", employee_no="E7002")
    outsider = make.user(org_unit=other, name="外组丙", employee_no="E7003")
    return mine, course, late, a, b, outsider


def test_team_page_shows_progress_overdue_and_links(client, make, login_as, db):
    mine, course, late, a, b, outsider = _team(make, db)
    boss = make.user(roles={"hr"})
    learning.assign(course, [a, b], date.today() + timedelta(days=10), boss)
    learning.assign(late, [b], date.today() + timedelta(days=1), boss)
    lessons = db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)
                                 .order_by(Lesson.position)).all()
    learning.complete_lesson(a, course, lessons[0])  # 1 of 4 lessons: 25 %
    for lesson in lessons:
        learning.complete_lesson(b, course, lesson)  # b completed TEAM-1
    enrolment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == b.id,
                                                           Enrollment.course_id == late.id))
    enrolment.due_date = date.today() - timedelta(days=3)  # b is late with TEAM-2
    db.session.commit()
    login_as("manager", org_unit=mine)
    html = client.get("/team/").get_data(as_text=True)
    overdue = html[html.index('id="overdue"'):html.index('id="progress"')]
    assert "组员乙" in overdue and "TEAM-2" in overdue and "组员甲" not in overdue
    assert f'href="/team/people/{b.public_id}"' in overdue
    assert 'href="/learn/courses/TEAM-2"' in overdue
    table = html[html.index('id="progress"'):]
    assert "25%" in table and "已完成" in table and "已逾期" in table
    assert "外组丙" not in html
    assert 'data-total="overdue">1<' in html and 'data-total="completed">1<' in html
    assert 'data-total="started">2<' in html


def test_manager_assigns_a_course_from_the_team_page(client, make, login_as, db):
    mine, course, late, a, b, outsider = _team(make, db)
    login_as("manager", org_unit=mine)
    html = client.get("/team/").get_data(as_text=True)
    data = form_fields(html, action="/team/assign")
    assert data["course"] == "0" and "csrf_token" in data
    options = html[html.index('name="course"'):html.index("</select>", html.index(
        'name="course"'))]
    assert "TEAM-2" in options
    due = (date.today() + timedelta(days=14)).isoformat()
    data.update(course=str(late.id), due_date=due)
    post = {**data, "people": [str(a.id), str(b.id)]}
    resp = client.post("/team/assign", data=post)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/team/")
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已分配" in page and "2" in page
    rows = db.session.scalars(select(Enrollment).where(Enrollment.course_id == late.id)).all()
    assert sorted(e.user_id for e in rows) == sorted([a.id, b.id])
    assert all(e.due_date.isoformat() == due and e.source == "assigned" for e in rows)
    table = page[page.index('id="progress"'):]
    assert table.count('href="/learn/courses/TEAM-2"') == 2 and due in table


def test_bad_assignment_is_explained_next_to_the_field(client, make, login_as, db):
    mine, course, late, a, b, outsider = _team(make, db)
    login_as("manager", org_unit=mine)
    html = client.get("/team/assign").get_data(as_text=True)
    data = form_fields(html)
    assert "外组丙" not in html and "组员甲" in html
    resp = client.post("/team/assign", data={**data, "course": str(late.id)})
    assert resp.status_code == 422 and "请至少勾选一人" in resp.get_data(as_text=True)
    past = (date.today() - timedelta(days=1)).isoformat()
    resp = client.post("/team/assign", data={**data, "course": str(late.id),
                                             "due_date": past, "people": [str(a.id)]})
    assert resp.status_code == 422 and "截止日期已经过去" in resp.get_data(as_text=True)
    # someone outside the team is not a choice
    resp = client.post("/team/assign", data={**data, "course": str(late.id),
                                             "people": [str(outsider.id)]})
    assert resp.status_code == 422
    assert db.session.scalar(select(Enrollment.id).where(
        Enrollment.course_id == late.id)) is None


def test_team_page_shows_hours_and_reminds_the_overdue(client, make, login_as, db):
    mine, course, late, a, b, outsider = _team(make, db)
    boss = make.user(roles={"hr"})
    learning.assign(late, [a, b], date.today() + timedelta(days=1), boss)
    lessons = db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)).all()
    for lesson in lessons:
        lesson.minutes = 45  # 4 × 45 min = 4 学时
    db.session.commit()
    for lesson in lessons:
        learning.complete_lesson(a, course, lesson)
    enrolment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == b.id,
                                                           Enrollment.course_id == late.id))
    enrolment.due_date = date.today() - timedelta(days=1)
    db.session.commit()
    login_as("manager", org_unit=mine)
    html = client.get("/team/").get_data(as_text=True)
    hours = html[html.index('data-hours="E7001"'):]
    assert "本年 4.0 学时" in hours[:hours.index("</div>")]
    data = form_fields(html, action="/team/remind")
    resp = client.post("/team/remind", data=data, follow_redirects=True)
    assert "已为 1 项逾期课程发送提醒" in resp.get_data(as_text=True)
    from lms.notifications.models import Notification

    assert db.session.scalar(select(Notification.user_id).where(
        Notification.kind == "reminder")) == b.id
