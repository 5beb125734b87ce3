"""The learner's journey through a course, as the pages show it."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from lms.catalog import learning
from lms.catalog.learning_models import Enrollment
from lms.catalog.models import Lesson


def _lessons(db, course):
    return db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)
                              .order_by(Lesson.position)).all()


def test_catalog_search_works_in_chinese_and_hides_drafts(client, make, login_as):
    make.course("CAT-1", title_zh="智能电能表入门", summary_zh="采集系统基础")
    make.course("CAT-2", title_zh="营业厅服务规范", category="service")
    make.course("CAT-3", title_zh="草稿课程", status="draft")
    login_as("learner")
    html = client.get("/learn/catalog?q=电能表").get_data(as_text=True)
    assert "智能电能表入门" in html and "营业厅服务规范" not in html
    html = client.get("/learn/catalog?q=采集").get_data(as_text=True)
    assert "智能电能表入门" in html
    html = client.get("/learn/catalog").get_data(as_text=True)
    assert "草稿课程" not in html
    assert client.get("/learn/courses/CAT-3").status_code == 404
    assert client.get("/learn/catalog?category=nonsense").status_code == 200


def test_enrol_read_lessons_and_complete(client, make, login_as, auth, db):
    course = make.course("JRN-1", quiz=False)
    user = login_as("learner")
    page = client.get("/learn/courses/JRN-1").get_data(as_text=True)
    assert "第1课" in page and "选课" in page
    assert auth.post("/learn/courses/JRN-1/enroll", form_page="/learn/courses/JRN-1"
                     ).status_code == 302
    lessons = _lessons(db, course)
    html = client.get(f"/learn/courses/JRN-1/lessons/{lessons[0].slug}").get_data(as_text=True)
    assert "<table>" in html and "10 kWh" in html and "下一页" in html
    # "Next" marks the lesson finished and moves on.
    resp = auth.post(f"/learn/courses/JRN-1/lessons/{lessons[0].slug}/complete",
                     {"go": "next"}, form_page=f"/learn/courses/JRN-1/lessons/{lessons[0].slug}")
    assert resp.headers["Location"].endswith(lessons[1].slug)
    # Resume offers the lesson after the finished one.
    page = client.get("/learn/courses/JRN-1").get_data(as_text=True)
    assert "继续学习：第2课" in page
    for lesson in lessons[1:]:
        path = f"/learn/courses/JRN-1/lessons/{lesson.slug}"
        auth.post(f"{path}/complete", form_page=path, headers={"Accept": "application/json"})
    enrollment = learning.get_enrollment(user.id, course.id)
    db.session.refresh(enrollment)
    assert enrollment.completed_at is not None
    home = client.get("/learn/").get_data(as_text=True)
    assert "已完成" in home and course.title_zh in home


def test_marking_twice_stores_progress_once(client, make, login_as, auth, db):
    course = make.course("JRN-2", quiz=False)
    login_as("learner")
    lesson = _lessons(db, course)[0]
    path = f"/learn/courses/JRN-2/lessons/{lesson.slug}"
    for _ in range(3):
        resp = auth.post(f"{path}/complete", form_page=path,
                         headers={"Accept": "application/json"})
        assert resp.json["done"] is True
    from lms.catalog.learning_models import LessonProgress

    assert len(db.session.scalars(select(LessonProgress)).all()) == 1


def test_course_with_a_required_quiz_is_not_complete_on_lessons_alone(make, db):
    course = make.course("JRN-3", quiz=True)
    user = make.user()
    for lesson in _lessons(db, course):
        learning.complete_lesson(user, course, lesson)
    enrollment = learning.get_enrollment(user.id, course.id)
    assert enrollment.completed_at is None
    state = learning.outline(user, course).state
    assert state.lessons_complete and not state.complete
    assert [p.kind for p in state.parts] == ["quiz"]


def test_dashboard_orders_assigned_work_and_highlights_overdue(client, make, login_as, db):
    a = make.course("DUE-1", title_zh="课程甲", quiz=False)
    b = make.course("DUE-2", title_zh="课程乙", quiz=False)
    c = make.course("DUE-3", title_zh="课程丙", quiz=False)
    user = login_as("learner")
    hr = make.user(roles={"hr"})
    learning.assign(a, [user], date.today() + timedelta(days=20), hr)
    learning.assign(b, [user], date.today() + timedelta(days=5), hr)
    learning.assign(c, [user], date.today() + timedelta(days=9), hr)
    # An assignment that has since gone past its due date.
    db.session.scalar(select(Enrollment).where(Enrollment.course_id == c.id)).due_date = (
        date.today() - timedelta(days=1))
    db.session.commit()
    html = client.get("/learn/").get_data(as_text=True)
    assert html.index("课程丙") < html.index("课程乙") < html.index("课程甲")
    assert 'data-status="overdue"' in html and "已逾期" in html


def test_assigning_needs_a_published_course_and_a_future_date(make, db):
    import pytest

    from lms.core.errors import ServiceError

    draft = make.course("ASG-1", status="draft", quiz=False)
    live = make.course("ASG-2", quiz=False)
    hr, user = make.user(roles={"hr"}), make.user()
    with pytest.raises(ServiceError) as e:
        learning.assign(draft, [user], None, hr)
    assert e.value.field == "course"
    with pytest.raises(ServiceError) as e:
        learning.assign(live, [user], date.today() - timedelta(days=1), hr)
    assert e.value.field == "due_date"
    assert learning.assign(live, [user], None, hr) == (1, 0)
    assert learning.assign(live, [user], date.today(), hr) == (0, 1)


def test_lesson_markdown_is_sanitised(client, make, login_as, db, tmp_path):
    from tests.factories import import_package, write_package

    folder = write_package(tmp_path, "XSS-1", quiz=False)
    (folder / "lessons" / "01-lesson.md").write_text(
        '## 标题\n\n<script>alert("x")</script>\n\n<img src=x onerror=alert(1)>\n\n'
        '[点我](javascript:alert(1))\n', encoding="utf-8")
    course = import_package(folder)
    login_as("learner")
    lesson = _lessons(db, course)[0]
    html = client.get(f"/learn/courses/XSS-1/lessons/{lesson.slug}").get_data(as_text=True)
    body = html.split('class="lesson-body">')[1].split('<div id="lesson-end"')[0]
    import re

    tags = re.findall(r"<[a-zA-Z][^>]*>", body)
    assert tags and not [t for t in tags if "script" in t or "onerror" in t]
    assert "javascript:" not in " ".join(tags)
    assert "&lt;script&gt;" in body  # shown as text, inert


def test_unknown_lesson_is_404(client, make, login_as):
    make.course("NF-1", quiz=False)
    login_as("learner")
    assert client.get("/learn/courses/NF-1/lessons/nope").status_code == 404
    assert client.get("/learn/courses/NOPE/lessons/x").status_code == 404
