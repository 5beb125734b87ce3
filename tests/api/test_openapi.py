"""The OpenAPI document describes the implementation: every API route is in it, and a
schemathesis run against the app (in-process, over WSGI) finds no server error and no answer
that breaks the document (status codes, content types, bodies)."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from lms.integration.api.core import OPERATIONS

# Slow (servers, fuzzing, long replications): `make test-fast` leaves it out.
pytestmark = pytest.mark.slow


def _rules(app) -> set[tuple[str, str]]:
    out = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.not_found":
            path = rule.rule.removeprefix("/api/v1")
            for name in rule.arguments:
                path = path.replace(f"<{name}>", f"{{{name}}}")
            out |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return out


def test_every_route_is_documented_and_nothing_else(app, client):
    doc = client.get("/api/v1/openapi.json").json
    documented = {(m.upper(), path) for path, item in doc["paths"].items() for m in item}
    assert documented == _rules(app)
    assert doc["openapi"].startswith("3.")
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    # Every operation documents its errors in the one error shape.
    for item in doc["paths"].values():
        for op in item.values():
            assert op["responses"]["429"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"}


def test_document_is_public_and_needs_no_token(client):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200 and resp.json["paths"]["/users"]["post"]["operationId"] \
        == "createUser"


def _seed(db, make) -> None:
    """Something of every kind for the lists to show (enrolment with progress, award,
    rotation plan, xAPI statements)."""
    from datetime import date, timedelta

    from sqlalchemy import select

    from lms.catalog import learning
    from lms.catalog.models import Lesson
    from lms.certification import rules as certs
    from lms.rotation import plans as rotation

    unit = make.unit(code="HQ")
    role, other = make.job_role(code="clerk"), make.job_role(code="dispatcher")
    user = make.user(employee_no="E1001", org_unit=unit, job_role=role)
    hr = make.user(roles={"hr"})
    course = make.course(code="DT-101")
    lesson = db.session.scalar(select(Lesson).where(Lesson.course_id == course.id))
    learning.complete_lesson(user, course, lesson)
    cert = certs.save_certification(
        None, code="C-1", name_zh="认证", name_en="Cert", description_zh="", description_en="",
        validity_months=12, recert_window_days=30, requirements=[("course", "DT-101", None)],
        actor=hr)
    certs.issue_manually(user, cert, hr, "seed")
    rotation.plan(user=user, to_role=other, mentor=hr, notes="", actor=hr,
                  start=date.today() + timedelta(days=7))


def test_schemathesis_finds_no_server_error_and_no_schema_violation(app, db, make, make_token):
    import schemathesis
    from schemathesis.checks import (
        content_type_conformance,
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
    )

    _seed(db, make)
    _token, secret = make_token("read", "write")

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_schema_conformance]
    headers = {"Authorization": f"Bearer {secret}"}
    started = time.monotonic()
    ran = 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=40, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(headers=headers, checks=checks)

        try:
            run()
        except Unsatisfiable:  # pragma: no cover - an operation with nothing to generate
            continue
        ran += 1
    # Schemathesis leaves out the document's own operation.
    assert ran == len([op for op in OPERATIONS if op.operation_id != "getOpenApi"])
    assert time.monotonic() - started < 60
