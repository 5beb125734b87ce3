"""The learner's pages: catalogue, course outline, lessons."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.catalog import learning
from lms.catalog.forms import CatalogFilterForm, category_choices
from lms.catalog.markdown import render
from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import paginate

bp = Routes("learn")


def _course_or_404(code: str):
    course = learning.published_course(code)
    if course is None:
        abort(404)
    return course


@bp.get("/catalog")
def catalog():
    form = CatalogFilterForm(request.args)
    q, category, mine = "", "", ""
    if form.validate():
        q, category, mine = form.q.data or "", form.category.data, form.mine.data
    mine_map = learning.my_status_by_course(current_user)
    stmt = learning.catalog_query(q, category)
    if mine:
        from lms.catalog.models import Course

        ids = [cid for cid, st in mine_map.items() if st == mine]
        stmt = (stmt.where(Course.id.notin_(list(mine_map))) if mine == "not_enrolled"
                else stmt.where(Course.id.in_(ids)))
    return render_template("learn/catalog.html", form=form, page=paginate(stmt),
                           mine=mine_map, categories=dict(category_choices()))


@bp.get("/courses/<code>")
def course(code: str):
    course = _course_or_404(code)
    data = learning.outline(current_user, course)
    return render_template("learn/course.html", o=data, categories=dict(category_choices()))


@bp.post("/courses/<code>/enroll")
def enroll(code: str):
    course = _course_or_404(code)
    from lms.core.forms import ActionForm

    if ActionForm().validate_on_submit():
        try:
            learning.enroll(current_user, course)
        except ServiceError as e:
            flash(str(e.message), "danger")
        else:
            flash(_("You are enrolled. Start with the first lesson."), "success")
    return redirect(url_for("learn.course", code=course.code))


@bp.get("/courses/<code>/lessons/<slug>")
def lesson(code: str, slug: str):
    course = _course_or_404(code)
    lesson = learning.lesson_in(course, slug)
    if lesson is None:
        abort(404)
    learning.open_lesson(current_user, course, lesson)
    prev, nxt = learning.neighbours(lesson)
    return render_template("learn/lesson.html", course=course, lesson=lesson,
                           body=render(lesson.body_md), prev=prev, next=nxt,
                           done=learning.is_done(current_user, lesson))


@bp.post("/courses/<code>/lessons/<slug>/complete")
def complete(code: str, slug: str):
    course = _course_or_404(code)
    lesson = learning.lesson_in(course, slug)
    if lesson is None:
        abort(404)
    from lms.core.forms import ActionForm

    if not ActionForm().validate_on_submit():
        abort(400)
    finished = learning.complete_lesson(current_user, course, lesson)
    if request.accept_mimetypes.best == "application/json" or request.is_json:
        return jsonify(done=True, course_completed=finished)
    if finished:
        flash(_("Course completed. Well done!"), "success")
    _prev, nxt = learning.neighbours(lesson)
    if nxt is not None and request.form.get("go") == "next":
        return redirect(url_for("learn.lesson", code=course.code, slug=nxt.slug))
    return redirect(url_for("learn.lesson", code=course.code, slug=lesson.slug))
