"""Login throttling holds across several gunicorn worker processes: the failures are counted
in the database, not in one process's memory."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

# Slow (servers, fuzzing, long replications): `make test-fast` leaves it out.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def gunicorn_three_workers():
    folder = tempfile.mkdtemp(prefix="lms-throttle-")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "LMS_ENV": "production", "SECRET_KEY": "throttle-test-secret",
           "DATABASE_URL": f"sqlite:///{folder}/t.sqlite", "FLASK_APP": "wsgi",
           "LOGIN_MAX_FAILURES": "3", "RATELIMIT_ENABLED": "0"}
    env.pop("TEST_DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask"]
    subprocess.run(flask + ["db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    subprocess.run(flask + ["lms", "create-admin", "--employee-no", "W1", "--name", "工人",
                            "--email", "w1@example.com", "--password", "Right2026pass"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "3", "--bind",
                             f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310
            break
        except OSError:
            time.sleep(0.2)
    yield base, proc
    proc.terminate()
    proc.wait(15)


def _attempt(base: str, password: str) -> str:
    """One sign-in from a fresh browser (new cookies, new connection)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "identifier": "W1",
                                   "password": password}).encode()
    try:
        return opener.open(f"{base}/login", data=body).read().decode()
    except urllib.error.HTTPError as e:  # 422 with the form and its message
        return e.read().decode()


def _worker_pids(proc) -> set[int]:
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    return {int(p) for p in children}


def test_failures_are_shared_by_all_workers(gunicorn_three_workers):
    base, proc = gunicorn_three_workers
    assert len(_worker_pids(proc)) == 3
    for _ in range(3):
        assert "工号/邮箱或密码不正确" in _attempt(base, "wrong-password-9")
    # The right password is now refused, whichever worker answers.
    for _ in range(4):
        assert "登录失败次数过多" in _attempt(base, "Right2026pass")
