"""Trainers: the courses they look after and the statistics of their quizzes."""

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from ..extensions import db
from ..models import Course, Quiz
from ..services import quizzes

bp = Blueprint("author", __name__, url_prefix="/author")


@bp.get("/")
def index():
    courses = db.session.scalars(select(Course).order_by(Course.code)).all()
    quiz_rows = db.session.scalars(select(Quiz).order_by(Quiz.course_id, Quiz.key)).all()
    by_course: dict[int, list[Quiz]] = {}
    for q in quiz_rows:
        by_course.setdefault(q.course_id, []).append(q)
    return render_template("author/index.html", courses=courses, quizzes=by_course)


@bp.get("/quizzes/<public_id>/stats")
def quiz_stats(public_id: str):
    quiz = quizzes.quiz_by_public_id(public_id)
    if quiz is None:
        abort(404)
    return render_template("author/quiz_stats.html", quiz=quiz, s=quizzes.stats(quiz))
