"""Quiz pages: start, answer with autosave and a countdown, submit once, review."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.assessment import quizzes
from lms.assessment.forms import answers_from, attempt_form
from lms.catalog.markdown import render, render_inline
from lms.core.errors import ServiceError
from lms.core.forms import ActionForm
from lms.core.routes import Routes

bp = Routes("learn")


def _quiz_or_404(public_id: str):
    quiz = quizzes.quiz_by_public_id(public_id)
    if quiz is None or quiz.course.status != "published":
        abort(404)
    return quiz


def _attempt_or_404(public_id: str):
    attempt = quizzes.attempt_for(current_user, public_id)
    if attempt is None:
        abort(404)
    return attempt


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.get("/quizzes/<public_id>")
def quiz(public_id: str):
    quiz = _quiz_or_404(public_id)
    attempts = quizzes.attempts_of(current_user, quiz)
    return render_template("learn/quiz.html", quiz=quiz, attempts=attempts,
                           left=quizzes.attempts_left(
                               quiz, quizzes.attempts_used(current_user, quiz, attempts),
                               quizzes.allowed(current_user, quiz)),
                           form=ActionForm())


@bp.post("/quizzes/<public_id>/start")
def quiz_start(public_id: str):
    quiz = _quiz_or_404(public_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        attempt = quizzes.start_or_resume(current_user, quiz)
    except ServiceError as e:
        flash(str(e.message), "danger")
        return redirect(url_for("learn.quiz", public_id=quiz.public_id))
    return redirect(url_for("learn.attempt", public_id=attempt.public_id))


@bp.get("/attempts/<public_id>")
def attempt(public_id: str):
    attempt = _attempt_or_404(public_id)
    if attempt.submitted_at is None and quizzes.is_expired(attempt):
        quizzes.submit(current_user, attempt)
        flash(_("Time was up. The quiz was graded on the answers saved in time."), "warning")
    if attempt.submitted_at is not None:
        return redirect(url_for("learn.attempt_result", public_id=attempt.public_id))
    items = quizzes.items(attempt)
    return render_template("learn/attempt.html", attempt=attempt, quiz=attempt.quiz,
                           items=items, form=attempt_form(items), md=render,
                           md_inline=render_inline)


@bp.post("/attempts/<public_id>/save")
def attempt_save(public_id: str):
    attempt = _attempt_or_404(public_id)
    items = quizzes.items(attempt)
    form = attempt_form(items, request.form)
    if not form.validate_on_submit():
        return jsonify(saved=False, error=_("The page has expired. Reload it; your saved "
                                            "answers stay.")), 400
    try:
        stamp = quizzes.save_answers(current_user, attempt, answers_from(form, items))
    except ServiceError as e:
        return jsonify(saved=False, error=str(e.message)), 409
    answered = sum(1 for v in answers_from(form, items).values() if v not in (None, "", []))
    return jsonify(saved=True, saved_at=stamp.isoformat(), answered=answered)


@bp.post("/attempts/<public_id>/submit")
def attempt_submit(public_id: str):
    attempt = _attempt_or_404(public_id)
    items = quizzes.items(attempt)
    form = attempt_form(items, request.form)
    if not form.validate_on_submit():
        abort(400)
    try:
        quizzes.submit(current_user, attempt, answers_from(form, items))
    except ServiceError as e:
        flash(str(e.message), "danger")
    return redirect(url_for("learn.attempt_result", public_id=attempt.public_id))


@bp.get("/attempts/<public_id>/result")
def attempt_result(public_id: str):
    attempt = _attempt_or_404(public_id)
    if attempt.submitted_at is None:
        return redirect(url_for("learn.attempt", public_id=attempt.public_id))
    quiz = attempt.quiz
    return render_template("learn/attempt_result.html", attempt=attempt, quiz=quiz,
                           items=quizzes.items(attempt) if quiz.review != "score" else [],
                           md=render, md_inline=render_inline)
