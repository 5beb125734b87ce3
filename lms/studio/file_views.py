"""Studio pages for uploaded files: a course's files and serving one safely."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.core.web import apply_error
from lms.studio import uploads
from lms.studio.forms import UploadForm
from lms.studio.page_helpers import editable_course

bp = Routes("author")


@bp.route("/courses/<code>/files", methods=["GET", "POST"])
def files(code: str):
    course = editable_course(code)
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
    if upload is None:
        abort(404)
    path = uploads.path_of(upload)
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
