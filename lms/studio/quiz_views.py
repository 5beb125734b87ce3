"""Studio pages for a course's quizzes: their settings and draw rules."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import apply_error
from lms.studio.bank_edits import delete_quiz, quiz_of, save_quiz
from lms.studio.checks import check_draft
from lms.studio.drafts import DraftInvalid, current_draft
from lms.studio.forms import DRAW_ROWS, ActionForm, QuizForm
from lms.studio.page_helpers import action_ok, editable_course, show_errors, simple_action

bp = Routes("author")


def _quiz_form_data(q: dict) -> dict:
    draw = [{"bank": r.get("bank", ""), "count": r.get("count"), "tag": r.get("tag") or ""}
            for r in q.get("draw") or []]
    draw += [{"bank": "", "count": None, "tag": ""}] * max(0, DRAW_ROWS - len(draw))
    return {"quiz_id": q.get("id", ""), "title_zh": (q.get("title") or {}).get("zh", ""),
            "title_en": (q.get("title") or {}).get("en", ""), "draw": draw,
            "pass_mark": q.get("pass_mark", 80), "max_attempts": q.get("max_attempts", 0),
            "time_limit_min": q.get("time_limit_min"),
            "review": q.get("review", "explanations"), "required": q.get("required", True)}


def _quiz_page(course, draft, old_id: str | None, quiz: dict | None):
    form = QuizForm(data=None if request.method == "POST" else _quiz_form_data(quiz or {}))
    choices = [("", "—")] + [(b["id"], f"{b['id']} ({len(b.get('questions') or [])})")
                             for b in draft.get("banks") or []]
    for entry in form.draw:
        entry.form.bank.choices = choices
    groups: dict = {}
    if form.validate_on_submit():
        rows = [i for i, e in enumerate(form.draw) if e.form.bank.data]
        data = {"id": (form.quiz_id.data or "").strip(),
                "title": {"zh": (form.title_zh.data or "").strip(),
                          "en": (form.title_en.data or "").strip()},
                "draw": [{"bank": form.draw[i].form.bank.data,
                          "count": form.draw[i].form.count.data,
                          **({"tag": form.draw[i].form.tag.data.strip()}
                             if (form.draw[i].form.tag.data or "").strip() else {})}
                         for i in rows],
                "pass_mark": form.pass_mark.data, "max_attempts": form.max_attempts.data,
                "time_limit_min": form.time_limit_min.data, "review": form.review.data,
                "required": bool(form.required.data)}
        for key in ("pass_mark", "max_attempts"):
            if data[key] is None:
                data.pop(key)

        def resolve(loc: str):
            parts = loc.split(".")
            if parts[0] == "draw" and len(parts) == 3 and int(parts[1]) < len(rows):
                return getattr(form.draw[rows[int(parts[1])]].form, parts[2], None)
            return {"id": form.quiz_id}.get(parts[0])

        try:
            key = save_quiz(course, current_user, old_id, data)
        except DraftInvalid as e:
            groups = show_errors(form, e.errors, resolve)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Quiz settings saved to the draft."), "success")
            return redirect(url_for("author.quiz_edit", code=course.code, quiz=key))
    found = check_draft(draft).quizzes.get(old_id, []) if old_id else []
    return render_template("author/quiz_form.html", course=course, form=form, groups=groups,
                           old_id=old_id, action=ActionForm(), found=found)


@bp.route("/courses/<code>/quizzes/new", methods=["GET", "POST"])
def quiz_new(code: str):
    course = editable_course(code)
    draft = current_draft(course)
    start = {"id": "final" if not draft["manifest"].get("quizzes") else "",
             "title": {"zh": "结业测验", "en": "Final quiz"}}
    return _quiz_page(course, draft, None, start)


@bp.route("/courses/<code>/quizzes/<quiz>", methods=["GET", "POST"])
def quiz_edit(code: str, quiz: str):
    course = editable_course(code)
    draft = current_draft(course)
    data = quiz_of(draft, quiz)
    if data is None:
        abort(404)
    return _quiz_page(course, draft, quiz, data)


@bp.post("/courses/<code>/quizzes/<quiz>/delete")
def quiz_delete(code: str, quiz: str):
    course = editable_course(code)
    action_ok()
    return simple_action(course, lambda: delete_quiz(course, current_user, quiz),
                         _("Quiz deleted from the draft."), "quizzes")
