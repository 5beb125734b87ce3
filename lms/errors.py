"""Friendly error pages (HTML) or JSON bodies (API and JSON clients); never a traceback."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from lms.core.web import wants_json
from lms.extensions import db


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Please try again.")),
        401: (_("Please sign in"), _("You need to sign in to see this page.")),
        403: (_("Not allowed"), _("Your account does not have access to this page.")),
        404: (_("Not found"), _("This page does not exist or is no longer available.")),
        405: (_("Not allowed"), _("This action is not available here.")),
        413: (_("Too large"), _("The upload is larger than allowed.")),
        429: (_("Too many requests"), _("Please slow down and try again in a moment.")),
        500: (_("Something went wrong"),
              _("The error has been logged. Please try again; your saved work is safe.")),
    }


def _render(code: int, detail: str | None = None):
    title, message = _messages().get(code, (_("Error"), _("Something went wrong.")))
    if detail:
        message = detail
    if wants_json():
        return jsonify(error=title, message=message, status=code), code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_e):
        return _render(400, _("The form has expired or was not sent by this site. "
                              "Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        return _render(e.code or 500)

    @app.errorhandler(Exception)
    def server_error(e: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _render(500)
