"""Studio pages for bringing question banks in and out: import an Excel / Moodle XML / GIFT
file into a course's draft (preview with per-row errors and the bank checks, then confirm),
export a bank to each format, and the Excel template."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.assessment import formats
from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import apply_error
from lms.studio import bank_import
from lms.studio.drafts import DraftInvalid
from lms.studio.forms import BankImportForm, ConfirmImportForm
from lms.studio.page_helpers import editable_course, show_errors

bp = Routes("author")
BANK_IMPORT_KEY = "studio_bank_import"
XLSX = bank_import.FORMATS["xlsx"][1]


@bp.route("/courses/<code>/banks/import", methods=["GET", "POST"])
def bank_import_page(code: str):
    course = editable_course(code)
    form = BankImportForm()
    preview = None
    confirm = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.stream.read(bank_import.MAX_BANK_BYTES + 1)
        try:
            preview = bank_import.read_upload(
                course, data, upload.filename or "", bank_id=form.bank_id.data or "",
                title_zh=form.title_zh.data or "", title_en=form.title_en.data or "")
        except DraftInvalid as e:
            show_errors(form, e.errors)
        except ServiceError as e:
            apply_error(form, e)
        else:
            if preview.questions:
                token = bank_import.stage(preview)
                session[BANK_IMPORT_KEY] = {"token": token, "course": course.code}
                confirm = ConfirmImportForm(token=token)
    return render_template("author/bank_import.html", course=course, form=form,
                           preview=preview, confirm=confirm)


@bp.post("/courses/<code>/banks/import/confirm")
def bank_import_confirm(code: str):
    course = editable_course(code)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    pending = session.get(BANK_IMPORT_KEY) or {}
    token = form.token.data or ""
    ours = pending.get("token") == token and pending.get("course") == course.code
    bank = bank_import.staged(token) if ours else None
    if bank is None:
        flash(_("That import is no longer waiting. Upload the file again."), "warning")
        return redirect(url_for("author.bank_import_page", code=course.code))
    try:
        bank_id = bank_import.add_bank(course, current_user, bank)
    except DraftInvalid as e:
        for messages in e.errors.values():
            for m in messages:
                flash(m, "danger")
        return redirect(url_for("author.bank_import_page", code=course.code))
    except ServiceError as e:
        flash(str(e.message), "danger")
        return redirect(url_for("author.bank_import_page", code=course.code))
    finally:
        bank_import.unstage(token)
        session.pop(BANK_IMPORT_KEY, None)
    flash(_("Question bank %(b)s imported into the draft with %(n)d question(s). Publish the "
            "course for learners to get it.", b=bank_id, n=len(bank.get("questions") or [])),
          "success")
    return redirect(url_for("author.bank_edit", code=course.code, bank=bank_id))


@bp.get("/courses/<code>/banks/<bank>/export/<fmt>")
def bank_export(code: str, bank: str, fmt: str):
    course = editable_course(code)
    found = bank_import.export_bank(course, bank, fmt)
    if found is None:
        abort(404)
    content, mimetype, name = found
    return send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True,
                     download_name=name)


@bp.get("/banks/template.xlsx")
def bank_template():
    return send_file(io.BytesIO(formats.template_workbook()), mimetype=XLSX,
                     as_attachment=True, download_name="question-bank-template.xlsx")
