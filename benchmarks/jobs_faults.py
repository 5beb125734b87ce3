"""Scale-out of background jobs: two app servers and two job workers on PostgreSQL + Redis.

HR uploads a 20,000-row roster through server A and applies it; the import runs as a job on
one of the two workers. While it runs, a learner keeps opening the dashboard through server
B (its latency is measured) and HR's job page is polled for progress. Part-way through, the
worker holding the job is killed (SIGKILL) and a replacement worker is started: the job is
queued again and finishes; every person exists exactly once.

    python benchmarks/jobs_faults.py [--rows 20000] [--write-docs]

Loopback only; the PostgreSQL database (lms_bench_jobs) is dropped afterwards and only the
queue's own keys are removed from Redis database 11.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402
from harness import PY, ROOT, Database, Server  # noqa: E402

START, END = "<!-- jobs-faults:start -->", "<!-- jobs-faults:end -->"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
PASSWORD = "Jobs-bench-2026"  # noqa: S105 - throwaway accounts


def _accounts(env: dict[str, str]) -> None:
    code = ("from lms import create_app\n"
            "from lms.people import accounts\n"
            "app = create_app()\n"
            "with app.app_context():\n"
            f"    accounts.create_user(employee_no='JHR1', name='人事', email='hr@j.example',"
            f" password='{PASSWORD}', roles={{'hr'}})\n"
            f"    accounts.create_user(employee_no='JL1', name='学员', email='l@j.example',"
            f" password='{PASSWORD}', roles=set())\n")
    subprocess.run([PY, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True)


def _worker(env: dict[str, str], name: str) -> tuple[subprocess.Popen, Path]:
    log = Path(tempfile.mkstemp(prefix=f"jobs-{name}-", suffix=".log")[1])
    proc = subprocess.Popen([PY, "-m", "flask", "lms", "worker", "-w", "1"], cwd=ROOT,
                            env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    return proc, log


def _upload(s: harness.Session, csv: bytes) -> str:
    _st, _h, html = s.get("/hr/roster")
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            f"{harness.csrf_from(html)}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f"name=\"file\"; filename=\"roster.csv\"\r\nContent-Type: text/csv\r\n\r\n"
            ).encode() + csv + f"\r\n--{boundary}--\r\n".encode()
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", int(s.base.rsplit(":", 1)[1]), timeout=120)
    conn.request("POST", "/hr/roster", body=body, headers={
        "Cookie": s.cookie_header, "User-Agent": harness.USER_AGENT,
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    resp = conn.getresponse()
    html = resp.read().decode()
    s._take({"set-cookie": "\n".join(v for k, v in resp.getheaders()
                                      if k.lower() == "set-cookie")})  # the upload's token
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]+)"', html)
    if resp.status != 200 or token is None:
        raise RuntimeError(f"preview failed: HTTP {resp.status}")
    status, headers, _b = s.post("/hr/roster/apply", {
        "token": token.group(1), "csrf_token": harness.csrf_from(html)})
    if status != 302 or "/jobs/" not in headers.get("location", ""):
        raise RuntimeError(f"apply failed: HTTP {status}")
    return headers["location"].rsplit("/jobs/", 1)[1]


class Probe(threading.Thread):
    """The learner's dashboard through server B, every 100 ms: latencies in ms."""

    def __init__(self, s: harness.Session):
        super().__init__(daemon=True)
        self.s, self.stop, self.ms, self.errors = s, threading.Event(), [], 0

    def run(self) -> None:
        while not self.stop.is_set():
            t = time.monotonic()
            try:
                status, _h, _b = self.s.get("/learn/", timeout=30)
                self.errors += status != 200
            except OSError:
                self.errors += 1
            self.ms.append((time.monotonic() - t) * 1000)
            self.stop.wait(0.1)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def run(args, log=print) -> dict:
    import redis

    r = redis.Redis.from_url(REDIS)
    for key in r.scan_iter("huey*"):
        r.delete(key)
    db = Database("postgresql", name="lms_bench_jobs")
    procs: list[subprocess.Popen] = []
    servers: list[Server] = []
    try:
        env = harness.app_env(db, REDIS_URL=REDIS, LMS_JOBS_BACKEND="redis")
        subprocess.run([PY, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        _accounts(env)
        servers = [Server("wsgi:app", env, 2, name="a"), Server("wsgi:app", env, 2, name="b")]
        a, b = servers
        workers = [_worker(env, "w1"), _worker(env, "w2")]
        procs += [p for p, _l in workers]
        hr = harness.sign_in(a.base, "JHR1", PASSWORD)
        learner = harness.sign_in(b.base, "JL1", PASSWORD)
        csv = ("employee_no,name,email\n" + "".join(
            f"S{i:06d},员工{i},s{i}@scale.example\n" for i in range(args.rows))).encode()
        probe = Probe(learner)
        probe.start()
        time.sleep(4)
        idle_ms = list(probe.ms)[5:]  # after the first requests (cold caches)
        started = time.monotonic()
        job = _upload(hr, csv)
        log(f"job {job} submitted after {time.monotonic() - started:.1f} s (preview + apply)")
        samples: list[tuple[float, int]] = []
        killed_at = None
        replacement = None
        deadline = time.monotonic() + 900
        status = "queued"
        while time.monotonic() < deadline:
            _s, _h, html = hr.get(f"/jobs/{job}/progress")
            status = re.search(r'data-status="(\w+)"', html).group(1)
            pct = int(re.search(r'aria-valuenow="(\d+)"', html).group(1))
            samples.append((round(time.monotonic() - started, 1), pct))
            if status in ("done", "failed"):
                break
            if killed_at is None and status == "running" and pct >= 30:
                holder = next(p for p, lg in workers
                              if "Executing lms.jobs.runner.lms.run_job" in lg.read_text())
                holder.send_signal(signal.SIGKILL)
                holder.wait(10)
                killed_at = pct
                log(f"worker {holder.pid} killed at {pct}%")
                time.sleep(2)
                replacement, _l = _worker({**env, "LMS_JOBS_STALE_MINUTES": "0.02"}, "w3")
                procs.append(replacement)
            time.sleep(1)
        took = time.monotonic() - started
        probe.stop.set()
        probe.join(5)
        during = probe.ms[len(idle_ms) + 5:]
        count, distinct = db.query("SELECT count(*), count(DISTINCT employee_no) FROM users "
                                   "WHERE employee_no LIKE 'S%%'")[0]
        attempts = db.query("SELECT attempts FROM jobs WHERE public_id = %s", (job,))[0][0]
        return {"name": "Jobs: two app servers, two workers, PostgreSQL + Redis",
                "rows": args.rows, "status": status, "seconds": round(took, 1),
                "killed_at_percent": killed_at, "attempts": attempts,
                "people": count, "distinct_people": distinct,
                "progress_samples": len(samples), "progress_seen": sorted({p for _t, p in
                                                                            samples}),
                "learner_p50_idle_ms": round(_p(idle_ms, 0.5), 1),
                "learner_p50_ms": round(_p(during, 0.5), 1),
                "learner_p95_ms": round(_p(during, 0.95), 1),
                "learner_requests": len(during), "learner_errors": probe.errors,
                "tracebacks": sum(s.tracebacks() for s in servers)}
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    p.kill()
        for s in servers:
            s.stop()
        db.drop()
        for key in r.scan_iter("huey*"):
            r.delete(key)


def render(res: dict, command: str) -> str:
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    ok = res["people"] == res["distinct_people"] == res["rows"] and res["status"] == "done"
    return "\n".join([
        START, "## Background jobs: scale-out and a killed worker", "",
        f"Produced by `{command}` on {day}: two gunicorn servers (2 sync workers each) and two "
        "job workers (`flask lms worker -w 1`) on one PostgreSQL database and one Redis "
        "queue, loopback, 2 cores shared by all of them.", "",
        f"- HR uploaded and applied a {res['rows']:,}-row roster through server A; the job "
        f"finished `{res['status']}` {res['seconds']} s after the upload, on attempt "
        f"{res['attempts']}.",
        f"- The worker holding the job was killed (SIGKILL) at {res['killed_at_percent']}% "
        "and a replacement started: the job was queued again and ran to the end; people in "
        f"the database: {res['people']:,} ({res['distinct_people']:,} distinct) — "
        + ("each exactly once." if ok else "NOT exactly once."),
        f"- Progress seen on the job page (percent): {res['progress_seen']}.",
        f"- A learner's dashboard through server B meanwhile: p50 {res['learner_p50_ms']} ms, "
        f"p95 {res['learner_p95_ms']} ms over {res['learner_requests']} requests "
        f"({res['learner_errors']} errors; p50 before the import "
        f"{res['learner_p50_idle_ms']} ms).",
        f"- Server tracebacks logged: {res['tracebacks']}.", "", END])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=20_000)
    p.add_argument("--write-docs", action="store_true")
    args = p.parse_args(argv)
    command = "python benchmarks/jobs_faults.py " + " ".join(argv or sys.argv[1:])
    res = run(args)
    print(json.dumps(res))
    if args.write_docs:
        from web_bench import write_section

        write_section(render(res, command.strip()), START, END)
    ok = res["status"] == "done" and res["people"] == res["distinct_people"] == args.rows
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
