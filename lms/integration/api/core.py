"""The API's plumbing: one route table (`operation`) from which both the Flask routes and the
OpenAPI document are made, so the two cannot drift apart; input parsing; pagination; the
per-token rate limit; CSRF exemption (the API uses no cookies)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, g, jsonify, request
from flask_limiter.util import get_remote_address
from pydantic import BaseModel
from sqlalchemy import Select

from lms.extensions import csrf, db, limiter
from lms.integration.api.blueprint import bp
from lms.integration.api.schemas import Page, PageQuery
from lms.integration.records import count

# Path parameters: name → JSON schema (also checked before the view runs).
PATH_PARAMS: dict[str, dict[str, Any]] = {
    "employee_no": {"type": "string", "pattern": r"^[A-Za-z0-9_-]{1,32}$"},
    "code": {"type": "string", "pattern": r"^[A-Za-z0-9_-]{1,64}$"},
    "plan_id": {"type": "string", "pattern": r"^[A-Za-z0-9_-]{1,64}$"},
}


class ApiError(Exception):
    """Answered as {"error": {"code", "message", "field"}} with `status`."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 details: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.field, self.details, self.headers = field, details, headers or {}


@dataclass
class Operation:
    method: str
    path: str  # OpenAPI style: /users/{employee_no}
    operation_id: str
    summary: str
    tag: str
    query: type[BaseModel] | None = None
    body: type[BaseModel] | None = None
    response: Any = None  # a pydantic model class, or None for a non-JSON answer
    status: int = 200
    also: dict[int, str] = field(default_factory=dict)  # other success statuses
    media_type: str = "application/json"
    public: bool = False
    conflict: bool = False  # may answer 409
    description: str = ""

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)


OPERATIONS: list[Operation] = []


def _flask_path(path: str) -> str:
    return re.sub(r"{(\w+)}", r"<\1>", path)


def parse_query(model: type[BaseModel]) -> BaseModel:
    # An empty value (a form's blank filter) means the same as leaving the parameter out.
    raw = {k: v for k, v in request.args.items() if k in model.model_fields and v != ""}
    return model.model_validate(raw)


def parse_body(model: type[BaseModel]) -> BaseModel:
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # the JSON parser recurses once per level of nesting
        raise ApiError(400, "invalid_json", "The JSON is nested too deeply.") from None
    if data is None:
        raise ApiError(400, "invalid_json", "Send a JSON object with "
                                            "Content-Type: application/json.")
    return model.model_validate(data)


def operation(method: str, path: str, *, op_id: str, summary: str, tag: str,
              **options: Any) -> Callable:
    """Register a view as an API operation (route + OpenAPI entry).

    The view gets the path parameters, plus `query` and `body` (validated models) when the
    operation declares them; it returns a model (answered with `status`), a (model, status)
    pair, or a ready Response."""
    op = Operation(method=method, path=path, operation_id=op_id, summary=summary, tag=tag,
                   **options)
    OPERATIONS.append(op)

    def deco(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def view(**kwargs: Any):
            for name in op.path_params:
                if not re.fullmatch(PATH_PARAMS[name]["pattern"], kwargs.get(name, "")):
                    raise ApiError(404, "not_found", "No such resource.", field=name)
            if op.query is not None:
                kwargs["query"] = parse_query(op.query)
            if op.body is not None:
                kwargs["body"] = parse_body(op.body)
            out = fn(**kwargs)
            if isinstance(out, Response):
                return out
            status = op.status
            if isinstance(out, tuple):
                out, status = out
            return jsonify(out.model_dump(mode="json")), status

        bp.add_url_rule(_flask_path(path), endpoint=fn.__name__, view_func=view,
                        methods=[method])
        return view

    return deco


def paginate(stmt: Select, query: PageQuery, item_model: type[BaseModel],
             convert: Callable[[list], list[dict[str, Any]]]) -> BaseModel:
    """One page of `stmt` as Page[item_model]; `convert` turns the rows into item dicts."""
    total = count(stmt)
    offset = (query.page - 1) * query.per_page
    rows = list(db.session.scalars(stmt.limit(query.per_page).offset(offset)).unique())
    next_url = None
    if offset + len(rows) < total:
        args = request.args.to_dict()
        args.update(page=str(query.page + 1), per_page=str(query.per_page))
        next_url = f"{request.path}?{urlencode(args)}"
    # Page is parametrised at run time with the caller's item model, which no static type names.
    return Page[item_model].model_validate({  # type: ignore[valid-type]
        "items": convert(rows), "page": query.page, "per_page": query.per_page,
        "total": total, "next": next_url})


def current_token():
    return g.get("api_token")


def _rate_key() -> str:
    """Per token (its public prefix, never the secret); per address before authentication."""
    token = current_token()
    return f"api-token:{token.prefix}" if token is not None else f"api-ip:{get_remote_address()}"


def _rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT") or "300 per minute"


limiter.limit(_rate_limit, key_func=_rate_key)(bp)
csrf.exempt(bp)
