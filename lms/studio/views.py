"""Trainers: the courses they look after and the statistics of their quizzes."""

from flask import abort, render_template
from sqlalchemy import select

from lms.assessment import quizzes
from lms.assessment.models import Quiz
from lms.catalog.models import Course
from lms.core.routes import Routes
from lms.extensions import db

bp = Routes("author")


@bp.get("/")
def index():
    courses = db.session.scalars(select(Course).order_by(Course.code)).all()
    quiz_rows = db.session.scalars(select(Quiz).order_by(Quiz.course_id, Quiz.key)).all()
    by_course: dict[int, list[Quiz]] = {}
    for q in quiz_rows:
        by_course.setdefault(q.course_id, []).append(q)
    from flask_login import current_user

    from lms.studio.editors import editable_course_ids

    return render_template("author/index.html", courses=courses, quizzes=by_course,
                           editable=editable_course_ids(current_user))


@bp.get("/quizzes/<public_id>/stats")
def quiz_stats(public_id: str):
    # Retired quizzes keep their statistics.
    quiz = db.session.scalar(select(Quiz).where(Quiz.public_id == public_id))
    if quiz is None:
        abort(404)
    return render_template("author/quiz_stats.html", quiz=quiz, s=quizzes.stats(quiz))
