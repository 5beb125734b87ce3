"""Studio pages for a course's question banks and their questions."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.catalog.markdown import render, render_inline
from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import apply_error
from lms.studio.bank_edits import (
    add_bank,
    bank_of,
    check_question,
    delete_bank,
    delete_question,
    move_question,
    question_spec,
    save_question,
    update_bank,
)
from lms.studio.checks import check_draft
from lms.studio.drafts import DraftInvalid, current_draft
from lms.studio.forms import MAX_OPTIONS, ActionForm, BankForm, QuestionForm
from lms.studio.page_helpers import (
    action_ok,
    editable_course,
    flash_errors,
    show_errors,
    simple_action,
)

bp = Routes("author")


def _bank_or_404(draft, bank_id: str) -> dict:
    bank = bank_of(draft, bank_id)
    if bank is None:
        abort(404)
    return bank


@bp.route("/courses/<code>/banks/new", methods=["GET", "POST"])
def bank_new(code: str):
    course = editable_course(code)
    form = BankForm()
    if request.method == "GET" and not form.bank_id.data:
        form.bank_id.data = f"{course.code.lower()}-main"
    if form.validate_on_submit():
        try:
            bank_id = add_bank(course, current_user, bank_id=form.bank_id.data or "",
                               title_zh=form.title_zh.data, title_en=form.title_en.data)
        except DraftInvalid as e:
            show_errors(form, e.errors, lambda loc: form.bank_id if loc == "id" else None)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Question bank added. Now add its questions."), "success")
            return redirect(url_for("author.bank_edit", code=course.code, bank=bank_id))
    return render_template("author/bank.html", course=course, form=form, bank=None)


@bp.route("/courses/<code>/banks/<bank>", methods=["GET", "POST"])
def bank_edit(code: str, bank: str):
    course = editable_course(code)
    draft = current_draft(course)
    data = _bank_or_404(draft, bank)
    form = BankForm(data=None if request.method == "POST" else {
        "bank_id": data["id"], "title_zh": data["title"]["zh"], "title_en": data["title"]["en"]})
    if form.validate_on_submit():
        try:
            update_bank(course, current_user, bank, title_zh=form.title_zh.data,
                        title_en=form.title_en.data)
        except DraftInvalid as e:
            show_errors(form, e.errors)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Saved to the draft."), "success")
            return redirect(url_for("author.bank_edit", code=course.code, bank=bank))
    checks = check_draft(draft)
    return render_template("author/bank.html", course=course, form=form, bank=data,
                           action=ActionForm(), md_inline=render_inline,
                           bank_findings=[f for f in checks.banks.get(bank, []) if not f.question],
                           question_findings=checks.questions(bank))


@bp.post("/courses/<code>/banks/<bank>/delete")
def bank_delete(code: str, bank: str):
    course = editable_course(code)
    action_ok()
    return simple_action(course, lambda: delete_bank(course, current_user, bank),
                         _("Question bank deleted from the draft."), "banks")


def _split(text: str) -> list[str]:
    return [x for x in re.split(r"[\s,，]+", text or "") if x]


def _number(value: str, field: str, errors: dict, required: bool):
    value = (value or "").strip().replace(",", ".")
    if not value:
        if required:
            errors[field] = [_("Enter the correct number.")]
        return None
    try:
        return float(value)
    except ValueError:
        errors[field] = [_("Enter a number.")]
        return None


def _question_data(form: QuestionForm) -> tuple[dict, dict, list[int]]:
    """The form as a bank question (the package format), errors found while reading it,
    and which form row each kept option came from."""
    kind = form.type.data
    data: dict = {"id": (form.key.data or "").strip(), "type": kind,
                  "text": form.text.data or "", "tags": _split(form.tags.data),
                  "explanation": (form.explanation.data or "").strip()}
    errors: dict[str, list[str]] = {}
    rows: list[int] = []
    if kind in ("single", "multiple"):
        data["options"] = []
        for i, entry in enumerate(form.options):
            text = (entry.form.text.data or "").strip()
            if text:
                data["options"].append({"text": text, "correct": bool(entry.form.correct.data)})
                rows.append(i)
            elif entry.form.correct.data:
                errors[f"row.{i}"] = [_("A correct option needs its text.")]
    elif kind == "true_false":
        data["answer"] = {"true": True, "false": False}.get(form.answer_tf.data)
    elif kind == "numeric":
        data["answer"] = _number(form.answer_num.data, "answer_num", errors, True)
        tolerance = _number(form.tolerance.data, "tolerance", errors, False)
        if tolerance is not None:
            data["tolerance"] = tolerance
        if (form.unit.data or "").strip():
            data["unit"] = form.unit.data.strip()
    elif kind == "short_text":
        accept = [a.strip() for a in (form.accept.data or "").splitlines() if a.strip()]
        data["accept"] = accept or None
    return data, errors, rows


def _question_resolver(form: QuestionForm, rows: list[int]):
    def resolve(loc: str):
        parts = loc.split(".")
        if parts[0] == "row":
            return form.options[int(parts[1])].form.text
        if parts[0] == "options" and len(parts) >= 3 and parts[1].isdigit():
            k = int(parts[1])
            return form.options[rows[k]].form.text if k < len(rows) else None
        if parts[0] == "answer":
            return form.answer_tf if form.type.data == "true_false" else form.answer_num
        return {"id": form.key, "tags": form.tags, "accept": form.accept, "text": form.text,
                "type": form.type, "tolerance": form.tolerance, "unit": form.unit,
                "explanation": form.explanation}.get(parts[0])
    return resolve


def _question_form_data(q: dict) -> dict:
    options = [{"text": o.get("text", ""), "correct": bool(o.get("correct"))}
               for o in q.get("options") or []]
    options += [{"text": "", "correct": False}] * max(0, min(MAX_OPTIONS, max(6, len(options)
                                                                               + 1)) - len(options))
    answer = q.get("answer")
    return {"key": q.get("id", ""), "type": q.get("type", "single"), "text": q.get("text", ""),
            "tags": " ".join(q.get("tags") or []), "options": options,
            "answer_tf": ("true" if answer else "false") if isinstance(answer, bool) else "",
            "answer_num": "" if answer is None or isinstance(answer, bool) else f"{answer:g}",
            "tolerance": f"{q['tolerance']:g}" if q.get("tolerance") is not None else "",
            "unit": q.get("unit", ""), "accept": "\n".join(q.get("accept") or []),
            "explanation": q.get("explanation", "")}


def _question_page(course, bank_id: str, old_key: str | None, question: dict | None,
                   draft: dict | None = None):
    form = QuestionForm(data=None if request.method == "POST" else
                        _question_form_data(question or {}))
    groups: dict = {}
    preview = None
    if form.validate_on_submit():
        data, errors, rows = _question_data(form)
        try:
            if errors:
                raise DraftInvalid(errors)
            if request.form.get("go") == "preview":
                preview = question_spec(check_question(data))
            else:
                key = save_question(course, current_user, bank_id, old_key, data)
                flash(_("Question saved to the draft."), "success")
                return redirect(url_for("author.question_edit", code=course.code,
                                        bank=bank_id, qkey=key))
        except DraftInvalid as e:
            groups = show_errors(form, e.errors, _question_resolver(form, rows))
        except ServiceError as e:
            apply_error(form, e)
    elif request.method == "GET" and question is not None and question.get("text"):
        preview = question
    found = check_draft(draft).questions(bank_id).get(old_key or "", []) \
        if draft is not None and old_key else []
    return render_template("author/question_form.html", course=course, bank_id=bank_id,
                           form=form, groups=groups, preview=preview, old_key=old_key,
                           md=render, md_inline=render_inline, found=found)


@bp.route("/courses/<code>/banks/<bank>/questions/new", methods=["GET", "POST"])
def question_new(code: str, bank: str):
    course = editable_course(code)
    data = _bank_or_404(current_draft(course), bank)
    start = {"id": f"q{len(data.get('questions') or []) + 1:02d}", "type": "single"}
    return _question_page(course, bank, None, start if request.method == "GET" else None)


@bp.route("/courses/<code>/banks/<bank>/questions/<qkey>", methods=["GET", "POST"])
def question_edit(code: str, bank: str, qkey: str):
    course = editable_course(code)
    draft = current_draft(course)
    data = _bank_or_404(draft, bank)
    question = next((q for q in data.get("questions") or [] if q.get("id") == qkey), None)
    if question is None:
        abort(404)
    return _question_page(course, bank, qkey, question, draft)


@bp.post("/courses/<code>/banks/<bank>/questions/<qkey>/move")
def question_move(code: str, bank: str, qkey: str):
    course = editable_course(code)
    form = action_ok()
    try:
        move_question(course, current_user, bank, qkey, form.direction.data)
    except ServiceError as e:
        flash_errors(e)
    return redirect(url_for("author.bank_edit", code=course.code, bank=bank))


@bp.post("/courses/<code>/banks/<bank>/questions/<qkey>/delete")
def question_delete(code: str, bank: str, qkey: str):
    course = editable_course(code)
    action_ok()
    try:
        delete_question(course, current_user, bank, qkey)
    except ServiceError as e:
        flash_errors(e)
    else:
        flash(_("Question deleted from the draft."), "success")
    return redirect(url_for("author.bank_edit", code=course.code, bank=bank))
