"""Rate limits per token, and tokens never in logs: gunicorn's access and error logs (a real
gunicorn with rate limiting on), werkzeug's request log, and the application's own logging."""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

# Slow (servers, fuzzing, long replications): `make test-fast` leaves it out.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, secret: str | None = None) -> tuple[int, dict, dict]:
    request = urllib.request.Request(url)  # noqa: S310 - always http://127.0.0.1
    if secret:
        request.add_header("Authorization", f"Bearer {secret}")
    try:
        with urllib.request.urlopen(request, timeout=10) as resp:  # noqa: S310 - 127.0.0.1
            return resp.status, dict(resp.headers), json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), json.loads(e.read() or b"{}")


@pytest.fixture()
def gunicorn_with_limits():
    folder = Path(tempfile.mkdtemp(prefix="lms-api-limits-"))
    port = _free_port()
    env = {**os.environ, "LMS_ENV": "production", "SECRET_KEY": "api-limit-test-secret",
           "DATABASE_URL": f"sqlite:///{folder}/t.sqlite", "FLASK_APP": "wsgi",
           "RATELIMIT_ENABLED": "1", "LMS_API_RATE_LIMIT": "5 per minute"}
    for name in ("TEST_DATABASE_URL", "REDIS_URL", "LRS_URL"):
        env.pop(name, None)
    flask = [sys.executable, "-m", "flask"]
    subprocess.run(flask + ["db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    secrets = []
    for name in ("HR sync", "Data platform"):
        out = subprocess.run(flask + ["lms", "create-api-token", "--name", name, "--scope",
                                      "read"], cwd=ROOT, env=env, check=True,
                             capture_output=True, text=True).stdout
        secrets.append(re.search(r"(lms_\S+)", out).group(1))
    access, errors = folder / "access.log", folder / "error.log"
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind",
                             f"127.0.0.1:{port}", "--access-logfile", str(access),
                             "--error-logfile", str(errors), "--log-level", "debug",
                             "wsgi:app"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310
            break
        except OSError:
            time.sleep(0.2)
    yield base, secrets, access, errors
    proc.terminate()
    proc.wait(15)


def test_rate_limit_per_token_and_no_token_in_gunicorn_logs(gunicorn_with_limits):
    base, (first, second), access, errors = gunicorn_with_limits
    statuses = [_get(f"{base}/api/v1/users", first)[0] for _ in range(5)]
    assert statuses == [200] * 5
    status, headers, body = _get(f"{base}/api/v1/users", first)
    assert status == 429
    assert body["error"]["code"] == "rate_limited"
    assert int(headers["Retry-After"]) > 0
    # The limit is per token: another system is not held back by the first one.
    assert _get(f"{base}/api/v1/users", second)[0] == 200
    assert _get(f"{base}/api/v1/users", first + "x")[0] == 401

    time.sleep(0.5)  # let gunicorn flush its logs
    logged = access.read_text() + errors.read_text()
    assert logged.count("/api/v1/users") >= 8  # the requests were logged …
    for secret in (first, second):
        assert secret not in logged  # … the tokens were not
        assert secret.split("_", 2)[2][:16] not in logged


def test_werkzeug_request_log_and_app_logs_never_show_the_token(app, db, make_token, caplog):
    from werkzeug.serving import make_server

    _token, secret = make_token("read")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    caplog.set_level(logging.DEBUG)
    try:
        assert _get(f"{base}/api/v1/users", secret)[0] == 200
        assert _get(f"{base}/api/v1/users/NOBODY", secret)[0] == 404
        assert _get(f"{base}/api/v1/users?per_page=0", secret)[0] == 422
        assert _get(f"{base}/api/v1/users", secret + "x")[0] == 401
    finally:
        server.shutdown()
        server.server_close()
    assert "/api/v1/users" in caplog.text  # werkzeug logged the requests
    assert secret not in caplog.text and secret[:-1] not in caplog.text


def test_server_errors_are_json_and_log_no_headers(app, client, make_token, caplog,
                                                   monkeypatch):
    from lms.integration import records as integration

    _token, secret = make_token("read")

    def boom(**_kw):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(integration, "users_query", boom)
    with caplog.at_level(logging.ERROR):
        resp = client.get("/api/v1/users", headers={"Authorization": f"Bearer {secret}"})
    assert resp.status_code == 500
    assert resp.json["error"]["code"] == "server_error"
    assert "Traceback" not in resp.get_data(as_text=True)
    assert "GET /api/v1/users" in caplog.text and secret not in caplog.text
