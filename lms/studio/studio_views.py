"""Studio pages: editing courses as drafts, question banks, quizzes, files, import/export,
assignment, editors and history. Every page of a course asks `can_edit` first
(through `_editable`); the services check it again."""

from __future__ import annotations

import io
import re

from flask import (
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from lms.catalog.markdown import render, render_inline
from lms.catalog.package import PackageError
from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import apply_error
from lms.extensions import db
from lms.people.choices import job_role_choices, unit_choices
from lms.people.models import JobRole, OrgUnit
from lms.studio import assignment_rules, package_zip, publishing, uploads
from lms.studio.bank_edits import (
    add_bank,
    bank_of,
    check_question,
    delete_bank,
    delete_question,
    delete_quiz,
    move_question,
    question_spec,
    quiz_of,
    save_question,
    save_quiz,
    update_bank,
)
from lms.studio.drafts import DraftInvalid, current_draft, draft_problems
from lms.studio.editors import NotAllowed, add_editor, can_edit, can_manage_editors, remove_editor
from lms.studio.editors import editors as course_editors
from lms.studio.forms import (
    DRAW_ROWS,
    MAX_OPTIONS,
    ActionForm,
    AssignForm,
    BankForm,
    ConfirmImportForm,
    CourseForm,
    EditorForm,
    ImportForm,
    LessonForm,
    ModuleForm,
    PreviewForm,
    QuestionForm,
    QuizForm,
    UploadForm,
)
from lms.studio.messages import explain
from lms.studio.outline_edits import (
    add_lesson,
    add_module,
    course_by_code,
    create_course,
    delete_lesson,
    delete_module,
    lesson_of,
    move_lesson,
    move_module,
    next_slug,
    update_lesson,
    update_meta,
    update_module,
)

bp = Routes("author")

IMPORT_KEY = "studio_import"


def _editable(code: str):
    """The course, if the signed-in user may change it: 404 when there is no such course,
    403 when it is someone else's."""
    course = course_by_code(code)
    if course is None:
        abort(404)
    if not can_edit(current_user, course):
        abort(403)
    return course


def _action_ok() -> ActionForm:
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    return form


def _back(course, anchor: str = ""):
    return redirect(url_for("author.course", code=course.code) + (f"#{anchor}" if anchor else ""))


def _field(form, name: str):
    return getattr(form, name, None) if name and hasattr(form, name) else None


def _show_errors(form, errors: dict[str, list[str]], resolve=None) -> dict[str, list[str]]:
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


def _flash_errors(error: ServiceError) -> None:
    if isinstance(error, DraftInvalid):
        for messages in error.errors.values():
            for m in messages:
                flash(m, "danger")
    else:
        flash(str(error.message), "danger")


# --- courses -----------------------------------------------------------------------------

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
            groups = _show_errors(form, e.errors)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Course %(c)s created as a draft. Add modules and lessons, then publish.",
                    c=course.code), "success")
            return redirect(url_for("author.course", code=course.code))
    return render_template("author/course_form.html", form=form, course=None, groups=groups)


@bp.get("/courses/<code>")
def course(code: str):
    course = _editable(code)
    draft = current_draft(course)
    has_draft = course.draft is not None
    return render_template(
        "author/course.html", course=course, draft=draft, has_draft=has_draft,
        problems=draft_problems(course) if has_draft else [],
        explain=explain, module_form=ModuleForm(), action=ActionForm(),
        can_manage=can_manage_editors(current_user, course))


@bp.route("/courses/<code>/settings", methods=["GET", "POST"])
def course_settings(code: str):
    course = _editable(code)
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
            groups = _show_errors(form, e.errors)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Saved to the draft."), "success")
            return _back(course)
    return render_template("author/course_form.html", form=form, course=course, groups=groups)


def _simple(course, fn, done: str, anchor: str = ""):
    try:
        fn()
    except ServiceError as e:
        _flash_errors(e)
    else:
        flash(done, "success")
    return _back(course, anchor)


@bp.post("/courses/<code>/publish")
def publish(code: str):
    course = _editable(code)
    _action_ok()
    try:
        result = publishing.publish(course, current_user)
    except PackageError as e:
        flash(_("The draft cannot be published yet: %(n)d problem(s), listed below.",
                n=len(e.problems)), "danger")
    except ServiceError as e:
        flash(str(e.message), "danger")
    else:
        flash(_("Published as version %(v)d (%(n)d change(s)). Learners see it now.",
                v=course.version, n=len(result.changes)), "success")
    return _back(course)


@bp.post("/courses/<code>/discard")
def discard(code: str):
    course = _editable(code)
    _action_ok()
    return _simple(course, lambda: publishing.discard_draft(course, current_user),
                   _("The draft was discarded."))


@bp.post("/courses/<code>/archive")
def archive(code: str):
    course = _editable(code)
    _action_ok()
    return _simple(course, lambda: publishing.archive(course, current_user),
                   _("Archived: the course has left the catalogue; its history and awards "
                     "stay."))


@bp.post("/courses/<code>/restore")
def restore(code: str):
    course = _editable(code)
    _action_ok()
    return _simple(course, lambda: publishing.restore(course, current_user),
                   _("The course is back."))


# --- modules -----------------------------------------------------------------------------

@bp.post("/courses/<code>/modules")
def module_add(code: str):
    course = _editable(code)
    form = ModuleForm()
    if not form.validate_on_submit():
        abort(400)
    return _simple(course, lambda: add_module(
        course, current_user, title_zh=form.title_zh.data, title_en=form.title_en.data),
        _("Module added."), "modules")


@bp.route("/courses/<code>/modules/<int:index>", methods=["GET", "POST"])
def module_edit(code: str, index: int):
    course = _editable(code)
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
            _show_errors(form, e.errors)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Saved to the draft."), "success")
            return _back(course, "modules")
    return render_template("author/module_form.html", course=course, form=form, index=index)


@bp.post("/courses/<code>/modules/<int:index>/move")
def module_move(code: str, index: int):
    course = _editable(code)
    form = _action_ok()
    return _simple(course, lambda: move_module(course, current_user, index,
                                               form.direction.data),
                   _("Module moved."), "modules")


@bp.post("/courses/<code>/modules/<int:index>/delete")
def module_delete(code: str, index: int):
    course = _editable(code)
    _action_ok()
    return _simple(course, lambda: delete_module(course, current_user, index),
                   _("Module deleted with its lessons."), "modules")


# --- lessons -----------------------------------------------------------------------------

def _module_choices(draft) -> list[tuple[int, str]]:
    return [(i, f"{i + 1}. {m['title']['zh']}")
            for i, m in enumerate(draft["manifest"].get("modules") or [])]


def _lesson_page(course, form, draft, slug=None, groups=None):
    return render_template("author/lesson_form.html", course=course, form=form, slug=slug,
                           preview=render(form.body.data or ""), upload_form=UploadForm(),
                           groups=groups or {}, is_new=slug is None)


@bp.route("/courses/<code>/modules/<int:index>/lessons/new", methods=["GET", "POST"])
def lesson_new(code: str, index: int):
    course = _editable(code)
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
                              minutes=form.minutes.data, body=form.body.data or "")
        except DraftInvalid as e:
            groups = _show_errors(form, e.errors)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Lesson added to the draft."), "success")
            return redirect(url_for("author.lesson_edit", code=course.code, slug=slug))
    return _lesson_page(course, form, draft, groups=groups)


@bp.route("/courses/<code>/lessons/<slug>", methods=["GET", "POST"])
def lesson_edit(code: str, slug: str):
    course = _editable(code)
    draft = current_draft(course)
    lesson = lesson_of(draft, slug)
    if lesson is None:
        abort(404)
    form = LessonForm(data=None if request.method == "POST" else {
        "slug": slug, "module": lesson["module"], "title_zh": lesson["title"]["zh"],
        "title_en": lesson["title"]["en"], "minutes": lesson["minutes"],
        "body": lesson["body"]})
    form.module.choices = _module_choices(draft)
    groups: dict = {}
    if form.validate_on_submit():
        try:
            update_lesson(course, current_user, slug, title_zh=form.title_zh.data,
                          title_en=form.title_en.data, minutes=form.minutes.data,
                          body=form.body.data or "", module_index=form.module.data)
        except DraftInvalid as e:
            groups = _show_errors(form, e.errors)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Saved to the draft. Learners see it when the course is published."),
                  "success")
            return redirect(url_for("author.lesson_edit", code=course.code, slug=slug))
    return _lesson_page(course, form, draft, slug=slug, groups=groups)


@bp.post("/courses/<code>/lessons/<slug>/move")
def lesson_move(code: str, slug: str):
    course = _editable(code)
    form = _action_ok()
    return _simple(course, lambda: move_lesson(course, current_user, slug,
                                               form.direction.data),
                   _("Lesson moved."), "modules")


@bp.post("/courses/<code>/lessons/<slug>/delete")
def lesson_delete(code: str, slug: str):
    course = _editable(code)
    _action_ok()
    return _simple(course, lambda: delete_lesson(course, current_user, slug),
                   _("Lesson deleted from the draft."), "modules")


@bp.post("/preview")
def preview():
    """Markdown → the exact HTML learners get (same renderer, same sanitiser)."""
    form = PreviewForm()
    if not form.validate_on_submit():
        abort(400)
    return Response(str(render(form.body.data or "")), mimetype="text/html")


# --- files -------------------------------------------------------------------------------

@bp.route("/courses/<code>/files", methods=["GET", "POST"])
def files(code: str):
    course = _editable(code)
    form = UploadForm()
    wants_json = request.accept_mimetypes.best == "application/json"
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                upload = uploads.store(form.file.data.stream, form.file.data.filename or "",
                                       current_user, course)
            except ServiceError as e:
                if wants_json:
                    return jsonify(error=str(e.message)), 400
                apply_error(form, e)
            else:
                url = url_for("author.file", name=upload.name)
                if wants_json:
                    return jsonify(name=upload.name, url=url,
                                   markdown=uploads.markdown_for(upload, url))
                flash(_("Uploaded. Copy its Markdown into a lesson."), "success")
                return redirect(url_for("author.files", code=course.code))
        elif wants_json:
            message = next(iter(form.file.errors), None) or _("Choose a file.")
            return jsonify(error=str(message)), 400
    items = [(u, url_for("author.file", name=u.name)) for u in uploads.of_course(course)]
    return render_template("author/files.html", course=course, form=form, items=items,
                           markdown_for=uploads.markdown_for)


@bp.get("/files/<name>")
def file(name: str):
    """An uploaded file, for anyone signed in (learners see lesson images). Served only as
    the type checked on upload; never as HTML or script."""
    upload = uploads.find(name)
    path = uploads.path_of(upload) if upload is not None else None
    if path is None:
        abort(404)
    is_pdf = upload.content_type == "application/pdf"
    resp = send_file(path, mimetype=upload.content_type, as_attachment=is_pdf,
                     download_name=upload.original_name or upload.name, conditional=True,
                     max_age=3600)
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    resp.cache_control.private = True
    resp.cache_control.public = False
    return resp


# --- question banks ------------------------------------------------------------------------

def _bank_or_404(draft, bank_id: str) -> dict:
    bank = bank_of(draft, bank_id)
    if bank is None:
        abort(404)
    return bank


@bp.route("/courses/<code>/banks/new", methods=["GET", "POST"])
def bank_new(code: str):
    course = _editable(code)
    form = BankForm()
    if request.method == "GET" and not form.bank_id.data:
        form.bank_id.data = f"{course.code.lower()}-main"
    if form.validate_on_submit():
        try:
            bank_id = add_bank(course, current_user, bank_id=form.bank_id.data or "",
                               title_zh=form.title_zh.data, title_en=form.title_en.data)
        except DraftInvalid as e:
            _show_errors(form, e.errors, lambda loc: form.bank_id if loc == "id" else None)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Question bank added. Now add its questions."), "success")
            return redirect(url_for("author.bank_edit", code=course.code, bank=bank_id))
    return render_template("author/bank.html", course=course, form=form, bank=None)


@bp.route("/courses/<code>/banks/<bank>", methods=["GET", "POST"])
def bank_edit(code: str, bank: str):
    course = _editable(code)
    data = _bank_or_404(current_draft(course), bank)
    form = BankForm(data=None if request.method == "POST" else {
        "bank_id": data["id"], "title_zh": data["title"]["zh"], "title_en": data["title"]["en"]})
    if form.validate_on_submit():
        try:
            update_bank(course, current_user, bank, title_zh=form.title_zh.data,
                        title_en=form.title_en.data)
        except DraftInvalid as e:
            _show_errors(form, e.errors)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Saved to the draft."), "success")
            return redirect(url_for("author.bank_edit", code=course.code, bank=bank))
    return render_template("author/bank.html", course=course, form=form, bank=data,
                           action=ActionForm(), md_inline=render_inline)


@bp.post("/courses/<code>/banks/<bank>/delete")
def bank_delete(code: str, bank: str):
    course = _editable(code)
    _action_ok()
    return _simple(course, lambda: delete_bank(course, current_user, bank),
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


def _question_page(course, bank_id: str, old_key: str | None, question: dict | None):
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
            groups = _show_errors(form, e.errors, _question_resolver(form, rows))
        except ServiceError as e:
            apply_error(form, e)
    elif request.method == "GET" and question is not None and question.get("text"):
        preview = question
    return render_template("author/question_form.html", course=course, bank_id=bank_id,
                           form=form, groups=groups, preview=preview, old_key=old_key,
                           md=render, md_inline=render_inline)


@bp.route("/courses/<code>/banks/<bank>/questions/new", methods=["GET", "POST"])
def question_new(code: str, bank: str):
    course = _editable(code)
    data = _bank_or_404(current_draft(course), bank)
    start = {"id": f"q{len(data.get('questions') or []) + 1:02d}", "type": "single"}
    return _question_page(course, bank, None, start if request.method == "GET" else None)


@bp.route("/courses/<code>/banks/<bank>/questions/<qkey>", methods=["GET", "POST"])
def question_edit(code: str, bank: str, qkey: str):
    course = _editable(code)
    data = _bank_or_404(current_draft(course), bank)
    question = next((q for q in data.get("questions") or [] if q.get("id") == qkey), None)
    if question is None:
        abort(404)
    return _question_page(course, bank, qkey, question)


@bp.post("/courses/<code>/banks/<bank>/questions/<qkey>/move")
def question_move(code: str, bank: str, qkey: str):
    course = _editable(code)
    form = _action_ok()
    try:
        move_question(course, current_user, bank, qkey, form.direction.data)
    except ServiceError as e:
        _flash_errors(e)
    return redirect(url_for("author.bank_edit", code=course.code, bank=bank))


@bp.post("/courses/<code>/banks/<bank>/questions/<qkey>/delete")
def question_delete(code: str, bank: str, qkey: str):
    course = _editable(code)
    _action_ok()
    try:
        delete_question(course, current_user, bank, qkey)
    except ServiceError as e:
        _flash_errors(e)
    else:
        flash(_("Question deleted from the draft."), "success")
    return redirect(url_for("author.bank_edit", code=course.code, bank=bank))


# --- quizzes -----------------------------------------------------------------------------

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
            groups = _show_errors(form, e.errors, resolve)
        except ServiceError as e:
            apply_error(form, e)
        else:
            flash(_("Quiz settings saved to the draft."), "success")
            return redirect(url_for("author.quiz_edit", code=course.code, quiz=key))
    return render_template("author/quiz_form.html", course=course, form=form, groups=groups,
                           old_id=old_id, action=ActionForm())


@bp.route("/courses/<code>/quizzes/new", methods=["GET", "POST"])
def quiz_new(code: str):
    course = _editable(code)
    draft = current_draft(course)
    start = {"id": "final" if not draft["manifest"].get("quizzes") else "",
             "title": {"zh": "结业测验", "en": "Final quiz"}}
    return _quiz_page(course, draft, None, start)


@bp.route("/courses/<code>/quizzes/<quiz>", methods=["GET", "POST"])
def quiz_edit(code: str, quiz: str):
    course = _editable(code)
    draft = current_draft(course)
    data = quiz_of(draft, quiz)
    if data is None:
        abort(404)
    return _quiz_page(course, draft, quiz, data)


@bp.post("/courses/<code>/quizzes/<quiz>/delete")
def quiz_delete(code: str, quiz: str):
    course = _editable(code)
    _action_ok()
    return _simple(course, lambda: delete_quiz(course, current_user, quiz),
                   _("Quiz deleted from the draft."), "quizzes")


# --- import / export -----------------------------------------------------------------------

@bp.get("/courses/<code>/export.zip")
def export(code: str):
    course = _editable(code)
    data = package_zip.export_zip(course)
    return send_file(io.BytesIO(data), mimetype="application/zip", as_attachment=True,
                     download_name=f"{course.code.lower()}-v{course.version}.zip")


@bp.route("/import", methods=["GET", "POST"])
def import_package():
    form = ImportForm()
    report = None
    confirm = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.stream.read(package_zip.MAX_ZIP_BYTES + 1)
        filename = upload.filename or "package.zip"
        try:
            report = package_zip.inspect(data, filename, current_user)
        except ServiceError as e:
            apply_error(form, e)
        else:
            if report.ok and report.action != "unchanged":
                token = package_zip.stage(data)
                session[IMPORT_KEY] = {"token": token, "filename": filename}
                confirm = ConfirmImportForm(token=token)
    return render_template("author/import.html", form=form, report=report, confirm=confirm,
                           explain=explain)


@bp.post("/import/confirm")
def import_confirm():
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    pending = session.get(IMPORT_KEY) or {}
    token = form.token.data or ""
    data = package_zip.staged(token) if pending.get("token") == token else None
    if data is None:
        flash(_("That import is no longer waiting. Upload the file again."), "warning")
        return redirect(url_for("author.import_package"))
    try:
        result = package_zip.apply(data, pending.get("filename", "package.zip"), current_user)
    except PackageError as e:
        report = package_zip.ImportReport(problems=e.problems)
        return render_template("author/import.html", form=ImportForm(), report=report,
                               confirm=None, explain=explain)
    except ServiceError as e:
        flash(str(e.message), "danger")
        return redirect(url_for("author.import_package"))
    finally:
        package_zip.unstage(token)
        session.pop(IMPORT_KEY, None)
    flash(_("Course %(c)s imported: %(a)s, %(n)d change(s).", c=result.code,
            a={"created": _("created"), "updated": _("updated")}.get(result.action,
                                                                     result.action),
            n=len(result.changes)), "success")
    return redirect(url_for("author.course", code=result.code))


# --- assignment --------------------------------------------------------------------------

@bp.route("/courses/<code>/assign", methods=["GET", "POST"])
def assign(code: str):
    course = _editable(code)
    form = AssignForm()
    form.unit.choices = unit_choices(blank="—")
    form.job_role.choices = job_role_choices(blank="—")
    if form.validate_on_submit():
        target = form.target.data
        unit = db.session.get(OrgUnit, form.unit.data) if target == "unit" else None
        role = db.session.get(JobRole, form.job_role.data) if target == "role" else None
        try:
            if target == "unit" and unit is None:
                raise ServiceError(_("Choose an org unit."), field="unit")
            if target == "role" and role is None:
                raise ServiceError(_("Choose a job role."), field="job_role")
            if form.as_rule.data:
                if target == "people":
                    raise ServiceError(_("A rule is for an org unit or a job role."),
                                       field="as_rule")
                _rule, added = assignment_rules.create_rule(
                    course, current_user, unit=unit, with_subunits=form.with_subunits.data,
                    job_role=role, due_days=form.due_days.data)
                flash(_("Rule saved: %(n)d person(s) assigned now; people who join later "
                        "are assigned when they join.", n=added), "success")
            else:
                added, updated = assignment_rules.assign_people(
                    course, current_user, employee_nos=form.employee_nos.data or "",
                    unit=unit, with_subunits=form.with_subunits.data, job_role=role,
                    due=form.due.data)
                flash(_("Assigned: %(a)d new, %(u)d updated. They have been notified.",
                        a=added, u=updated), "success")
        except ServiceError as e:
            if e.field == "target":
                e.field = "unit" if target == "unit" else "job_role"
            apply_error(form, e)
        else:
            return redirect(url_for("author.assign", code=course.code))
    return render_template("author/assign.html", course=course, form=form,
                           rules=assignment_rules.rules_of(course), action=ActionForm())


@bp.post("/courses/<code>/rules/<public_id>/delete")
def rule_delete(code: str, public_id: str):
    course = _editable(code)
    _action_ok()
    try:
        assignment_rules.delete_rule(course, current_user, public_id)
    except ServiceError as e:
        flash(str(e.message), "danger")
    else:
        flash(_("Rule removed. Those already assigned keep the course."), "success")
    return redirect(url_for("author.assign", code=course.code))


# --- editors and history -------------------------------------------------------------------

@bp.route("/courses/<code>/editors", methods=["GET", "POST"])
def editors(code: str):
    course = _editable(code)
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
    course = _editable(code)
    _action_ok()
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
    course = _editable(code)
    return render_template("author/history.html", course=course,
                           events=publishing.history(course), explain=explain)
