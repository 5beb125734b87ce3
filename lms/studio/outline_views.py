"""Studio pages for a course's outline: modules and lessons, and the Markdown preview."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.catalog.markdown import render
from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import apply_error
from lms.studio.checks import check_draft
from lms.studio.drafts import DraftInvalid, current_draft
from lms.studio.forms import LessonForm, ModuleForm, PreviewForm, UploadForm
from lms.studio.outline_edits import (
    add_lesson,
    add_module,
    delete_lesson,
    delete_module,
    lesson_of,
    move_lesson,
    move_module,
    next_slug,
    update_lesson,
    update_module,
)
from lms.studio.page_helpers import (
    action_ok,
    back_to_course,
    editable_course,
    show_errors,
    simple_action,
)

bp = Routes("author")


@bp.post("/courses/<code>/modules")
def module_add(code: str):
    course = editable_course(code)
    form = ModuleForm()
    if not form.validate_on_submit():
        abort(400)
    return simple_action(course, lambda: add_module(
        course, current_user, title_zh=form.title_zh.data, title_en=form.title_en.data),
        _("Module added."), "modules")


@bp.route("/courses/<code>/modules/<int:index>", methods=["GET", "POST"])
def module_edit(code: str, index: int):
    course = editable_course(code)
    modules = current_draft(course)["manifest"].get("modules") or []
    if not 0 <= index < len(modules):
        abort(404)
    title = modules[index]["title"]
    form = ModuleForm(data=None if request.method == "POST" else
                      {"title_zh": title["zh"], "title_en": title["en"]})
    if form.validate_on_submit():
        try:
            update_module(course, current_user, index, title_zh=form.title_zh.data,
                          title_en=form.title_en.data)
        except DraftInvalid as e:
            show_errors(form, e.errors)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Saved to the draft."), "success")
            return back_to_course(course, "modules")
    return render_template("author/module_form.html", course=course, form=form, index=index)


@bp.post("/courses/<code>/modules/<int:index>/move")
def module_move(code: str, index: int):
    course = editable_course(code)
    form = action_ok()
    return simple_action(course, lambda: move_module(course, current_user, index,
                                                     form.direction.data),
                         _("Module moved."), "modules")


@bp.post("/courses/<code>/modules/<int:index>/delete")
def module_delete(code: str, index: int):
    course = editable_course(code)
    action_ok()
    return simple_action(course, lambda: delete_module(course, current_user, index),
                         _("Module deleted with its lessons."), "modules")


def _module_choices(draft) -> list[tuple[int, str]]:
    return [(i, f"{i + 1}. {m['title']['zh']}")
            for i, m in enumerate(draft["manifest"].get("modules") or [])]


def _lesson_page(course, form, draft, slug=None, groups=None):
    found = check_draft(draft).lessons.get(slug, []) if slug else []
    return render_template("author/lesson_form.html", course=course, form=form, slug=slug,
                           found=found,
                           preview=render(form.body.data or ""), upload_form=UploadForm(),
                           groups=groups or {}, is_new=slug is None)


@bp.route("/courses/<code>/modules/<int:index>/lessons/new", methods=["GET", "POST"])
def lesson_new(code: str, index: int):
    course = editable_course(code)
    draft = current_draft(course)
    if not 0 <= index < len(draft["manifest"].get("modules") or []):
        abort(404)
    form = LessonForm(data=None if request.method == "POST" else {
        "module": index, "slug": next_slug(draft), "minutes": 10,
        "body": _("## Learning goals\n\n- \n\n## \n\n## Worked example\n\n## Summary\n")})
    form.module.choices = _module_choices(draft)
    groups: dict = {}
    if form.validate_on_submit():
        try:
            slug = add_lesson(course, current_user, index, slug=form.slug.data or "",
                              title_zh=form.title_zh.data, title_en=form.title_en.data,
                              minutes=form.minutes.data, body=form.body.data or "",
                              topic=form.topic.data)
        except DraftInvalid as e:
            groups = show_errors(form, e.errors)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Lesson added to the draft."), "success")
            return redirect(url_for("author.lesson_edit", code=course.code, slug=slug))
    return _lesson_page(course, form, draft, groups=groups)


@bp.route("/courses/<code>/lessons/<slug>", methods=["GET", "POST"])
def lesson_edit(code: str, slug: str):
    course = editable_course(code)
    draft = current_draft(course)
    lesson = lesson_of(draft, slug)
    if lesson is None:
        abort(404)
    form = LessonForm(data=None if request.method == "POST" else {
        "slug": slug, "module": lesson["module"], "title_zh": lesson["title"]["zh"],
        "title_en": lesson["title"]["en"], "minutes": lesson["minutes"],
        "topic": lesson["topic"], "body": lesson["body"]})
    form.module.choices = _module_choices(draft)
    groups: dict = {}
    if form.validate_on_submit():
        try:
            update_lesson(course, current_user, slug, title_zh=form.title_zh.data,
                          title_en=form.title_en.data, minutes=form.minutes.data,
                          body=form.body.data or "", module_index=form.module.data,
                          topic=form.topic.data)
        except DraftInvalid as e:
            groups = show_errors(form, e.errors)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Saved to the draft. Learners see it when the course is published."),
                  "success")
            return redirect(url_for("author.lesson_edit", code=course.code, slug=slug))
    return _lesson_page(course, form, draft, slug=slug, groups=groups)


@bp.post("/courses/<code>/lessons/<slug>/move")
def lesson_move(code: str, slug: str):
    course = editable_course(code)
    form = action_ok()
    return simple_action(course, lambda: move_lesson(course, current_user, slug,
                                                     form.direction.data),
                         _("Lesson moved."), "modules")


@bp.post("/courses/<code>/lessons/<slug>/delete")
def lesson_delete(code: str, slug: str):
    course = editable_course(code)
    action_ok()
    return simple_action(course, lambda: delete_lesson(course, current_user, slug),
                         _("Lesson deleted from the draft."), "modules")


@bp.post("/preview")
def preview():
    """Markdown → the exact HTML learners get (same renderer, same sanitiser)."""
    form = PreviewForm()
    if not form.validate_on_submit():
        abort(400)
    return Response(str(render(form.body.data or "")), mimetype="text/html")
