"""`make run`'s supervisor (scripts/run.sh): gunicorn and a job worker start together, a job
submitted by another process runs in the worker, and Ctrl-C stops both."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_run_script_serves_runs_jobs_and_stops_both_on_ctrl_c(tmp_path):
    port = _free_port()
    env = {**os.environ, "LMS_ENV": "development", "SECRET_KEY": "run-script-test",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'lms.sqlite'}",
           "LMS_JOBS_BACKEND": "sqlite", "LMS_JOBS_SQLITE": str(tmp_path / "jobs.sqlite"),
           "PORT": str(port), "WORKERS": "1", "JOB_WORKERS": "1",
           "BIN": str(Path(sys.executable).parent), "FLASK_APP": "wsgi"}
    env.pop("REDIS_URL", None)
    flask = str(Path(sys.executable).parent / "flask")
    subprocess.run([flask, "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=120)
    log = (tmp_path / "run.log").open("w+")
    proc = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert proc.poll() is None, Path(log.name).read_text()
                assert time.monotonic() < deadline, Path(log.name).read_text()
                time.sleep(0.3)
        text = Path(log.name).read_text()
        web_pid, worker_pid = map(int, re.search(r"\(pid (\d+)\), worker pid (\d+)",
                                                 text).groups())
        # Another process (as a web request would) submits a job; the worker runs it.
        subprocess.run([sys.executable, "-c", (
            "from lms import create_app\n"
            "from lms.extensions import db\n"
            "from lms.jobs import runner\n"
            "app = create_app()\n"
            "with app.app_context():\n"
            "    runner.submit('retention_purge')\n"
            "    db.session.commit()\n")], cwd=ROOT, env=env, check=True, timeout=60)
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline:
            with sqlite3.connect(tmp_path / "lms.sqlite") as conn:
                row = conn.execute("SELECT status FROM jobs WHERE kind='retention_purge' "
                                   "AND key IS NULL").fetchone()
            status = row[0] if row else None
            if status == "done":
                break
            time.sleep(0.3)
        assert status == "done", Path(log.name).read_text()
        # Ctrl-C: the script stops both and exits.
        os.kill(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while (_alive(web_pid) or _alive(worker_pid)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(web_pid) and not _alive(worker_pid)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
