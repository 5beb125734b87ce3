"""The learner's pages: dashboard, catalogue, course outline, lessons."""

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


@bp.get("/")
def home():
    from lms.certification import rules as certs

    groups = learning.dashboard(current_user)
    awards = [a for a in certs.awards_of(current_user.id) if a.status != "superseded"]
    return render_template("learn/home.html", user=current_user, groups=groups,
                           awards=awards, state=certs.state)


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
    from lms.catalog.forms import ActionForm

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
    from lms.catalog.forms import ActionForm

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


@bp.get("/awards/<code>/certificate.pdf")
def certificate(code: str):
    from lms.certification import rules as certs
    from lms.certification.files import certificate_response

    award = certs.award_by_code(code)
    if award is None or award.user_id != current_user.id:
        abort(404)
    return certificate_response(award)


@bp.route("/notifications", methods=["GET", "POST"])
def notifications():
    from lms.catalog.forms import ActionForm
    from lms.notifications import inbox

    form = ActionForm()
    if form.validate_on_submit():
        inbox.mark_all_read(current_user)
        return redirect(url_for("learn.notifications"))
    return render_template("learn/notifications.html", page=paginate(inbox.query(current_user)),
                           form=form)


@bp.get("/next-role")
def next_role():
    from lms.rotation import plans as rotation
    from lms.rotation import readiness

    plans = rotation.my_plans(current_user)
    active = next((p for p in plans if p.status == "active"), None)
    state = readiness.for_person(current_user.id, active.to_role) if active else None
    return render_template("learn/next_role.html", plans=plans, plan=active, state=state)
