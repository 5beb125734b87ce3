"""Every API error is {"error": {"code", "message", "field"}}: bad input names the field at
fault, and nothing ever answers with a traceback. Messages are English on purpose (machine
-facing); the service layer's translated messages are rendered in English here too."""

from __future__ import annotations

from typing import TypedDict

from flask import current_app, jsonify, request
from flask_babel import force_locale
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from lms.core.errors import ServiceError
from lms.extensions import db
from lms.integration.api.blueprint import bp
from lms.integration.api.core import ApiError
from lms.integration.records import Conflict, NotAllowed

CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "too_large",
    415: "unsupported_media_type", 422: "invalid", 429: "rate_limited",
}


def error_response(status: int, code: str, message: str, field: str | None = None,
                   details: list | None = None):
    body: dict = {"code": code, "message": message, "field": field}
    if details:
        body["details"] = details
    response = jsonify(error=body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="lms-api"'
    return response


class _Detail(TypedDict):
    """One entry of `error.details` (schemas.FieldError)."""

    field: str | None
    code: str
    message: str


def _field(loc: tuple) -> str | None:
    return ".".join(str(part) for part in loc) or None


@bp.errorhandler(ApiError)
def _api_error(e: ApiError):
    response = error_response(e.status, e.code, e.message, e.field, e.details)
    response.headers.update(e.headers)
    return response


@bp.errorhandler(ValidationError)
def _validation_error(e: ValidationError):
    details: list[_Detail] = [
        {"field": _field(err["loc"]), "code": err["type"], "message": err["msg"]}
        for err in e.errors(include_url=False)]
    if not details:
        return error_response(422, "invalid", "Invalid input.")
    first = details[0]
    return error_response(422, "invalid", first["message"], first["field"], details)


@bp.errorhandler(ServiceError)
def _service_error(e: ServiceError):
    db.session.rollback()
    with force_locale("en"):
        message = str(e.message)
    if isinstance(e, Conflict):
        return error_response(409, "conflict", message, e.field)
    if isinstance(e, NotAllowed):
        return error_response(403, "forbidden", message, e.field)
    return error_response(422, "invalid", message, e.field)


@bp.errorhandler(HTTPException)
def _http_error(e: HTTPException):
    status = e.code or 500
    return error_response(status, CODES.get(status, "error"),
                          e.description or e.name, None)


@bp.errorhandler(Exception)
def _server_error(e: Exception):
    db.session.rollback()
    # Method and path only: headers (the token) and bodies are never logged.
    current_app.logger.exception("Unhandled API error on %s %s", request.method, request.path)
    return error_response(500, "server_error", "Something went wrong on our side; the error "
                                               "has been logged.")
