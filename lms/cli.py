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
            for key, count in step().items():
                summary[key] = summary.get(key, 0) + count
    click.echo("Demo data ready: " + ", ".join(f"{k} +{v}" for k, v in summary.items()))


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
