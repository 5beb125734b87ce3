"""What the web benchmarks, the soak and the fault runs share: a throwaway database seeded with
`flask lms seed-bench`, gunicorn on loopback, signing in through the real login form, and the
prepared requests (session cookie, CSRF token, quiz attempt) that the load driver replays.

Everything runs on this machine only (127.0.0.1): the databases are a temporary SQLite file or
a throwaway PostgreSQL database `lms_bench` that is dropped afterwards.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DB = os.environ.get("BENCH_PG_DB", "lms_bench")
PASSWORD = "Bench2026load"  # noqa: S105 - benchmark accounts (lms.seed.bench)
USER_AGENT = "lms-bench/1.0"
LEARNERS = ["B0001"] + [f"B{1000 + i}" for i in range(1, 10)]
HR, MANAGER = "B0002", "B0003"
SECRET = "bench-secret-not-for-real-use"  # noqa: S105


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- databases -----------------------------------------------------------------------------

class Database:
    """A throwaway database: `url` for the app, `drop()` when done."""

    def __init__(self, kind: str, name: str = PG_DB):
        self.kind, self.name = kind, name
        if kind == "sqlite":
            self.folder = tempfile.mkdtemp(prefix="lms-bench-")
            self.url = f"sqlite:///{self.folder}/bench.sqlite"
        elif kind == "postgresql":
            self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.admin(f'CREATE DATABASE "{name}"')
            self.url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
        else:
            raise ValueError(kind)

    @staticmethod
    def admin(sql: str, params: tuple = ()) -> list:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            cur = conn.execute(sql, params)
            return cur.fetchall() if cur.description else []

    def query(self, sql: str, params: tuple = ()) -> list:
        """Read the benchmark database directly (to check what the app stored)."""
        if self.kind == "sqlite":
            import sqlite3

            conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=30)
            try:
                return conn.execute(sql.replace("%s", "?"), params).fetchall()
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()

    def terminate_app_connections(self) -> int:
        """Kill every server process of the app's connections (as a crash/restart would)."""
        rows = self.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = %s AND pid <> pg_backend_pid()", (self.name,))
        return len(rows)

    def drop(self) -> None:
        if self.kind == "postgresql":
            self.admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        else:
            import shutil

            shutil.rmtree(self.folder, ignore_errors=True)


def app_env(db: Database, **extra: str) -> dict[str, str]:
    env = {**os.environ, "LMS_ENV": "production", "SECRET_KEY": SECRET,
           "DATABASE_URL": db.url, "FLASK_APP": "wsgi", "LOGIN_MAX_FAILURES": "1000",
           "PYTHONPATH": str(ROOT)}
    env.pop("TEST_DATABASE_URL", None)
    env.pop("LMS_DEMO", None)
    env.update(extra)
    return env


def seed(db: Database, employees: int, log=print) -> float:
    """Migrate and seed; returns the seeding time in seconds."""
    env = app_env(db)
    subprocess.run([PY, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    started = time.monotonic()
    done = subprocess.run([PY, "-m", "flask", "lms", "seed-bench", "--employees",
                           str(employees)], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"seed-bench failed: {done.stderr or done.stdout}")
    took = time.monotonic() - started
    log(next((x for x in done.stdout.splitlines() if x.startswith("Bench data ready")), ""))
    return took


# --- servers -------------------------------------------------------------------------------

class Server:
    """gunicorn (sync workers, as `make run`) on 127.0.0.1."""

    def __init__(self, app: str, env: dict[str, str], workers: int, port: int | None = None,
                 name: str = "app"):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile("w+", prefix=f"gunicorn-{name}-",  # noqa: SIM115
                                               suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [PY, "-m", "gunicorn", "--workers", str(workers), "--bind",
             f"127.0.0.1:{self.port}", "--graceful-timeout", "5", app],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        health = "/healthz" if app == "wsgi:app" else "/"
        for _ in range(150):
            try:
                status, _h, _b = request("GET", self.base + health, timeout=2)
                if status == 200:
                    break
            except OSError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError(f"gunicorn did not start; see {self.log.name}")
        if self.proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {self.log.name}")

    def workers(self) -> list[int]:
        """The worker processes' ids (children of the gunicorn master)."""
        out = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == self.proc.pid:
                out.append(int(entry.name))
        return sorted(out)

    @staticmethod
    def rss_kib(pid: int) -> int | None:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            return None
        return None

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the worker processes."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.workers():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def log_text(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")

    def tracebacks(self) -> int:
        return self.log_text().count("Traceback (most recent call last)")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.log.close()


# --- a small HTTP client with a cookie, as a browser would send them ------------------------

def request(method: str, url: str, headers: dict[str, str] | None = None,
            body: str | None = None, timeout: float = 30) -> tuple[int, dict[str, str], str]:
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, path, body=body, headers={"User-Agent": USER_AGENT,
                                                       **(headers or {})})
        resp = conn.getresponse()
        data = resp.read().decode("utf-8", errors="replace")
        hdrs = {k.lower(): v for k, v in resp.getheaders() if k.lower() != "set-cookie"}
        cookies = [v for k, v in resp.getheaders() if k.lower() == "set-cookie"]
        if cookies:
            hdrs["set-cookie"] = "\n".join(cookies)
        return resp.status, hdrs, data
    finally:
        conn.close()


_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                   r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    m = _CSRF.search(html)
    if not m:
        raise RuntimeError("page has no CSRF token")
    return m.group(1) or m.group(2)


@dataclass
class Session:
    """A signed-in browser: its cookie jar (name → value) against one base URL."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _take(self, headers: dict[str, str]) -> None:
        for line in headers.get("set-cookie", "").splitlines():
            name, _, rest = line.partition("=")
            value = rest.split(";", 1)[0]
            if "expires=thu, 01 jan 1970" in line.lower() or not value:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value

    def get(self, path: str, timeout: float = 30) -> tuple[int, dict[str, str], str]:
        status, headers, body = request("GET", self.base + path,
                                        {"Cookie": self.cookie_header}, timeout=timeout)
        self._take(headers)
        return status, headers, body

    def post(self, path: str, data: dict | list, timeout: float = 30,
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        body = urllib.parse.urlencode(data, doseq=True)
        status, hdrs, text = request("POST", self.base + path, {
            "Cookie": self.cookie_header, "Content-Type": "application/x-www-form-urlencoded",
            **(headers or {})}, body, timeout=timeout)
        self._take(hdrs)
        return status, hdrs, text


def sign_in(base: str, who: str, password: str = PASSWORD) -> Session:
    s = Session(base)
    _st, _h, html = s.get("/login")
    status, headers, _b = s.post("/login", {"identifier": who, "password": password,
                                            "csrf_token": csrf_from(html)})
    if status != 302 or "/login" in headers.get("location", ""):
        raise RuntimeError(f"could not sign in as {who} (HTTP {status})")
    return s


# --- the quiz attempt a learner autosaves into ----------------------------------------------

_FIELD = re.compile(r'<input[^>]*?name="(q\d+)"[^>]*>|<textarea[^>]*?name="(q\d+)"')


@dataclass
class Attempt:
    session: Session
    public_id: str
    csrf: str
    fields: dict[str, tuple[str, list[str]]]  # name → (input type, option values)

    @property
    def save_path(self) -> str:
        return f"/learn/attempts/{self.public_id}/save"

    def answers(self, variant: int) -> dict[str, list[str]]:
        """A full set of answers; `variant` changes every answer that can change."""
        out: dict[str, list[str]] = {}
        for name, (kind, options) in self.fields.items():
            if kind in ("radio", "checkbox") and options:
                out[name] = [options[variant % len(options)]]
            else:
                out[name] = [str(100 + variant)]
        return out

    def body(self, variant: int) -> str:
        return urllib.parse.urlencode({"csrf_token": self.csrf, **self.answers(variant)},
                                      doseq=True)


def open_attempt(s: Session, course: str = "DT-103") -> Attempt:
    """Start (or resume) the final quiz of `course` and read its answer form."""
    _st, _h, html = s.get(f"/learn/courses/{course}")
    m = re.search(r'href="(/learn/quizzes/[^"/]+)"', html)
    if not m:
        raise RuntimeError(f"no quiz link on the {course} course page")
    quiz = m.group(1)
    _st, _h, html = s.get(quiz)
    status, headers, _b = s.post(f"{quiz}/start", {"csrf_token": csrf_from(html)})
    where = headers.get("location", "")
    if status != 302 or "/attempts/" not in where:
        raise RuntimeError(f"could not start the quiz {quiz} (HTTP {status} → {where})")
    public_id = where.rstrip("/").split("/attempts/")[1].split("/")[0]
    _st, _h, html = s.get(f"/learn/attempts/{public_id}")
    fields: dict[str, tuple[str, list[str]]] = {}
    for tag in re.finditer(r"<(input|textarea)\b[^>]*>", html):
        text = tag.group(0)
        name = re.search(r'name="(q\d+)"', text)
        if not name:
            continue
        kind = (re.search(r'type="(\w+)"', text) or [None, "text"])[1]
        if tag.group(1) == "textarea":
            kind = "text"
        value = re.search(r'value="([^"]*)"', text)
        entry = fields.setdefault(name.group(1), (kind, []))
        if kind in ("radio", "checkbox") and value:
            entry[1].append(value.group(1))
    if not fields:
        raise RuntimeError("the attempt page shows no questions")
    return Attempt(s, public_id, csrf_from(html), fields)


def lua_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid Lua string here


def write_spec(path: Path, reqs: list[dict]) -> Path:
    """The request list for benchmarks/wrk/requests.lua."""
    lines = ["return {"]
    for r in reqs:
        headers = {"User-Agent": USER_AGENT, **r.get("headers", {})}
        hdr = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
        body = f", body = {lua_string(r['body'])}" if r.get("body") else ""
        lines.append(f"  {{method = {lua_string(r.get('method', 'GET'))}, "
                     f"path = {lua_string(r['path'])}, headers = {{{hdr}}}{body}}},")
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
