"""`flask lms …` commands: demo data and account set-up."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from .services import demo
from .services.errors import ServiceError


def _fail(message: str) -> None:
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


@lms.command("import-courses")
@click.argument("folder", type=click.Path(file_okay=False), default="courses")
@with_appcontext
def import_courses(folder: str) -> None:
    """Load or update the course packages under FOLDER (idempotent)."""
    from pathlib import Path

    from .services import course_packages

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


@lms.command("export-course")
@click.argument("code")
@click.argument("folder", type=click.Path(file_okay=False))
@with_appcontext
def export_course(code: str, folder: str) -> None:
    """Write course CODE as a course package under FOLDER."""
    from sqlalchemy import select

    from .extensions import db
    from .models import Course
    from .services import course_packages

    course = db.session.scalar(select(Course).where(Course.code == code.upper()))
    if course is None:
        _fail(f"{code}: no such course")
    path = course_packages.export_course(course, folder)
    click.echo(f"Exported {course.code} to {path}")


@lms.command("sweep-awards")
@with_appcontext
def sweep_awards() -> None:
    """Daily: remind and assign recertification work, record expired awards."""
    from .services import certification

    result = certification.sweep()
    click.echo(f"Reminded {result.reminded}, assigned {result.assigned} course(s), "
               f"recorded {result.expired} expiry(ies).")


@lms.command("create-admin")
@click.option("--employee-no", required=True)
@click.option("--name", required=True)
@click.option("--email", required=True)
@click.password_option()
@with_appcontext
def create_admin(employee_no: str, name: str, email: str, password: str) -> None:
    """Create an administrator account (for a fresh production install)."""
    from .services import accounts

    try:
        accounts.create_user(employee_no=employee_no, name=name, email=email,
                             password=password, roles={"admin"})
    except ServiceError as e:
        _fail(f"{e.field or 'input'}: {e.message}")
    click.echo(f"Administrator {employee_no} created.")
