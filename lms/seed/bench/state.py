"""What the steps of the bench data generator share: `BenchSeeder.__init__` sets these
attributes up, and the steps (mixins in the modules alongside) read and update them; the
steps that one module calls in another are declared here too, implemented by their module."""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections import defaultdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # both modules define steps on this base
    from lms.seed.bench.catalogue import Structure
    from lms.seed.bench.plan import Person

# An org unit as planned: (code, zh, en, kind, parent code); a team: (code, job role, size).
UnitRow = tuple[str, str, str, str, str | None]
TeamRow = tuple[str, str, int]


class BenchState(ABC):
    """The state of one bench data run, shared by every step."""

    employees: int
    seed: int
    now: datetime  # the run's clock: nothing is generated after it
    today: date
    counts: defaultdict[str, int]  # what was written, by label
    people: list[Person]
    units: list[UnitRow]
    team_plan: list[TeamRow]
    structure: Structure | None  # loaded once the catalogue is in place
    password_hash: str
    practice: bool  # whether the practice tables exist (and scenarios could be run)
    sim_templates: list[dict[str, Any]]  # stored results of the built-in scenarios' runs
    sim_by_code: defaultdict[str, list[dict[str, Any]]]
    skip_reason: str  # why simulation runs were skipped

    # catalogue
    @abstractmethod
    def _load_structure(self) -> Structure: ...

    # history
    @abstractmethod
    def _at(self, base: datetime, rng: random.Random, lo_days: float, hi_days: float
            ) -> datetime: ...

    @abstractmethod
    def _note(self, p: Person, kind: str, title: str, link: str, at: datetime,
              rng: random.Random) -> dict[str, Any]: ...

    # awards
    @abstractmethod
    def _awards(self, p: Person, st: Structure, completed: dict[str, datetime],
                scores: dict[str, list[tuple[datetime, float]]], awards: list[Any],
                rows: dict[str, list[dict[str, Any]]], rng: random.Random) -> None: ...

    # practice_runs
    @abstractmethod
    def _sim(self, code: str, mark: float, passing: bool) -> list[dict[str, Any]]: ...

    @abstractmethod
    def _drills(self, p: Person, drills: list[tuple[str, float, bool]], passed: bool,
                t: datetime, rows: dict[str, list[dict[str, Any]]], run_no: dict[int, int],
                rng: random.Random) -> datetime | None: ...

    @abstractmethod
    def _runs(self, p: Person, rows: dict[str, list[dict[str, Any]]],
              rng: random.Random) -> None: ...
