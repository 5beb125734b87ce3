"""The one requirement registry: every kind checks one person and many people alike, and
the two defects the old, separate registries caused stay fixed."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lms.catalog import learning
from lms.catalog.models import Lesson
from lms.certification import rules as certs
from lms.certification.models import Award, Certification
from lms.core import requirements
from lms.core.requirements import Requirement
from lms.people.models import JobRole
from lms.rotation import readiness
from tests.conftest import csrf_from
from tests.forms import form_fields
from tests.web.test_certification import _finish_course

HALL = "quiet-weekday-hall"
GOOD_HALL = [2, 3, 3, 2, 2, 2, 3, 2, 2]


def _import_scenarios(db) -> None:
    from lms.practice.scenarios import import_builtins

    import_builtins()
    db.session.commit()


def _assessment_run(client, plan: list[int]) -> None:
    path = f"/learn/practice/scenarios/{HALL}/assessment"
    page = client.get(path).get_data(as_text=True)
    data = {k: v for k, v in form_fields(page).items() if k.startswith(("csrf", "co_"))}
    data.update({f"co_0_{h}": str(v) for h, v in enumerate(plan)})
    data["csrf_token"] = csrf_from(page)
    data["go"] = "run"
    resp = client.post(path, data=data)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    assert re.search(r"/practice/runs/", resp.headers["Location"])


def test_every_kind_agrees_between_one_person_and_many(make, db, client, auth):
    _import_scenarios(db)
    course = make.course("REG-1")
    done, halfway, nobody = make.user(), make.user(), make.user()
    _finish_course(db, done, course)
    learning.enroll(halfway, course)
    first = db.session.scalar(select(Lesson).where(Lesson.course_id == course.id))
    learning.complete_lesson(halfway, course, first)
    _finish_course(db, halfway, course, right=False)
    hr = make.user(roles={"hr"})
    certs.save_certification(
        None, code="REG-C", name_zh="认证", name_en="Cert", description_zh="",
        description_en="", validity_months=24, recert_window_days=60,
        requirements=[("course", course.code, None)], actor=hr)
    auth.login(done.employee_no)
    _assessment_run(client, GOOD_HALL)
    reqs = {
        "course": [Requirement("course", course.code), Requirement("course", "NOPE-1")],
        "quiz": [Requirement("quiz", f"{course.code}/final"),
                 Requirement("quiz", f"{course.code}/final", 100.0),
                 Requirement("quiz", "NOPE-1/final")],
        "scenario": [Requirement("scenario", HALL, 60.0), Requirement("scenario", HALL, 101.0)],
        "certification": [Requirement("certification", "REG-C"),
                          Requirement("certification", "NOPE")],
    }
    from datetime import UTC, datetime

    from lms.records import classes as classroom

    cls = classroom.create_class(code="REG-K", title_zh="培训班", title_en="", course_code="",
                                 capacity=5, description="", actor=hr)
    session = classroom.add_session(cls, starts_at=datetime.now(UTC), minutes=60, place="A",
                                    trainer="", actor=hr)
    classroom.nominate(cls, [done, halfway], hr)
    classroom.set_attendance(session, {done.id}, hr)
    reqs["class"] = [Requirement("class", "REG-K"), Requirement("class", "NOPE-K")]
    assert set(reqs) == set(requirements.KINDS), "a registered kind is not covered here"
    people = [done.id, halfway.id, nobody.id]
    for name, group in reqs.items():
        many = requirements.get(name).check_many(people, group)
        seen = set()
        for uid in people:
            for req in group:
                one = requirements.check(uid, req)
                assert (one.met, str(one.detail), one.score) == (
                    many[(uid, req)].met, str(many[(uid, req)].detail), many[(uid, req)].score
                ), (name, uid, req)
                seen.add(one.met)
        assert seen == {True, False}, f"{name}: the cases do not cover met and unmet"


def test_role_requirement_on_a_practice_score_is_met_after_a_passing_assessment(
        make, db, client, auth):
    """Defect: readiness said "not yet scored" after a passing assessment run."""
    _import_scenarios(db)
    role = make.job_role(code="dispatcher_x")
    hr = make.user(roles={"hr"})
    auth.login(hr.employee_no)
    path = f"/hr/job-roles/{role.code}/path"
    page = client.get(path).get_data(as_text=True)
    data = form_fields(page)
    data.update({"items-0-kind": "scenario", "items-0-ref": HALL, "items-0-min_score": "70",
                 "items-0-required": "1"})
    resp = client.post(path, data=data, follow_redirects=True)
    assert resp.status_code == 200 and HALL in resp.get_data(as_text=True)
    auth.logout()
    learner = make.user()
    auth.login(learner.employee_no)
    role = db.session.get(JobRole, role.id)
    before = readiness.for_person(learner.id, role)
    assert before.percent == 0
    _assessment_run(client, GOOD_HALL)
    after = readiness.for_person(learner.id, role)
    assert after.percent == 100, [str(i.detail) for i in after.items]


@pytest.mark.parametrize("order", ["dependent_first", "prerequisite_first"])
def test_a_prerequisite_issues_its_dependants_in_the_same_evaluation(make, db, order):
    """Defect: a certification needing another was missed when it had the lower id."""
    course = make.course("FIX-1")
    hr = make.user(roles={"hr"})

    def define(code, reqs):
        return certs.save_certification(
            None, code=code, name_zh=code, name_en=code, description_zh="",
            description_en="", validity_months=24, recert_window_days=60,
            requirements=reqs, actor=hr)

    if order == "dependent_first":
        dependent = define("DEP", [("course", course.code, None)])  # the lower id
        base = define("BASE", [("course", course.code, None)])
        certs.save_certification(
            dependent, code="DEP", name_zh="DEP", name_en="DEP", description_zh="",
            description_en="", validity_months=24, recert_window_days=60,
            requirements=[("certification", "BASE", None)], actor=hr)
    else:
        base = define("BASE", [("course", course.code, None)])
        dependent = define("DEP", [("certification", "BASE", None)])
    assert (dependent.id < base.id) == (order == "dependent_first")
    user = make.user()
    _finish_course(db, user, course)
    held = set(db.session.scalars(select(Certification.code).join(Award).where(
        Award.user_id == user.id, Award.status == "active")))
    assert held == {"BASE", "DEP"}
