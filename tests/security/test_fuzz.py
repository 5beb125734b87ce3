"""Property-based fuzzing: no input makes a form, the scenario loader or the course-package
loader answer with a 500 or a traceback."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simulations
from lms.catalog.package import PackageError, load_package
from simulations import ScenarioError

# Slow (servers, fuzzing, long replications): `make test-fast` leaves it out.
pytestmark = pytest.mark.slow

TEXT = st.text(max_size=60)
FUZZ = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _ok(resp):
    body = resp.get_data(as_text=True)
    assert resp.status_code < 500, body[-500:]
    assert "Traceback" not in body and "sqlalchemy" not in body.lower()


@FUZZ
@given(identifier=TEXT, password=TEXT, remember=TEXT, nxt=TEXT)
def test_login_form(client, db, identifier, password, remember, nxt):
    from tests.conftest import csrf_from

    token = csrf_from(client.get("/login").get_data(as_text=True))
    _ok(client.post("/login", data={"csrf_token": token, "identifier": identifier,
                                    "password": password, "remember": remember,
                                    "next": nxt}))


def _signed_in(app, make, role):
    from tests.conftest import Auth

    client = app.test_client()
    user = make.user(roles={role})
    Auth(client).login(user.employee_no)
    return client, Auth(client)


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["employee_no", "name", "email", "password",
                                             "org_unit", "job_role", "roles", "active"]),
                            TEXT, max_size=8))
def test_admin_user_form(app, make, db, data):
    _client, auth = _signed_in(app, make, "admin")
    _ok(auth.post("/admin/users/new", data))


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["employee_no", "to_role", "start_date",
                                             "mentor_no", "notes"]), TEXT, max_size=5))
def test_rotation_form(app, make, db, data):
    _client, auth = _signed_in(app, make, "hr")
    _ok(auth.post("/hr/rotations/new", data))


@FUZZ
@given(q=TEXT, category=TEXT, mine=TEXT, page=TEXT)
def test_catalog_and_directory_filters(app, make, db, q, category, mine, page):
    client, _auth = _signed_in(app, make, "hr")
    _ok(client.get("/learn/catalog", query_string={"q": q, "category": category,
                                                     "mine": mine, "page": page}))
    _ok(client.get("/hr/people", query_string={"q": q, "unit": category, "job_role": mine,
                                                 "page": page}))
    _ok(client.get("/hr/compliance", query_string={"unit": q, "certification": category,
                                                     "days": mine}))


scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                   st.floats(allow_nan=True, allow_infinity=True), TEXT)
# Nested lists and mappings of scalars (st.deferred: Hypothesis's own check on st.recursive's
# `extend` misfires when another module built the same strategies first).
tree: st.SearchStrategy = st.deferred(lambda: st.one_of(
    scalar, st.lists(tree, max_size=4), st.dictionaries(TEXT, tree, max_size=4)))


@settings(max_examples=150, deadline=None)
@given(data=st.one_of(tree, st.fixed_dictionaries({
    "kind": st.sampled_from(["service_counter", "dispatch", "other"]),
    "id": TEXT, "horizon_min": scalar, "arrivals": tree, "service_types": tree,
    "counters": tree, "zones": tree, "crews": tree, "target_wait_min": scalar})))
def test_scenario_loader_only_raises_scenario_errors(data):
    try:
        simulations.load_scenario(data if isinstance(data, dict) else {"x": data})
    except ScenarioError as e:
        assert "\n" not in str(e) and str(e)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(manifest=st.one_of(tree, st.fixed_dictionaries({
    "code": TEXT, "title": tree, "summary": tree, "category": TEXT,
    "estimated_minutes": scalar, "modules": tree, "quiz_banks": tree, "quizzes": tree})))
def test_course_package_loader_only_raises_package_errors(tmp_path_factory, manifest):
    folder = tmp_path_factory.mktemp("pkg")
    (folder / "course.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True),
                                        encoding="utf-8")
    try:
        load_package(folder)
    except PackageError as e:
        assert e.problems and all(str(p) for p in e.problems)
