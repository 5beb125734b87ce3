"""Studio pages for a course as a whole: creating it, its page and settings, publishing,
discarding the draft, archiving and restoring, its editors and its history."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.catalog.package import PackageError
from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import apply_error
from lms.studio import publishing
from lms.studio.checks import check_draft
from lms.studio.drafts import DraftInvalid, current_draft, draft_problems
from lms.studio.editors import NotAllowed, add_editor, can_manage_editors, remove_editor
from lms.studio.editors import editors as course_editors
from lms.studio.forms import ActionForm, CourseForm, EditorForm, ModuleForm
from lms.studio.messages import explain
from lms.studio.outline_edits import create_course, update_meta
from lms.studio.page_helpers import (
    action_ok,
    back_to_course,
    editable_course,
    show_errors,
    simple_action,
)

bp = Routes("author")


@bp.route("/courses/new", methods=["GET", "POST"])
def course_new():
    form = CourseForm()
    groups: dict = {}
    if form.validate_on_submit():
        try:
            course = create_course(
                current_user, code=form.code.data or "", title_zh=form.title_zh.data,
                title_en=form.title_en.data, summary_zh=form.summary_zh.data,
                summary_en=form.summary_en.data, category=form.category.data,
                audience=form.audience.data or [], estimated_minutes=form.estimated_minutes.data)
        except DraftInvalid as e:
            groups = show_errors(form, e.errors)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Course %(c)s created as a draft. Add modules and lessons, then publish.",
                    c=course.code), "success")
            return redirect(url_for("author.course", code=course.code))
    return render_template("author/course_form.html", form=form, course=None, groups=groups)


@bp.get("/courses/<code>")
def course(code: str):
    course = editable_course(code)
    draft = current_draft(course)
    has_draft = course.draft is not None
    return render_template(
        "author/course.html", course=course, draft=draft, has_draft=has_draft,
        problems=draft_problems(course) if has_draft else [],
        checks=check_draft(draft), explain=explain, module_form=ModuleForm(), action=ActionForm(),
        can_manage=can_manage_editors(current_user, course))


@bp.route("/courses/<code>/settings", methods=["GET", "POST"])
def course_settings(code: str):
    course = editable_course(code)
    manifest = current_draft(course)["manifest"]
    form = CourseForm(data=None if request.method == "POST" else {
        "code": course.code, "title_zh": manifest["title"]["zh"],
        "title_en": manifest["title"]["en"], "summary_zh": manifest["summary"]["zh"],
        "summary_en": manifest["summary"]["en"], "category": manifest.get("category"),
        "audience": manifest.get("audience") or [],
        "estimated_minutes": manifest.get("estimated_minutes")})
    groups: dict = {}
    if form.validate_on_submit():
        try:
            update_meta(course, current_user, title_zh=form.title_zh.data,
                        title_en=form.title_en.data, summary_zh=form.summary_zh.data,
                        summary_en=form.summary_en.data, category=form.category.data,
                        audience=form.audience.data or [],
                        estimated_minutes=form.estimated_minutes.data)
        except DraftInvalid as e:
            groups = show_errors(form, e.errors)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Saved to the draft."), "success")
            return back_to_course(course)
    return render_template("author/course_form.html", form=form, course=course, groups=groups)


@bp.post("/courses/<code>/publish")
def publish(code: str):
    course = editable_course(code)
    action_ok()
    try:
        result, checks = publishing.publish(course, current_user)
    except PackageError as e:
        flash(_("The draft cannot be published yet: %(n)d problem(s), listed below.",
                n=len(e.problems)), "danger")
    except ServiceError as e:
        flash(str(e.message), "danger")
    else:
        flash(_("Published as version %(v)d (%(n)d change(s)). Learners see it now.",
                v=course.version, n=len(result.changes)), "success")
        if checks.warnings:
            flash(_("The question-bank checks left %(n)d warning(s); they did not block "
                    "publishing. Review them below.", n=checks.warnings), "warning")
    return back_to_course(course)


@bp.post("/courses/<code>/discard")
def discard(code: str):
    course = editable_course(code)
    action_ok()
    return simple_action(course, lambda: publishing.discard_draft(course, current_user),
                         _("The draft was discarded."))


@bp.post("/courses/<code>/archive")
def archive(code: str):
    course = editable_course(code)
    action_ok()
    return simple_action(course, lambda: publishing.archive(course, current_user),
                         _("Archived: the course has left the catalogue; its history and awards "
                           "stay."))


@bp.post("/courses/<code>/restore")
def restore(code: str):
    course = editable_course(code)
    action_ok()
    return simple_action(course, lambda: publishing.restore(course, current_user),
                         _("The course is back."))


@bp.route("/courses/<code>/editors", methods=["GET", "POST"])
def editors(code: str):
    course = editable_course(code)
    form = EditorForm()
    can_manage = can_manage_editors(current_user, course)
    if form.validate_on_submit():
        try:
            add_editor(course, current_user, form.employee_no.data or "",
                       form.role.data)
        except NotAllowed:
            abort(403)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("author.editors", code=course.code))
    return render_template("author/editors.html", course=course, form=form,
                           rows=course_editors(course), can_manage=can_manage,
                           action=ActionForm())


@bp.post("/courses/<code>/editors/<public_id>/remove")
def editor_remove(code: str, public_id: str):
    course = editable_course(code)
    action_ok()
    try:
        remove_editor(course, current_user, public_id)
    except NotAllowed:
        abort(403)
    except ServiceError as e:
        flash(str(e.message), "danger")
    else:
        flash(_("Removed."), "success")
    return redirect(url_for("author.editors", code=course.code))


@bp.get("/courses/<code>/history")
def history(code: str):
    course = editable_course(code)
    return render_template("author/history.html", course=course,
                           events=publishing.history(course), explain=explain)
