"""Studio pages for course packages: exporting a course as a zip, importing one (inspect,
then confirm)."""

from __future__ import annotations

import io

from flask import abort, flash, redirect, render_template, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.catalog.package import PackageError
from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import apply_error
from lms.studio import package_zip
from lms.studio.forms import ConfirmImportForm, ImportForm
from lms.studio.messages import explain
from lms.studio.page_helpers import editable_course

bp = Routes("author")
IMPORT_KEY = "studio_import"


@bp.get("/courses/<code>/export.zip")
def export(code: str):
    course = editable_course(code)
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
