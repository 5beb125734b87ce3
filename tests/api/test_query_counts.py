"""API lists run a bounded number of SQL queries whatever the number of rows on the page."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from lms.catalog import learning
from lms.catalog.models import Lesson
from lms.certification import rules as certs
from lms.rotation import plans as rotation
from tests.conftest import count_queries

PATHS = ("/api/v1/users", "/api/v1/enrollments", "/api/v1/awards", "/api/v1/rotation-plans",
         "/api/v1/xapi/statements", "/api/v1/org-units")


def _people_with_records(db, make, n: int, tag: str) -> None:
    hr = make.user(roles={"hr"})
    unit = make.unit(code=f"U-{tag}")
    course = make.course(f"QA-{tag}", lessons=1)
    lesson = db.session.scalar(select(Lesson).where(Lesson.course_id == course.id))
    cert = certs.save_certification(
        None, code=f"QC-{tag}", name_zh="认证", name_en="Cert", description_zh="",
        description_en="", validity_months=None, recert_window_days=30,
        requirements=[("course", course.code, None)], actor=hr)
    target = make.job_role(code=f"target-{tag}")
    for i in range(n):
        make.unit(code=f"U-{tag}-{i}", kind="branch", parent=unit)
        role = make.job_role(code=f"r-{tag}-{i}")
        user = make.user(employee_no=f"Q{tag}{i:03d}", org_unit=unit, job_role=role)
        learning.complete_lesson(user, course, lesson)
        certs.issue_manually(user, cert, hr, "seed")
        rotation.plan(user=user, to_role=target, mentor=hr, notes="", actor=hr,
                      start=date.today() + timedelta(days=7))


def _counts(app, api) -> dict[str, int]:
    api.get("/api/v1/job-roles")  # the token's last use is recorded once a minute: done now
    out = {}
    for path in PATHS:
        with count_queries(app) as counter:
            resp = api.get(path)
            assert resp.status_code == 200, (path, resp.json)
        out[path] = counter["n"]
    return out


def test_list_queries_do_not_grow_with_the_page(app, api, db, make):
    _people_with_records(db, make, 2, "A")
    small = _counts(app, api)
    _people_with_records(db, make, 10, "B")
    large = _counts(app, api)
    assert large == small
