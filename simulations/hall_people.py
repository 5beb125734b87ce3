"""Customers and counter groups of the business-hall model, and their states."""

from __future__ import annotations

# Customer states
WAITING, SERVING, DONE, ABANDONED, BALKED, DIVERTED, UNSERVED = range(7)
STATE_NAMES = ("waiting", "serving", "done", "abandoned", "balked", "diverted", "unserved")

# Hall phases
OPEN, DRAINING, CLOSED = "open", "draining", "closed"


class Customer:
    __slots__ = (
        "seq",
        "arrive",
        "type",
        "key",
        "prio",
        "service",
        "patience",
        "start",
        "end",
        "state",
        "group",
    )

    def __init__(
        self,
        seq: int,
        arrive: float,
        ctype: int,
        prio: int,
        service: float,
        patience: float | None,
    ) -> None:
        self.seq = seq
        self.arrive = arrive
        self.type = ctype
        self.key = ctype  # queue index: the service type, or kiosk_key
        self.prio = prio
        self.service = service
        self.patience = patience
        self.start: float | None = None
        self.end: float | None = None
        self.state = WAITING
        self.group: Group | None = None

    @property
    def id(self) -> str:
        return f"C{self.seq:05d}"


class Group:
    """A group of interchangeable counters (or the kiosks)."""

    __slots__ = ("id", "index", "staffed", "open", "busy", "target", "keys", "limit")

    def __init__(self, gid: str, index: int, staffed: bool, keys: list[int], limit: int) -> None:
        self.id = gid
        self.index = index
        self.staffed = staffed
        self.open = 0
        self.busy = 0
        self.target = 0
        self.keys = keys
        self.limit = limit
