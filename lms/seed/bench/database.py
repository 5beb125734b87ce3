"""The database side of the bench data: bulk INSERTs in batches, whether the practice tables
exist, whether people are there already, wiping every table — and the one error the command
reports."""

from __future__ import annotations

from sqlalchemy import func, insert, inspect, select, text

from lms.extensions import db
from lms.people.models import User


class BenchDataError(Exception):
    """Why the data set cannot be built (one line, for the CLI)."""


BATCH = 5000  # rows per INSERT batch


def insert_rows(model, rows: list[dict]) -> None:
    for i in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[i:i + BATCH])


def insert_ids(model, rows: list[dict]) -> list[int]:
    """Insert and return the new primary keys in the order of `rows`."""
    ids: list[int] = []
    for i in range(0, len(rows), BATCH):
        ids.extend(db.session.scalars(
            insert(model).returning(model.id, sort_by_parameter_order=True),
            rows[i:i + BATCH]))
    return ids


def has_practice() -> bool:
    """Simulation runs are seeded only where the practice tables exist."""
    try:
        names = set(inspect(db.engine).get_table_names())
    except Exception:  # noqa: BLE001 - no inspector, no practice data
        return False
    return {"simulation_runs", "scenarios"} <= names


def existing_people() -> int:
    return db.session.scalar(select(func.count(User.id))) or 0


def wipe() -> None:
    """Delete every row of every table (the schema and its migration version stay)."""
    names = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    known = [t for t in db.metadata.sorted_tables if t.name in names]
    if db.engine.dialect.name == "postgresql":
        listed = ", ".join(f'"{n}"' for n in sorted(names))
        db.session.execute(text(f"TRUNCATE {listed} RESTART IDENTITY CASCADE"))  # noqa: S608
    else:
        for name in sorted(names - {t.name for t in known}):
            db.session.execute(text(f'DELETE FROM "{name}"'))  # noqa: S608 - a table name
        for table in reversed(known):
            db.session.execute(table.delete())
    db.session.commit()
