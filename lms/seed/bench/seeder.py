"""The bench data generator as a whole: `BenchSeeder` builds the data set in steps, for a
progress bar (`steps()` gives (label, weight, fn)), each step a method of one of the
modules alongside."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from sqlalchemy import text

from lms.core.audit import AuditEvent
from lms.extensions import db
from lms.seed.bench.awards import AwardSteps
from lms.seed.bench.catalogue import CatalogueSteps
from lms.seed.bench.database import BenchDataError, has_practice
from lms.seed.bench.history import HistorySteps
from lms.seed.bench.people import PeopleSteps
from lms.seed.bench.plan import PlanSteps
from lms.seed.bench.practice_runs import PracticeSteps

CHUNK = 250  # people per progress step


class BenchSeeder(PlanSteps, CatalogueSteps, PeopleSteps, PracticeSteps,
                  HistorySteps, AwardSteps):
    """Builds the data set in steps, for a progress bar: `steps()` gives (label, weight, fn)."""

    def __init__(self, employees: int, seed: int = 2026, now: datetime | None = None):
        if employees < 10:
            raise BenchDataError("--employees must be at least 10")
        self.employees = employees
        self.seed = seed
        self.now = (now or datetime.now(UTC)).replace(microsecond=0)
        self.today = self.now.date()
        self.counts = defaultdict(int)
        self.people = []
        self.structure = None
        self.password_hash = ""
        self.practice = has_practice()
        self.sim_templates = []
        self.sim_by_code = defaultdict(list)
        self.skip_reason = ""
        self.units, self.team_plan = self._plan_units()
        self.people = self._plan_people()

    def steps(self) -> list[tuple[str, int, Callable[[], None]]]:
        n = self.employees
        out: list[tuple[str, int, Callable[[], None]]] = [
            ("organisation", max(1, n // 50), self._organisation),
            ("curriculum", max(1, n // 20), self._curriculum),
            ("certifications", max(1, n // 100), self._certifications),
            ("people", max(1, n // 10), self._people),
        ]
        if self.practice:
            out.append(("simulation scenarios", max(1, n // 50), self._scenarios))
        for start in range(0, self._staff_count(), CHUNK):
            out.append((f"history {start + 1}…", CHUNK,
                        partial(self._history, start, start + CHUNK)))
        out.append(("rotation plans", max(1, n // 50), self._rotations))
        out.append(("finishing", 1, self._finish))
        return out

    def total(self) -> int:
        return sum(w for _l, w, _f in self.steps())

    def run(self) -> dict[str, int]:
        for _label, _weight, fn in self.steps():
            fn()
        return dict(self.counts)

    def _finish(self) -> None:
        db.session.add(AuditEvent(action="bench_data_seeded", details={
            "employees": self.employees, "seed": self.seed, **dict(self.counts)}))
        db.session.commit()
        # Planner statistics after a bulk load, as a live database has them (PostgreSQL's
        # autovacuum would gather them a little later; SQLite only when asked).
        db.session.execute(text("ANALYZE"))
        db.session.commit()
