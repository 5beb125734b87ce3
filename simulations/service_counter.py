"""The business-hall (营业厅) model: customers, counter groups, kiosks, online diversion.

Customers arrive as a non-stationary Poisson process, are diverted online or guided to a
self-service kiosk with given shares, otherwise queue for a counter group that serves their
service type. Counters within a group are interchangeable, so a group is counts (open, busy,
target), not one object per clerk. A free counter takes the waiting customer of the highest
priority class, first come first served across the types it serves. Customers whose patience
runs out leave the queue. A counter being closed finishes its customer first.

The hall is event-driven on SimPy: the arrival stream is a process, service completions and
reneging are timeouts with callbacks. That keeps the cost per customer low (see
benchmarks/sim_bench.py). Statistics cover customers arriving after the warm-up. At closing
time no one new comes in; customers already inside are still served (up to
``max_drain_min``), as in a real hall.
"""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Callable

import simpy
from simpy.events import Timeout

from . import hall_results
from .decisions import (
    ServiceCounterDecisions,
    check_bool,
    check_count,
    check_coverage,
    check_serves,
)
from .decisions import check_share as check_number
from .distributions import make_rng, piecewise_poisson
from .errors import DecisionError
from .hall_people import (  # noqa: F401 - re-exported
    ABANDONED,
    BALKED,
    CLOSED,
    DIVERTED,
    DONE,
    DRAINING,
    OPEN,
    SERVING,
    STATE_NAMES,
    UNSERVED,
    WAITING,
    Customer,
    Group,
)
from .scenario import ServiceCounterScenario


class ServiceCounterModel:
    kind = "service_counter"

    def __init__(
        self, sc: ServiceCounterScenario, dec: ServiceCounterDecisions, seed: int, replication: int
    ):
        self.sc = sc
        self.env = env = simpy.Environment()
        self.types = sc.type_ids
        n_types = len(self.types)
        self.kiosk_key = n_types
        rng = lambda purpose: make_rng(seed, replication, purpose)  # noqa: E731

        # Customer attributes, each from its own stream (common random numbers).
        self._times = piecewise_poisson(_segments(sc), rng("arrivals"))
        self._type_u: Callable[[], float] | None = rng("type").random if n_types > 1 else None
        cum, acc = [], 0.0
        for t in sc.service_types:
            acc += t.share
            cum.append(acc)
        self._cum = cum
        service_rng = rng("service")
        self._service = [t.service_min.sampler(service_rng) for t in sc.service_types]
        self._patience: Callable[[], float] | None = (
            sc.patience_min.sampler(rng("patience")) if sc.patience_min else None
        )
        self._prio_u: Callable[[], float] | None = rng("priority").random if sc.priority else None
        self._prio_share = sc.priority.share if sc.priority else 0.0
        self.n_prio = 2 if sc.priority else 1
        self._online_u: Callable[[], float] | None = rng("online").random if sc.online else None
        self.campaign = dec.diversion_campaign
        self._divert = self._divert_shares()
        self._kiosk_u: Callable[[], float] | None
        if sc.kiosks:
            self._kiosk_u = rng("kiosk").random
            self._kiosk_time = sc.kiosks.service_min.sampler(rng("kiosk_service"))
            kiosk_types = set(sc.kiosks.types)
            self._kiosk_ok = [t in kiosk_types for t in self.types]
            # None (no kiosk decision) cannot come out of validate_decisions for a hall with
            # kiosks, but a hand-built decisions object may carry it: use the scenario's share.
            self.kiosk_share = dec.kiosk_share if dec.kiosk_share is not None else sc.kiosks.share
        else:
            self._kiosk_u = None
        self.cap = sc.max_waiting

        # Counter groups and queues.
        index = {t: i for i, t in enumerate(self.types)}
        self.groups = [
            Group(g.id, i, True, [index[t] for t in dec.counter_serves[g.id]], g.limit)
            for i, g in enumerate(sc.counters)
        ]
        self.all_groups = list(self.groups)
        if sc.kiosks:
            kiosk = Group("kiosks", len(self.groups), False, [self.kiosk_key], sc.kiosks.count)
            kiosk.open = kiosk.target = sc.kiosks.count
            self.all_groups.append(kiosk)
        # queues[prio][key]: waiting customers of a priority class and queue key, FIFO.
        self.queues: list[list[deque[Customer]]] = [
            [deque() for _ in range(n_types + 1)] for _ in range(self.n_prio)
        ]
        self._routes()
        self.schedule = {g: list(v) for g, v in dec.counters_open.items()}

        # State counters and time integrals (queue length, busy and open staffed counters).
        self.waiting = 0
        self.busy = 0
        self.open = 0
        self._last = 0.0
        self.q_area = self.b_area = self.o_area = 0.0
        self.lobby_area = 0.0
        self._lobby_since: float | None = 0.0 if self.campaign else None
        self.customers: list[Customer] = []
        self.phase = OPEN
        self.snapshots: list[tuple[float, float, float, float]] = []
        self._snap_warm = self._snap_end = (0.0, 0.0, 0.0, 0.0)

        for g in self.groups:
            self._set_target(g, self.schedule[g.id][0])
        env.process(self._source())
        env.process(self._clock())

    # ------------------------------------------------------------ processes and events

    def _source(self):
        env = self.env
        timeout = env.timeout
        arrive = self._arrive
        for t in self._times:
            yield timeout(t - env.now)
            arrive(env.now)  # not t: the event time may differ from t by rounding

    def _clock(self):
        """Hourly staffing changes, statistics snapshots, closing time and the drain limit."""
        sc, env = self.sc, self.env
        step = sc.interval_min
        n = int(-(-sc.horizon_min // step))
        marks = {min(step * k, sc.horizon_min): "snap" for k in range(1, n + 1)}
        for h in range(1, sc.hours):
            marks.setdefault(60.0 * h, "hour")
        if sc.warmup_min > 0:
            marks.setdefault(sc.warmup_min, "warm")
        for t in sorted(marks):
            yield env.timeout(t - env.now)
            self._mark()
            if t % 60 == 0 and t < sc.horizon_min:
                h = int(t // 60)
                for g in self.groups:
                    self._set_target(g, self.schedule[g.id][h])
            snap = (self.q_area, self.b_area, self.o_area, t)
            if t == sc.warmup_min:
                self._snap_warm = snap
            if marks[t] == "snap":
                self.snapshots.append(snap)
        self._snap_end = self.snapshots[-1]
        self._stop_lobby()
        self.phase = DRAINING
        self._maybe_close()
        if self.phase is DRAINING:
            yield env.timeout(sc.max_drain_min)
            self._give_up()

    def _arrive(self, now):
        seq = len(self.customers) + 1
        ctype = 0
        if self._type_u is not None:
            ctype = min(bisect.bisect_right(self._cum, self._type_u()), len(self._cum) - 1)
        prio = 0  # class 0 is served first; without a priority class everyone is in it
        if self._prio_u is not None and self._prio_u() >= self._prio_share:
            prio = 1
        c = Customer(
            seq,
            now,
            ctype,
            prio,
            self._service[ctype](),
            self._patience() if self._patience else None,
        )
        self.customers.append(c)
        if self._online_u is not None and self._online_u() < self._divert[ctype]:
            c.state = DIVERTED
            c.end = now
            return
        if self._kiosk_u is not None:
            u, service = self._kiosk_u(), self._kiosk_time()
            if self._kiosk_ok[ctype] and u < self.kiosk_share:
                c.key = self.kiosk_key
                c.service = service
        for g in self.route[c.key]:
            if g.busy < g.open:
                self._start(g, c)
                return
        if self.cap is not None and self.waiting >= self.cap:
            c.state = BALKED
            c.end = now
            return
        self._mark()
        self.waiting += 1
        self.queues[c.prio][c.key].append(c)
        if c.patience is not None:
            Timeout(self.env, c.patience, c).callbacks.append(self._renege)

    def _start(self, g: Group, c: Customer) -> None:
        if g.staffed:
            self._mark()
            self.busy += 1
        g.busy += 1
        c.start = self.env.now
        c.state = SERVING
        c.group = g
        Timeout(self.env, c.service, c).callbacks.append(self._done)

    def _done(self, event) -> None:
        c = event.value
        g = c.group
        self._mark()
        c.end = self.env.now
        c.state = DONE
        g.busy -= 1
        if g.staffed:
            self.busy -= 1
        if g.open > g.target:
            g.open -= 1
            if g.staffed:
                self.open -= 1
        else:
            nxt = self._take(g)
            if nxt is not None:
                self._start(g, nxt)
        if self.phase is DRAINING:
            self._maybe_close()

    def _renege(self, event) -> None:
        c = event.value
        if c.state == WAITING:
            self._mark()
            c.state = ABANDONED
            c.end = self.env.now
            self.waiting -= 1
            if self.phase is DRAINING:
                self._maybe_close()

    def _take(self, g: Group) -> Customer | None:
        """Remove and return the next customer for a free counter of ``g`` (None if none)."""
        for queues in self.queues:
            best_q: deque[Customer] | None = None
            for key in g.keys:
                q = queues[key]
                while q and q[0].state != WAITING:
                    q.popleft()  # left already (reneged); dropped lazily
                if q and (best_q is None or q[0].seq < best_q[0].seq):
                    best_q = q
            if best_q is not None:
                best = best_q.popleft()
                self._mark()
                self.waiting -= 1
                return best
        return None

    def _mark(self) -> None:
        now = self.env.now
        dt = now - self._last
        if dt:
            self.q_area += self.waiting * dt
            self.b_area += self.busy * dt
            self.o_area += self.open * dt
            self._last = now

    def _set_target(self, g: Group, n: int) -> None:
        g.target = n
        if g.open > n:
            k = min(g.open - g.busy, g.open - n)  # idle counters close now, busy ones later
            if k:
                self._mark()
                g.open -= k
                if g.staffed:
                    self.open -= k
        elif g.open < n:
            self._mark()
            if g.staffed:
                self.open += n - g.open
            g.open = n
            self._fill(g)

    def _fill(self, g: Group) -> None:
        while g.busy < g.open:
            c = self._take(g)
            if c is None:
                return
            self._start(g, c)

    def _routes(self) -> None:
        """Groups able to serve each queue key, specialists before generalists."""
        self.route: list[list[Group]] = [[] for _ in range(len(self.types) + 1)]
        for g in sorted(self.all_groups, key=lambda g: (len(g.keys), g.index)):
            for key in g.keys:
                self.route[key].append(g)

    def _maybe_close(self) -> None:
        if self.waiting == 0 and all(g.busy == 0 for g in self.all_groups):
            for g in self.all_groups:
                self._set_target(g, 0)
            self.phase = CLOSED

    def _give_up(self) -> None:
        """The drain limit is reached: whoever still waits is not served today."""
        if self.phase is CLOSED:
            return
        self._mark()
        for queues in self.queues:
            for q in queues:
                for c in q:
                    if c.state == WAITING:
                        c.state = UNSERVED
                        c.end = self.env.now
                q.clear()
        self.waiting = 0
        for g in self.all_groups:
            self._set_target(g, 0)
        self._maybe_close()

    def _divert_shares(self) -> list[float]:
        online = self.sc.online
        if online is None:
            return [0.0] * len(self.types)
        extra = online.campaign.extra_share if (self.campaign and online.campaign) else {}
        return [online.share.get(t, 0.0) + extra.get(t, 0.0) for t in self.types]

    def _stop_lobby(self) -> None:
        if self._lobby_since is not None:
            self.lobby_area += (self.env.now - self._lobby_since) * self._lobby_staff()
            self._lobby_since = None

    def _lobby_staff(self) -> int:
        """Staff in the lobby while the campaign runs (none without an online campaign,
        which scenario validation requires before diversion_campaign can be allowed)."""
        online = self.sc.online
        return online.campaign.lobby_staff if online and online.campaign else 0

    # ------------------------------------------------------------ step-through actions

    def apply(self, action: str, params: dict) -> None:
        """Apply one trainee action now (already checked as allowed by the session)."""
        sc = self.sc
        if action == "set_open":
            g = self._group(params.get("group"))
            n = check_count(params.get("count"), 0, g.limit, "count")
            h = min(int(self.env.now // 60), sc.hours - 1)
            self.schedule[g.id][h:] = [n] * (sc.hours - h)
            self._set_target(g, n)
        elif action == "set_serves":
            g = self._group(params.get("group"))
            types = check_serves(sc, params.get("types"), "types")
            serves = {x.id: [self.types[k] for k in x.keys] for x in self.groups}
            serves[g.id] = types
            check_coverage(sc, serves, "types")
            g.keys = [self.types.index(t) for t in types]
            self._routes()
            for x in self.groups:
                self._fill(x)
        elif action == "set_kiosk_share":
            if sc.kiosks is None:  # the session allows it only with kiosks
                raise DecisionError("action", "this hall has no kiosks")
            self.kiosk_share = check_number(
                params.get("share"), 0.0, sc.kiosks.share_limit, "share"
            )
        elif action == "set_campaign":
            on = check_bool(params.get("on"), "on")
            if on and self._lobby_since is None:
                self._lobby_since = self.env.now
            elif not on:
                self._stop_lobby()
            self.campaign = on
            self._divert = self._divert_shares()
        else:
            raise DecisionError("action", f"unknown action {action}")

    def _group(self, gid) -> Group:
        for g in self.groups:
            if g.id == gid:
                return g
        raise DecisionError("group", f"unknown counter group {gid}")

    # ------------------------------------------------------------ inspection and results

    def state(self, limit: int = 200) -> dict:
        """What the trainee sees now (see the results module)."""
        return hall_results.state(self, limit)

    def finish(self) -> None:
        self.env.run()

    def output(self, records: bool = False) -> dict:
        return hall_results.output(self, records)

    def check_invariants(self) -> None:
        hall_results.check_invariants(self)


def _segments(sc: ServiceCounterScenario) -> list[tuple[float, float, float]]:
    rates = sc.arrivals.hourly_rates(sc.hours)
    if len(set(rates)) == 1:
        return [(0.0, sc.horizon_min, rates[0] / 60.0)]
    return [(60.0 * h, min(60.0 * (h + 1), sc.horizon_min), r / 60.0) for h, r in enumerate(rates)]
