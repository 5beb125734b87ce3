"""Small helpers shared by the blueprints (request plumbing only, no rules)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, request
from flask_wtf import FlaskForm
from sqlalchemy import Select, func, select

from lms.core.db import db
from lms.core.errors import ServiceError


def reject_nul_bytes():
    """before_request: text with NUL bytes is never legitimate (and PostgreSQL cannot store
    it) — answer 400 before any form or query sees it. Uploaded file contents are exempt."""
    from flask import abort

    if "%00" in request.query_string.decode("latin-1") or any(
            "\x00" in value for values in request.args.listvalues() for value in values):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH"):
        if request.is_json:
            if b"\\u0000" in (request.get_data(cache=True) or b""):
                abort(400)
        elif any("\x00" in value for values in request.form.listvalues() for value in values):
            abort(400)
    return None


def wants_json() -> bool:
    """API paths and clients that prefer JSON get JSON answers (errors, 401s)."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def client_ip() -> str:
    return request.remote_addr or ""


def apply_error(form: FlaskForm, error: ServiceError) -> None:
    """Show a service's error next to the field it names (or on the form)."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


def safe_next(target: str | None, default: str) -> str:
    """Only follow same-site relative redirects."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


class Page:
    """One page of a select: items, numbers, and the query args for links."""

    def __init__(self, stmt: Select, page: int, per_page: int):
        self.total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None)
                                                                       .subquery())) or 0
        self.per_page = per_page
        self.pages = max(1, -(-self.total // per_page))
        self.page = min(max(1, page), self.pages)
        self.items = list(db.session.scalars(stmt.limit(per_page)
                                             .offset((self.page - 1) * per_page)).unique())

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(stmt: Select) -> Page:
    page = request.args.get("page", 1, type=int) or 1
    return Page(stmt, page, current_app.config["PAGE_SIZE"])


def get_or_404(model, **by):
    obj = db.session.scalar(select(model).filter_by(**by))
    if obj is None:
        abort(404)
    return obj
