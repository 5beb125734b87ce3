"""`flask lms seed-bench` builds a data set the services agree with."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from lms.assessment import quizzes
from lms.assessment.models import Attempt, Question, Response
from lms.catalog import progress
from lms.catalog.learning_models import Enrollment, LessonProgress
from lms.catalog.models import Course
from lms.certification import rules as certification
from lms.certification.models import Award, Certification
from lms.people.models import User
from lms.rotation.models import RotationPlan
from lms.seed import bench as bench_data
from tests.conftest import Auth

# Slow (servers, fuzzing, long replications): `make test-fast` leaves it out.
pytestmark = pytest.mark.slow


def test_seed_bench_builds_a_consistent_data_set(runner, db, app):
    result = runner.invoke(args=["lms", "seed-bench", "--employees", "50"])
    assert result.exit_code == 0, result.output
    assert "Bench data ready" in result.output and bench_data.BENCH_PASSWORD in result.output
    people = db.session.scalar(select(func.count(User.id)))
    assert 50 <= people <= 90
    assert db.session.scalar(select(func.count(LessonProgress.id))) > 30 * people

    # Completion is recorded exactly when the progress rule says the course is complete.
    courses = {c.id: c for c in db.session.scalars(select(Course))}
    enrollments = db.session.scalars(select(Enrollment)).all()
    assert Counter(e.completed_at is not None for e in enrollments)[True] > len(enrollments) / 3
    for e in enrollments:
        state = progress.course_state(e.user_id, courses[e.course_id])
        assert state.complete == (e.completed_at is not None), (e.user_id, e.course_id)
        if e.completed_at is not None:
            last = db.session.scalar(select(func.max(LessonProgress.completed_at)).where(
                LessonProgress.user_id == e.user_id, LessonProgress.course_id == e.course_id))
            assert last <= e.completed_at

    # Scores follow from the stored answers, graded by the quiz engine's own rule.
    for attempt in db.session.scalars(select(Attempt).where(Attempt.submitted_at.is_not(None))
                                      .limit(300)):
        rows = db.session.execute(select(Response, Question).join(
            Question, Question.id == Response.question_id).where(
            Response.attempt_id == attempt.id)).all()
        assert len(rows) == len(attempt.layout)
        right = sum(quizzes.is_correct(q, r.answer) for r, q in rows)
        assert all(quizzes.is_correct(q, r.answer) == r.correct for r, q in rows)
        assert attempt.score == round(100.0 * right / len(attempt.layout), 1)
        assert attempt.passed == (attempt.score >= attempt.quiz.pass_mark)

    # Awards: every state appears; a valid award's requirements are really met; one active
    # award per person and certification.
    states = Counter(certification.state(a) for a in db.session.scalars(select(Award)))
    assert {"valid", "expired", "superseded"} <= set(states), states
    for award in db.session.scalars(select(Award).where(Award.status == "active")):
        if certification.state(award) in ("valid", "expiring"):
            checks = certification.evaluate(award.user_id, award.certification)
            assert all(c.met for c in checks), [c.detail for c in checks]
    pairs = db.session.execute(select(Award.user_id, Award.certification_id, func.count())
                               .where(Award.status == "active")
                               .group_by(Award.user_id, Award.certification_id)).all()
    assert all(n == 1 for *_k, n in pairs)
    assert db.session.scalar(select(func.count(Certification.id))) >= 5
    assert {s for (s,) in db.session.execute(select(RotationPlan.status).distinct())} == {
        "active", "moved", "cancelled"}

    # The named accounts sign in with the printed password.
    for no, *_rest in bench_data.NAMED[:4]:
        assert Auth(app.test_client()).login(no, bench_data.BENCH_PASSWORD).status_code == 302


def test_seed_bench_refuses_a_database_with_data_unless_reset(runner, db):
    assert runner.invoke(args=["lms", "seed-bench", "--employees", "10"]).exit_code == 0
    people = db.session.scalar(select(func.count(User.id)))
    again = runner.invoke(args=["lms", "seed-bench", "--employees", "10"])
    assert again.exit_code == 1
    assert again.output.strip().splitlines()[-1].startswith("Error: the database already")
    assert db.session.scalar(select(func.count(User.id))) == people
    reset = runner.invoke(args=["lms", "seed-bench", "--employees", "10", "--reset"])
    assert reset.exit_code == 0, reset.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count(User.id))) == people
