"""`flask lms …` commands: demo data and account set-up."""

from __future__ import annotations

import sys
from typing import NoReturn

import click
from flask import current_app
from flask.cli import with_appcontext

from lms.core.errors import ServiceError
from lms.seed import demo


def _fail(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.group()
def lms() -> None:
    """Training platform commands."""


@lms.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load the demo organisation, job roles and accounts (idempotent; demo mode only)."""
    if not current_app.config.get("DEMO_MODE"):
        _fail("demo data is only loaded in demo mode (set LMS_DEMO=1).")
    steps = demo.steps()
    with click.progressbar(steps, label="Loading demo data",
                           item_show_func=lambda s: s[0] if s else None) as bar:
        summary: dict[str, int] = {}
        for _name, step in bar:
            try:
                counts = step()
            except RuntimeError as e:
                _fail(str(e))
            for key, count in counts.items():
                summary[key] = summary.get(key, 0) + count
    click.echo("Demo data ready: " + ", ".join(f"{k} +{v}" for k, v in summary.items()))


@lms.command("check-banks")
@click.argument("folders", nargs=-1, type=click.Path(file_okay=False))
def check_banks(folders: tuple[str, ...]) -> None:
    """Check the question banks, quizzes and lesson minutes of course packages (default:
    courses/): guessable answers, balance, exposure, untested topics. Exit 1 on findings."""
    from lms.assessment import course_checks

    code = course_checks.main(list(folders) or ["courses"])
    if code:
        raise SystemExit(code)


@lms.command("import-courses")
@click.argument("folder", type=click.Path(file_okay=False), default="courses")
@with_appcontext
def import_courses(folder: str) -> None:
    """Load or update the course packages under FOLDER (idempotent)."""
    from pathlib import Path

    from lms.studio import packages as course_packages

    if not Path(folder).is_dir():
        _fail(f"{folder}: no such folder")
    packages = course_packages.find_packages(folder)
    if not packages:
        _fail(f"{folder}: no course package (a folder with course.yaml) found")
    with click.progressbar(length=len(packages), label="Importing courses") as bar:
        def tick(items):
            for item in items:
                yield item
                bar.update(1)

        results = course_packages.import_folder(folder, progress=tick)
    failed = 0
    for r in results:
        click.echo(f"{r.code}: {r.action}" + (f" ({len(r.changes)} changes)" if r.changes
                                              else ""))
        for change in r.changes[:20]:
            click.echo(f"  - {change}")
        for problem in r.problems:
            click.echo(f"  ! {problem}", err=True)
        failed += r.action == "failed"
    if failed:
        _fail(f"{failed} package(s) not imported; nothing of them was changed")


@lms.command("import-scenarios")
@with_appcontext
def import_scenarios() -> None:
    """Load or update the built-in practice scenarios of simulations/scenarios (idempotent)."""
    from lms.practice.scenarios import import_builtins
    from simulations.scenario import BUILTIN_DIR

    files = sorted(BUILTIN_DIR.glob("*.yaml"))
    if not files:
        _fail(f"{BUILTIN_DIR}: no scenario files (*.yaml) found")
    with click.progressbar(length=len(files), label="Importing scenarios") as bar:
        def tick(items):
            for item in items:
                yield item
                bar.update(1)

        results = import_builtins(progress=tick)
    failed = 0
    for r in results:
        click.echo(f"{r.code}: {r.action}")
        if r.message:
            click.echo(f"  ! {r.message}", err=True)
        failed += r.action == "failed"
    if failed:
        _fail(f"{failed} scenario(s) not imported; nothing of them was changed")


@lms.command("export-course")
@click.argument("code")
@click.argument("folder", type=click.Path(file_okay=False))
@with_appcontext
def export_course(code: str, folder: str) -> None:
    """Write course CODE as a course package under FOLDER."""
    from sqlalchemy import select

    from lms.catalog.models import Course
    from lms.extensions import db
    from lms.studio import packages as course_packages

    course = db.session.scalar(select(Course).where(Course.code == code.upper()))
    if course is None:
        _fail(f"{code}: no such course")
    path = course_packages.export_course(course, folder)
    click.echo(f"Exported {course.code} to {path}")


@lms.command("sweep-awards")
@with_appcontext
def sweep_awards() -> None:
    """Daily: expiry notices, recertification work, expiries, evaluate every certification."""
    from lms.certification import rules as certification

    result = certification.sweep()
    click.echo(f"Reminded {result.reminded}, assigned {result.assigned} course(s), "
               f"recorded {result.expired} expiry(ies), sent {result.notices} expiry "
               f"notice(s) and {result.digests} digest(s), issued {result.issued} award(s).")


@lms.command("seed-bench")
@click.option("--employees", type=click.IntRange(min=10), default=5000, show_default=True)
@click.option("--seed", type=int, default=2026, show_default=True)
@click.option("--reset", is_flag=True, help="Wipe every table first (all data is lost).")
@with_appcontext
def seed_bench(employees: int, seed: int, reset: bool) -> None:
    """Build the benchmark data set: a whole company's staff and learning history."""
    import time

    from lms.seed import bench as bench_data

    try:
        people = bench_data.existing_people()
    except Exception as e:  # noqa: BLE001 - no schema yet: one line, not a traceback
        _fail(f"the database is not ready ({type(e).__name__}); run `flask db upgrade` first")
    if people and not reset:
        _fail(f"the database already holds {people} user(s); seed-bench needs an empty "
              "database (add --reset to wipe every table first)")
    if reset:
        bench_data.wipe()
    started = time.monotonic()
    seeder = bench_data.BenchSeeder(employees, seed=seed)
    steps = seeder.steps()
    with click.progressbar(length=sum(w for _l, w, _f in steps), label="Building bench data",
                           item_show_func=lambda s: s) as bar:
        for label, weight, step in steps:
            bar.current_item = label
            try:
                step()
            except bench_data.BenchDataError as e:
                _fail(str(e))
            bar.update(weight, label)
    click.echo(f"Bench data ready in {time.monotonic() - started:.0f} s: "
               + ", ".join(f"{k} {v}" for k, v in seeder.counts.items()))
    if seeder.skip_reason:
        click.echo(f"Simulation runs skipped: {seeder.skip_reason}")
    click.echo(f"Benchmark accounts (password {bench_data.BENCH_PASSWORD}):")
    for no, name, _roles, use in bench_data.NAMED[:4]:
        click.echo(f"  {no}  {name}  {use}")
    click.echo(f"  {bench_data.NAMED[4][0]}…{bench_data.NAMED[-1][0]}  more learners")


@lms.command("apply-assignment-rules")
@with_appcontext
def apply_assignment_rules() -> None:
    """Assign courses by the studio's unit/job-role rules to everyone they cover now."""
    from lms.studio import assignment_rules

    rules = assignment_rules.active_rules()
    with click.progressbar(rules, label="Applying assignment rules") as bar:
        added = assignment_rules.apply_all_rules(bar)
    click.echo(f"Assigned {added} course(s) by rule.")


@lms.command("forward-xapi")
@click.option("--batch", default=100, show_default=True, help="Statements per request.")
@click.option("--watch", type=float, default=None, metavar="SECONDS",
              help="Keep running: forward again every SECONDS (for a service unit).")
@with_appcontext
def forward_xapi(batch: int, watch: float | None) -> None:
    """Send xAPI statements not yet forwarded to the LRS at LRS_URL (retry with backoff)."""
    import time

    from lms.integration import xapi

    if not current_app.config.get("LRS_URL"):
        _fail("LRS_URL is not set: there is no LRS to forward to.")
    while True:
        result = xapi.forward_pending(batch_size=max(1, batch))
        click.echo(f"Forwarded {result.sent} statement(s); {result.failed} failed"
                   + (f" ({result.error}), will retry later" if result.failed else "")
                   + f"; {xapi.pending_count()} waiting.")
        if watch is None:
            sys.exit(1 if result.failed else 0)
        time.sleep(max(1.0, watch))


@lms.command("create-api-token")
@click.option("--name", required=True, help="Who will use it, e.g. 'HR roster sync'.")
@click.option("--scope", "scopes", multiple=True, type=click.Choice(["read", "write"]),
              default=("read",), show_default=True)
@click.option("--days", type=int, default=None,
              help="Days the token works (default LMS_API_TOKEN_DAYS, at most "
                   "LMS_API_TOKEN_MAX_DAYS).")
@with_appcontext
def create_api_token(name: str, scopes: tuple[str, ...], days: int | None) -> None:
    """Make an API token and print its secret (once: only its hash is kept)."""
    from lms.integration import tokens as api_tokens

    try:
        token, secret = api_tokens.create_token(name, set(scopes), actor=None, days=days)
    except ServiceError as e:
        _fail(f"{e.field or 'input'}: {e.message}")
    click.echo(f"Token {token.prefix} ({', '.join(token.scopes)}, expires "
               f"{api_tokens.expires_at(token):%Y-%m-%d}): {secret}")
    click.echo("Store it now: it cannot be shown again.", err=True)


@lms.command("create-admin")
@click.option("--employee-no", required=True)
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.password_option()
@with_appcontext
def create_admin(employee_no: str, name: str, email: str, password: str) -> None:
    """Create an administrator account (for a fresh production install)."""
    from lms.people import accounts

    try:
        accounts.create_user(employee_no=employee_no, name=name, email=email,
                             password=password, roles={"admin"})
    except ServiceError as e:
        _fail(f"{e.field or 'input'}: {e.message}")
    click.echo(f"Administrator {employee_no} created.")


@lms.command("worker")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=2, show_default=True,
              help="Jobs run at the same time by this worker process (threads).")
@click.option("--no-periodic", is_flag=True,
              help="Do not schedule the periodic jobs from this worker (they run once per "
                   "slot whichever worker schedules them).")
@with_appcontext
def worker(workers: int, no_periodic: bool) -> None:
    """Run the background-job consumer: roster imports, evaluations, e-mail, sweeps.

    Uses the queue configured for the app (SQLite under instance/, or Redis when REDIS_URL
    is set: run this on as many hosts as you like). Stop it with Ctrl-C (it finishes the
    jobs in hand first)."""
    import logging

    from lms.jobs import maintenance, queue

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    backend = type(queue.huey.storage).__name__
    rescued = maintenance.rescue_stale()  # jobs a killed worker left running
    click.echo(f"Worker: {workers} thread(s), queue {backend}, "
               f"periodic jobs {'off' if no_periodic else 'on'}"
               + (f"; {rescued} interrupted job(s) queued again." if rescued else "."))
    consumer = queue.huey.create_consumer(workers=workers, worker_type="thread",
                                          periodic=not no_periodic, max_delay=2.0)
    consumer.run()
