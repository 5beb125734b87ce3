"""End-to-end fixtures: the real app under gunicorn on loopback, driven by Debian's Chromium.

The server gets a database of its own (a temporary SQLite file, or a fresh PostgreSQL
database `lms_e2e` beside TEST_DATABASE_URL), migrated and loaded with the demo data exactly
as `make run` does. Screenshots go to test-artifacts/e2e/ (ignored by git).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    message = f"Chromium not found at {CHROMIUM}: end-to-end tests not run " \
              "(apt-get install chromium chromium-driver)"
    if os.environ.get("LMS_REQUIRE_E2E"):
        raise pytest.UsageError(message)
    skip = pytest.mark.skip(reason=message)
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database() -> tuple[str, callable]:
    test_url = os.environ.get("TEST_DATABASE_URL", "")
    if test_url.startswith("postgresql"):
        import psycopg

        base = test_url.replace("postgresql+psycopg://", "postgresql://")
        admin = base.rsplit("/", 1)[0] + "/postgres"

        def run(sql):
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(sql)

        run("DROP DATABASE IF EXISTS lms_e2e WITH (FORCE)")
        run("CREATE DATABASE lms_e2e")
        return base.rsplit("/", 1)[0] + "/lms_e2e", lambda: run(
            "DROP DATABASE IF EXISTS lms_e2e WITH (FORCE)")
    folder = tempfile.mkdtemp(prefix="lms-e2e-")
    return f"sqlite:///{folder}/e2e.sqlite", lambda: None


@pytest.fixture(scope="session")
def server():
    url, cleanup = _database()
    port = _free_port()
    env = {**os.environ, "LMS_ENV": "production", "SECRET_KEY": "e2e-secret-not-for-real-use",
           "LMS_DEMO": "1", "DATABASE_URL": url, "FLASK_APP": "wsgi",
           "LOGIN_MAX_FAILURES": "50"}
    env.pop("TEST_DATABASE_URL", None)
    flask = [sys.executable, "-m", "flask"]
    for args in (["db", "upgrade"], ["lms", "seed-demo"]):
        subprocess.run(flask + args, cwd=ROOT, env=env, check=True, capture_output=True)
    log = tempfile.NamedTemporaryFile("w", prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "2", "--bind",
                             f"127.0.0.1:{port}", "wsgi:app"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError(f"gunicorn did not start; see {log.name}")
    yield {"base": base, "database_url": url}
    proc.send_signal(signal.SIGTERM)
    proc.wait(15)
    log.close()
    cleanup()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(base_url=server["base"], locale="zh-CN",
                                  viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture()
def shot(request):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(page, who: str, password: str = "Power2026demo") -> None:  # noqa: S107
    page.goto("/login")
    page.fill("#identifier", who)
    page.fill("#password", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/learn/")
