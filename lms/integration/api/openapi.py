"""The OpenAPI 3.1 document, made from the route table (core.OPERATIONS) and the pydantic
models, so that it always describes what the code does."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from lms.integration.api.core import OPERATIONS, PATH_PARAMS, Operation
from lms.integration.api.schemas import Error

REF = "#/components/schemas/{model}"
VERSION = "1.0.0"

ERRORS = {
    400: "Malformed request: a body that is not JSON, or NUL bytes in the input.",
    401: "No valid token (Authorization: Bearer <token>), or the token has expired.",
    403: "The token lacks the scope this method needs (read for GET, write otherwise), or "
         "the person holds a platform role that tokens may not change.",
    404: "Not found.",
    409: "Conflicts with existing data or an earlier request with the same external id.",
    422: "Invalid input; `error.field` names the input at fault.",
    429: "Too many requests for this token; retry after the Retry-After header's seconds.",
}


def _error_statuses(op: Operation) -> list[int]:
    statuses = [400, 429]  # 400: NUL bytes or a body that is not JSON
    if not op.public:
        statuses += [401, 403]
    if op.query is not None or op.body is not None:
        statuses.append(422)
    if op.path_params:
        statuses.append(404)
    if op.conflict:
        statuses += [404, 409, 422]
    return sorted(set(statuses))


def _query_parameters(model, refs: dict) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=REF, mode="validation")
    required = set(schema.get("required", ()))
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop = copy.deepcopy(prop)
        description = prop.pop("description", None)
        prop.pop("title", None)
        # Optional means "leave it out": a query string has no null.
        branches = [b for b in prop.pop("anyOf", []) if b.get("type") != "null"]
        if len(branches) == 1:
            prop.update(branches[0])
        elif branches:
            prop["anyOf"] = branches
        if prop.get("default", 0) is None:
            del prop["default"]
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if description:
            param["description"] = description
        params.append(param)
    return params


@cache
def _build() -> dict[str, Any]:
    wanted: list[tuple[type[BaseModel], JsonSchemaMode]] = [(Error, "serialization")]
    for op in OPERATIONS:
        if op.body is not None:
            wanted.append((op.body, "validation"))
        if op.response is not None:
            wanted.append((op.response, "serialization"))
    wanted = list(dict.fromkeys(wanted))
    refs, defs = models_json_schema(wanted, ref_template=REF)
    error_ref = refs[(Error, "serialization")]

    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        entry: dict[str, Any] = {"operationId": op.operation_id, "summary": op.summary,
                                 "tags": [op.tag]}
        if op.description:
            entry["description"] = op.description
        params = [{"name": name, "in": "path", "required": True,
                   "schema": dict(PATH_PARAMS[name])} for name in op.path_params]
        if op.query is not None:
            params += _query_parameters(op.query, refs)
        if params:
            entry["parameters"] = params
        if op.body is not None:
            entry["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": refs[(op.body, "validation")]}}}
        if op.response is not None:
            content = {op.media_type: {"schema": refs[(op.response, "serialization")]}}
        elif op.media_type == "application/json":
            content = {"application/json": {"schema": {"type": "object"}}}
        else:
            content = {op.media_type: {"schema": {"type": "string"}}}
        responses: dict[str, Any] = {str(op.status): {"description": "OK",
                                                      "content": content}}
        for status, text in op.also.items():
            responses[str(status)] = {"description": text, "content": content}
        for status in _error_statuses(op):
            responses[str(status)] = {"description": ERRORS[status], "content": {
                "application/json": {"schema": error_ref}}}
        entry["responses"] = responses
        if op.public:
            entry["security"] = []
        paths.setdefault(op.path, {})[op.method.lower()] = entry

    return {
        "openapi": "3.1.0",
        "info": {"title": "LMS integration API", "version": VERSION,
                 "description": "Roster sync, enrolments, course catalogue, certification "
                                "awards, rotation plans and xAPI learning records. Every "
                                "call but this document needs `Authorization: Bearer "
                                "<token>`; tokens are made by administrators (Admin → API "
                                "tokens) with the read and/or write scope. Lists take "
                                "`page` and `per_page` (≤ 100) and answer `total` and "
                                "`next`. Errors are {\"error\": {\"code\", \"message\", "
                                "\"field\"}}."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "schemas": defs.get("$defs", {}),
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "An API token (lms_…)."}},
        },
    }


def spec() -> dict[str, Any]:
    return copy.deepcopy(_build())
