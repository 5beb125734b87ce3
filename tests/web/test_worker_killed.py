"""A worker killed in the middle of a roster import: its transaction is lost, the job is
queued again (by the next worker to start, or the scheduler's check every few minutes),
and the people are created exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
ROWS = 4000


def _env(tmp_path, stale_minutes: str) -> dict[str, str]:
    env = {**os.environ, "LMS_ENV": "development", "SECRET_KEY": "worker-kill-test",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'lms.sqlite'}",
           "LMS_JOBS_BACKEND": "sqlite", "LMS_JOBS_SQLITE": str(tmp_path / "jobs.sqlite"),
           "LMS_JOBS_STALE_MINUTES": stale_minutes, "FLASK_APP": "wsgi"}
    env.pop("REDIS_URL", None)
    return env


def _job(tmp_path):
    with sqlite3.connect(tmp_path / "lms.sqlite") as conn:
        return conn.execute("SELECT status, attempts, id FROM jobs "
                            "WHERE kind='roster_import'").fetchone()


def _worker(env, log):
    return subprocess.Popen([str(Path(sys.executable).parent / "flask"), "lms", "worker",
                             "-w", "1", "--no-periodic"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def test_a_killed_worker_s_import_is_retried_and_creates_people_once(tmp_path):
    env = _env(tmp_path, "30")
    subprocess.run([str(Path(sys.executable).parent / "flask"), "db", "upgrade"], cwd=ROOT,
                   env=env, check=True, capture_output=True, timeout=120)
    csv = "employee_no,name,email\n" + "".join(
        f"K{i:05d},员工{i},k{i}@example.com\n" for i in range(ROWS))
    (tmp_path / "roster.csv").write_text(csv, encoding="utf-8")
    subprocess.run([sys.executable, "-c", (
        "import sys, shutil\n"
        "from pathlib import Path\n"
        "from lms import create_app\n"
        "from lms.extensions import db\n"
        "from lms.people import accounts, roster_jobs\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    hr = accounts.create_user(employee_no='HR1', name='人事', email='hr@x.example',"
        " password='Long-enough-pass1', roles={'hr'})\n"
        "    staged = roster_jobs.store() / 'tok.csv'\n"
        "    shutil.copy(sys.argv[1], staged)\n"
        "    roster_jobs.start_import(staged, hr, '127.0.0.1')\n"
        "    db.session.commit()\n"), str(tmp_path / "roster.csv")],
        cwd=ROOT, env=env, check=True, timeout=120)
    log = (tmp_path / "worker.log").open("w+")
    first = _worker(env, log)
    try:
        deadline = time.monotonic() + 60
        while (_job(tmp_path) or ("queued",))[0] != "running":
            assert time.monotonic() < deadline and first.poll() is None, \
                Path(log.name).read_text()
            time.sleep(0.05)
        time.sleep(0.5)  # well inside the import
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        status, attempts, _id = _job(tmp_path)
        assert status == "running" and attempts == 1  # left behind by the dead worker
        with sqlite3.connect(tmp_path / "lms.sqlite") as conn:
            assert conn.execute("SELECT count(*) FROM users WHERE employee_no LIKE 'K%'"
                                ).fetchone()[0] == 0  # all or nothing: nothing yet
        time.sleep(1.5)
        second = _worker(_env(tmp_path, "0.01"), log)  # silent > 0.6 s counts as dead
        try:
            deadline = time.monotonic() + 120
            while _job(tmp_path)[0] != "done":
                assert time.monotonic() < deadline and second.poll() is None, \
                    Path(log.name).read_text()
                time.sleep(0.2)
        finally:
            second.send_signal(signal.SIGINT)
            second.wait(timeout=30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        log.close()
    status, attempts, _id = _job(tmp_path)
    assert status == "done" and attempts == 2
    with sqlite3.connect(tmp_path / "lms.sqlite") as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT employee_no) FROM users "
                            "WHERE employee_no LIKE 'K%'").fetchone() == (ROWS, ROWS)
        assert "queued again" in Path(log.name).read_text()
