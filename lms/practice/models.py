"""Practice drills: stored simulation scenarios and the runs learners make of them.

A `Scenario` is a simulation scenario (the YAML the engine in `simulations/` loads), either a
built-in one imported from `simulations/scenarios/` or a variant a trainer made from one.

A `SimulationRun` is one learner's run of a scenario, reproducible from what it stores: the
scenario as it was (a YAML snapshot), the decisions, the seed and, for a step-through run, the
log of actions taken along the way. An open step-through run is paused at `clock_min`; the
engine state is rebuilt from the log whenever it is needed, so a pause survives a restart.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.core.db import Model, new_public_id, utcnow
from lms.people.models import User

SCENARIO_KINDS = ("service_counter", "dispatch")
SCENARIO_SOURCES = ("builtin", "variant")
RUN_MODES = ("practice", "assessment")
RUN_STATUSES = ("open", "finished")


class Scenario(Model):
    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The engine's scenario id (lower case, a-z 0-9 _ -); unique across built-ins and variants.
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_zh: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    difficulty: Mapped[int | None] = mapped_column()
    yaml: Mapped[str] = mapped_column(Text)
    # sha256 of the YAML text, so re-importing an unchanged built-in changes nothing.
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(String(16), default="builtin")
    based_on_id: Mapped[int | None] = mapped_column(
        ForeignKey("scenarios.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                 ondelete="SET NULL"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)

    based_on: Mapped[Scenario | None] = relationship(remote_side=[id])
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Scenario {self.code}>"


class SimulationRun(Model):
    """One run of a scenario by one learner.

    Assessment runs: the seed is drawn by the server and shown only once the run is
    finished; each run is numbered (`attempt_no`) per learner and scenario, and the unique
    constraint keeps two concurrent starts from both taking the last attempt. The score is
    always computed here, from the engine's result, never taken from the request.
    """

    __tablename__ = "simulation_runs"
    __table_args__ = (
        UniqueConstraint("user_id", "scenario_id", "mode", "attempt_no"),
        Index("ix_simulation_runs_scenario_mode_status", "scenario_id", "mode", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True, default=new_public_id)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id", ondelete="CASCADE"),
                                             index=True)
    mode: Mapped[str] = mapped_column(String(16), default="practice")
    attempt_no: Mapped[int | None] = mapped_column()  # assessment runs only
    interactive: Mapped[bool] = mapped_column(default=False)  # step-through
    seed: Mapped[int] = mapped_column(BigInteger)
    replications: Mapped[int] = mapped_column(default=1)
    # The decisions the learner set (only those the scenario opens), as the engine takes them.
    decisions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Step-through actions in order: [{"at_min", "action", ...params}] (Session.log).
    log: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    clock_min: Mapped[float] = mapped_column(default=0.0)  # where an open run is paused
    scenario_yaml: Mapped[str] = mapped_column(Text)  # the scenario exactly as it was run
    status: Mapped[str] = mapped_column(String(16), default="open")
    # The engine's result, trimmed to what the pages show (see services.practice.trim).
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    score: Mapped[float | None] = mapped_column()
    kpis: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # KPI name → mean
    # Decision mistakes found when the run was scored (codes, see services.practice).
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
    scenario: Mapped[Scenario] = relationship(lazy="joined")

    # Optimistic locking: two tabs stepping the same run cannot both write their action.
    __mapper_args__ = {"version_id_col": version}


__all__ = ["RUN_MODES", "RUN_STATUSES", "SCENARIO_KINDS", "SCENARIO_SOURCES", "Scenario",
           "SimulationRun"]
