"""The learner's pages. Courses, quizzes and practice arrive with their own features."""

from flask import Blueprint, render_template
from flask_login import current_user

bp = Blueprint("learn", __name__, url_prefix="/learn")


@bp.get("/")
def home():
    return render_template("learn/home.html", user=current_user)
