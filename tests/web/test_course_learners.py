"""A trainer sees who was assigned their course, who started, finished or is overdue, their
best quiz score; exports the list and reminds those not finished."""

from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from lms.catalog import learning
from lms.catalog.learning_models import Enrollment
from lms.catalog.models import Lesson
from lms.notifications.models import Notification
from lms.studio.editors import grant
from tests.forms import form_fields


def _course_with_learners(make, db, trainer):
    course = make.course("LRN-1", quiz=False, lessons=2)
    grant(course, trainer, "owner")
    unit = make.unit()
    done, started, late, idle = (make.user(org_unit=unit, name=n, employee_no=no) for n, no in (
        ("完成者", "E6001"), ("学习者", "E6002"), ("逾期者", "E6003"), ("未开始", "E6004")))
    learning.assign(course, [done, started, late, idle], date.today() + timedelta(days=5),
                    trainer)
    lessons = db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)
                                 .order_by(Lesson.position)).all()
    for lesson in lessons:
        learning.complete_lesson(done, course, lesson)
    learning.complete_lesson(started, course, lessons[0])
    row = db.session.scalar(select(Enrollment).where(Enrollment.user_id == late.id))
    row.due_date = date.today() - timedelta(days=2)
    db.session.commit()
    return course, (done, started, late, idle)


def test_trainer_sees_who_started_finished_and_is_overdue(client, make, login_as, db):
    trainer = login_as("trainer")
    course, people = _course_with_learners(make, db, trainer)
    html = client.get("/author/courses/LRN-1/learners").get_data(as_text=True)
    assert 'href="/author/courses/LRN-1/learners"' in html  # a tab of the course
    table = html[html.index('id="learners"'):]
    def row(no):
        start = table.index(f'data-person="{no}"')
        return table[start:table.index("</tr>", start)]
    assert "已完成" in row("E6001") and "100%" in row("E6001")
    assert "50%" in row("E6002") and "学习中" in row("E6002")
    assert "已逾期" in row("E6003") and "table-danger" in table[
        table.rindex("<tr", 0, table.index('data-person="E6003"')):table.index(
            'data-person="E6003"')]
    assert "未开始" in row("E6004")
    assert 'data-total="started">2<' in html and 'data-total="overdue">1<' in html


def test_trainer_exports_and_reminds(client, make, login_as, db):
    trainer = login_as("trainer")
    course, (done, started, late, idle) = _course_with_learners(make, db, trainer)
    resp = client.get("/author/courses/LRN-1/learners.xlsx")
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.data)).active
    values = list(sheet.values)
    assert values[0][0] == "工号" and "状态" in values[0]
    assert len(values) == 5
    by_no = {r[0]: r for r in values[1:]}
    assert isinstance(by_no["E6001"][7], date)  # a real date cell
    csv_text = client.get("/author/courses/LRN-1/learners.csv").get_data(as_text=True)
    assert "逾期者" in csv_text and "已逾期" in csv_text
    html = client.get("/author/courses/LRN-1/learners").get_data(as_text=True)
    data = form_fields(html, action="/author/courses/LRN-1/learners/remind")
    resp = client.post("/author/courses/LRN-1/learners/remind", data=data,
                       follow_redirects=True)
    assert "已向 3 位未完成的人发送提醒" in resp.get_data(as_text=True)
    reminded = set(db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "reminder")))
    assert reminded == {started.id, late.id, idle.id}


def test_another_trainers_course_is_refused(client, make, login_as, db):
    owner = make.user(roles={"trainer"})
    _course_with_learners(make, db, owner)
    login_as("trainer")
    assert client.get("/author/courses/LRN-1/learners").status_code == 403
    assert client.get("/author/courses/LRN-1/learners.csv").status_code == 403
