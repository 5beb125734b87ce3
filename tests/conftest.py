"""Fixtures shared by every test: app, db, client, login_as, factories.

The database is TEST_DATABASE_URL (PostgreSQL in CI) or a temporary SQLite file. The schema
is built by the real Alembic migrations once per session; every test starts from empty
tables and leaves them empty, so a run never breaks the next one.
"""

from __future__ import annotations

import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import event, text

from lms import create_app
from lms.config import TestingConfig
from lms.extensions import db as _db

from .factories import Factories


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (its own `g` and DB session), as in production,
    even though the test itself holds one open for factories and assertions."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


_TMP = tempfile.mkdtemp(prefix="lms-test-")
_URL = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{Path(_TMP) / 'test.sqlite'}"


def _drop_everything() -> None:
    _db.drop_all()
    with _db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(scope="session")
def app():
    from lms.config import _database_url

    app = create_app({**{k: getattr(TestingConfig, k) for k in dir(TestingConfig)
                         if k.isupper()},
                      "SQLALCHEMY_DATABASE_URI": _database_url(_URL),
                      "JOBS_SQLITE_PATH": str(Path(_TMP) / "jobs.sqlite")})
    app.test_client_class = IsolatedClient
    with app.app_context():
        _drop_everything()
        upgrade()
    yield app
    with app.app_context():
        _db.session.remove()
        _drop_everything()
        _db.engine.dispose()


@pytest.fixture()
def db(app):
    from lms.jobs.queue import huey

    with app.app_context():
        huey.flush()  # what an earlier test queued and never ran is not this test's work
        yield _db
        huey.flush()
        _db.session.rollback()
        _db.session.remove()
        with _db.engine.begin() as conn:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture()
def worker(app, db):
    """A real consumer of the test queue, in threads of this process: jobs submitted by
    requests run there, in their own app context and database session.
    `worker.drain()` waits until every job has finished."""
    from lms.jobs import queue
    from lms.jobs.queue import huey

    from .jobs import TestWorker

    # Tasks run in this test's app and its queue: a test elsewhere in the run may have
    # built another app since (create_app binds the queue to the newest one).
    queue.configure(app)
    huey.flush()  # nothing left over from an earlier test (queued or scheduled retries)
    w = TestWorker(app)
    w.start()
    yield w
    w.stop()
    huey.flush()


@pytest.fixture()
def client(app, db):
    return app.test_client()


@pytest.fixture()
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture()
def make(db, tmp_path) -> Factories:
    return Factories(tmp_path)


@contextmanager
def count_queries(app):
    """Count the SQL statements run inside the block (all connections of the app's engine)."""
    with app.app_context():
        engine = _db.engine
    counter = {"n": 0}

    def before(*_args, **_kw):
        counter["n"] += 1

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", before)


_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                   r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    m = _CSRF.search(html)
    assert m, "page has no CSRF token"
    return m.group(1) or m.group(2)


class Auth:
    """Sign in as a user through the real login form (CSRF and all)."""

    def __init__(self, client):
        self.client = client

    def csrf(self, path: str = "/login") -> str:
        return csrf_from(self.client.get(path).get_data(as_text=True))

    def login(self, identifier: str, password: str = Factories.PASSWORD, **extra):
        token = self.csrf("/login")
        return self.client.post("/login", data={"identifier": identifier, "password": password,
                                                "csrf_token": token, **extra})

    def logout(self):
        token = self.csrf("/account")
        return self.client.post("/logout", data={"csrf_token": token})

    def post(self, path: str, data: dict | None = None, form_page: str | None = None, **kw):
        """POST with a CSRF token taken from `form_page` (default: the same path)."""
        token = self.csrf(form_page or path)
        return self.client.post(path, data={"csrf_token": token, **(data or {})}, **kw)


@pytest.fixture()
def auth(client) -> Auth:
    return Auth(client)


@pytest.fixture()
def login_as(client, make, auth):
    """login_as("hr") → a new user holding that platform role, signed in."""

    def _login(*roles: str, **kw):
        user = make.user(roles={r for r in roles if r != "learner"}, **kw)
        resp = auth.login(user.employee_no)
        assert resp.status_code == 302, resp.get_data(as_text=True)
        return user

    return _login
