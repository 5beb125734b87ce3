"""What the studio's pages share: the course the signed-in user may change (404/403
otherwise), the action-form check, and putting service errors next to their fields.
Every page of a course asks `can_edit` first (through `editable_course`); the services
check it again."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from lms.core.errors import ServiceError
from lms.studio.drafts import DraftInvalid
from lms.studio.editors import can_edit
from lms.studio.forms import ActionForm
from lms.studio.outline_edits import course_by_code


def editable_course(code: str):
    """The course, if the signed-in user may change it: 404 when there is no such course,
    403 when it is someone else's."""
    course = course_by_code(code)
    if course is None:
        abort(404)
    if not can_edit(current_user, course):
        abort(403)
    return course


def action_ok() -> ActionForm:
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    return form


def back_to_course(course, anchor: str = ""):
    return redirect(url_for("author.course", code=course.code) + (f"#{anchor}" if anchor else ""))


def _field(form, name: str):
    return getattr(form, name, None) if name and hasattr(form, name) else None


def show_errors(form, errors: dict[str, list[str]], resolve=None) -> dict[str, list[str]]:
    """Put each message next to its field; returns those that belong to a group of fields
    (e.g. "options", "draw") or to nothing in particular."""
    rest: dict[str, list[str]] = {}
    for loc, messages in errors.items():
        field = resolve(loc) if resolve else None
        if field is None:
            field = _field(form, loc.replace(".", "_")) or _field(form, loc.split(".")[0])
        if field is None or field.type in ("FieldList", "FormField"):
            rest.setdefault(loc.split(".")[0], []).extend(messages)
        else:
            field.errors = [*field.errors, *messages]
    return rest


def flash_errors(error: ServiceError) -> None:
    if isinstance(error, DraftInvalid):
        for messages in error.errors.values():
            for m in messages:
                flash(m, "danger")
    else:
        flash(str(error.message), "danger")


def simple_action(course, fn, done: str, anchor: str = ""):
    try:
        fn()
    except ServiceError as e:
        flash_errors(e)
    else:
        flash(done, "success")
    return back_to_course(course, anchor)
