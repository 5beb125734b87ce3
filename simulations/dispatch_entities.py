"""Fault tickets and repair crews of the dispatch model, and their states."""

from __future__ import annotations

# Ticket states
T_WAITING, T_TRAVEL, T_REPAIR, T_DONE = range(4)
TICKET_STATES = ("waiting", "crew_travelling", "repairing", "done")
# Crew states
OFF, IDLE, TRAVEL, REPAIR, RETURN = range(5)
CREW_STATES = ("off", "idle", "travelling", "repairing", "returning")
OPEN, CLOSED = "open", "closed"


class Ticket:
    __slots__ = (
        "seq",
        "zone",
        "prio",
        "created",
        "travel",
        "back",
        "repair",
        "dispatched",
        "arrived",
        "done",
        "crew",
        "state",
    )

    def __init__(
        self,
        seq: int,
        zone: int,
        prio: int,
        created: float,
        travel: float,
        back: float,
        repair: float,
    ) -> None:
        self.seq = seq
        self.zone = zone
        self.prio = prio
        self.created = created
        self.travel = travel
        self.back = back
        self.repair = repair
        self.dispatched: float | None = None
        self.arrived: float | None = None
        self.done: float | None = None
        self.crew: Crew | None = None
        self.state = T_WAITING

    @property
    def id(self) -> str:
        return f"T{self.seq:05d}"


class Crew:
    __slots__ = (
        "name",
        "group",
        "order",
        "base",
        "zone",
        "state",
        "ticket",
        "shift_start",
        "shift_end",
        "active",
        "leaving",
        "standby",
    )

    def __init__(
        self,
        name: str,
        group: str,
        order: int,
        base: int,
        shift_start: float,
        shift_end: float,
        active: bool,
        standby: bool = False,
    ) -> None:
        self.name = name
        self.group = group
        self.order = order
        self.base = self.zone = base
        self.state = OFF
        self.ticket: Ticket | None = None
        self.shift_start = shift_start
        self.shift_end = shift_end
        self.active = active
        self.leaving = False
        self.standby = standby
