"""Pages run a bounded number of SQL queries whatever the amount of data."""

from __future__ import annotations

from sqlalchemy import select

from lms.catalog import learning
from lms.catalog.models import Lesson
from tests.conftest import count_queries


def _queries(app, client, path):
    with count_queries(app) as counter:
        assert client.get(path).status_code == 200
    return counter["n"]


def _learner_with(make, db, n_courses, lessons):
    user = make.user()
    hr = make.user(roles={"hr"})
    for i in range(n_courses):
        course = make.course(f"QC{n_courses}-{i}", lessons=lessons)
        learning.assign(course, [user], None, hr)
        first = db.session.scalar(select(Lesson).where(Lesson.course_id == course.id)
                                  .order_by(Lesson.position))
        learning.complete_lesson(user, course, first)
    return user


def test_dashboard_and_course_page_queries_do_not_grow(app, client, make, auth, db):
    small = _learner_with(make, db, 2, 3)
    large = _learner_with(make, db, 8, 6)
    counts = {}
    for label, user, code in (("small", small, "QC2-0"), ("large", large, "QC8-0")):
        auth.login(user.employee_no)
        counts[label] = (_queries(app, client, "/learn/"),
                         _queries(app, client, f"/learn/courses/{code}"),
                         _queries(app, client, "/learn/catalog"))
        auth.logout()
    assert counts["small"] == counts["large"], counts
