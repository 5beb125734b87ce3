"""Stored practice scenarios: looking them up, loading the built-in ones from
``simulations/scenarios`` and parsing their YAML with the engine (cached)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

import simulations
from lms.core import audit
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.practice.models import Scenario
from simulations import ScenarioError


@functools.lru_cache(maxsize=64)
def _parse(text: str):
    return simulations.load_scenario_text(text)


def engine(scenario_or_yaml: Scenario | str):
    """The engine's scenario object for a stored scenario (or YAML text), cached."""
    text = scenario_or_yaml if isinstance(scenario_or_yaml, str) else scenario_or_yaml.yaml
    try:
        return _parse(text)
    except ScenarioError as e:
        raise ServiceError(_l("This scenario cannot be loaded (%(e)s). Please tell your "
                              "trainer.", e=str(e))) from None


def scenario_by_code(code: str, active_only: bool = True) -> Scenario | None:
    stmt = select(Scenario).where(Scenario.code == code)
    if active_only:
        stmt = stmt.where(Scenario.active.is_(True))
    return db.session.scalar(stmt)


def scenarios(active_only: bool = True) -> list[Scenario]:
    stmt = select(Scenario).options(selectinload(Scenario.based_on)).order_by(
        Scenario.kind.desc(), Scenario.difficulty, Scenario.code)
    if active_only:
        stmt = stmt.where(Scenario.active.is_(True))
    return list(db.session.scalars(stmt))


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fill_scenario(row: Scenario, sc, text: str) -> None:
    row.kind = sc.kind
    row.name_zh, row.name_en = sc.title.zh[:200], sc.title.en[:200]
    desc = sc.description
    row.description_zh = desc.zh if desc else ""
    row.description_en = desc.en if desc else ""
    row.difficulty = sc.difficulty
    row.yaml, row.content_hash = text, _hash(text)


@dataclass
class ImportResult:
    code: str
    action: str  # created | updated | unchanged | failed
    message: str = ""


def _import_file(path) -> ImportResult:
    """Add or update one built-in scenario in the session (the caller commits)."""
    try:
        text = path.read_text(encoding="utf-8")
        sc = simulations.load_scenario_text(text, source=path.name)
    except (OSError, UnicodeDecodeError) as e:
        return ImportResult(path.stem, "failed", f"{path.name}: {e}")
    except ScenarioError as e:
        return ImportResult(path.stem, "failed", str(e))
    row = db.session.scalar(select(Scenario).where(Scenario.code == sc.id))
    if row is not None and row.source != "builtin":
        return ImportResult(sc.id, "failed", f"{path.name}: the id {sc.id} is used by a variant")
    if row is not None and row.content_hash == _hash(text):
        return ImportResult(sc.id, "unchanged")
    created = row is None
    if row is None:
        row = Scenario(code=sc.id, source="builtin")
        db.session.add(row)
    fill_scenario(row, sc, text)
    audit.record("scenario_imported", target=row, result="created" if created else "updated")
    return ImportResult(sc.id, "created" if created else "updated")


def import_builtins(progress: Callable[[Iterable], Iterable] | None = None) -> list[ImportResult]:
    """Load or update the built-in scenarios of ``simulations/scenarios`` (idempotent, keyed by
    the scenario id). Each scenario commits on its own; a broken file changes nothing."""
    from simulations.scenario import BUILTIN_DIR

    results = []
    for path in (progress or (lambda x: x))(sorted(BUILTIN_DIR.glob("*.yaml"))):
        result = _import_file(path)
        if result.action in ("created", "updated"):
            db.session.commit()
        results.append(result)
    return results


def ensure_scenario(code: str) -> Scenario | None:
    """The stored scenario with this code; a missing built-in one is added to the session
    (not committed: the caller's transaction decides)."""
    row = db.session.scalar(select(Scenario).where(Scenario.code == code))
    if row is not None:
        return row
    try:
        path = simulations.builtin_scenarios().get(code)
    except ScenarioError:
        path = None
    if path is None or _import_file(path).action == "failed":
        return None
    db.session.flush()
    return db.session.scalar(select(Scenario).where(Scenario.code == code))
