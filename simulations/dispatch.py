"""The repair-dispatch (抢修调度) model: fault tickets over zones, crews on shifts.

Tickets arrive in each zone as a non-stationary Poisson process (a storm multiplies the rate
for a while). A crew is sent to a ticket, travels (the zone's local travel time plus the
extra time between its current zone and the ticket's), repairs, then either takes the next
ticket from where it stands or drives back to base. Dispatch policies:

- ``nearest``: a new ticket gets the nearest idle crew; a free crew takes the nearest
  waiting ticket (the oldest one among equally near tickets).
- ``priority_first``: a free crew takes the most urgent waiting ticket, oldest first; a new
  ticket gets the nearest idle crew.
- ``zone_dedicated``: as priority_first, but crews only work in their base zone.
- ``manual``: nothing moves until the dispatcher assigns a crew to a ticket.

Crews come on duty at their shift start and go off at its end, finishing the job in hand
(the time past shift end is overtime). At the horizon nothing new is dispatched; crews finish
what they are doing. Tickets never reached by then are the backlog.
"""

from __future__ import annotations

import simpy

from .decisions import DispatchDecisions, check_count, check_policy
from .distributions import make_rng, piecewise_poisson
from .errors import DecisionError, InvariantError
from .scenario import DispatchScenario
from .stats import mean, percentile, ratio

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


class DispatchModel:
    kind = "dispatch"

    def __init__(self, sc: DispatchScenario, dec: DispatchDecisions, seed: int, replication: int):
        self.sc = sc
        self.env = env = simpy.Environment()
        self.zones = sc.zone_ids
        self.extra = [[sc.extra_travel(a, b) for b in self.zones] for a in self.zones]
        self.commit = [z.commitment for z in sc.zones]
        self.policy = dec.dispatch_policy
        rng = lambda purpose: make_rng(seed, replication, purpose)  # noqa: E731
        self._prio_u = rng("priority").random
        cum, acc = [], 0.0
        for p in sc.priorities:
            acc += p.share
            cum.append(acc)
        self._prio_cum = cum
        travel_rng, back_rng, repair_rng = rng("travel"), rng("return"), rng("repair")
        self._travel = [z.travel_min.sampler(travel_rng) for z in sc.zones]
        self._back = [z.travel_min.sampler(back_rng) for z in sc.zones]
        self._repair = [z.repair_min.sampler(repair_rng) for z in sc.zones]

        self.crews: list[Crew] = []
        zone_index = {z: i for i, z in enumerate(self.zones)}
        for g in sc.crews:
            start = g.shift.start_min if g.shift else 0.0
            end = g.shift.end_min if g.shift else sc.horizon_min
            n = dec.crews_on_shift[g.id]
            for i in range(g.limit):
                self.crews.append(
                    Crew(
                        f"{g.id}-{i + 1}",
                        g.id,
                        len(self.crews),
                        zone_index[g.base],
                        start,
                        end,
                        i < n,
                    )
                )
        storm = sc.storm
        standby = storm.standby if storm else None
        if storm is not None and standby is not None:
            start = min(storm.start_min + standby.mobilise_min, sc.horizon_min)
            for i in range(standby.max_crews):
                self.crews.append(
                    Crew(
                        f"standby-{i + 1}",
                        "standby",
                        len(self.crews),
                        zone_index[standby.base],
                        start,
                        sc.horizon_min,
                        i < dec.surge_extra_crews,
                        standby=True,
                    )
                )
        self.by_name = {c.name: c for c in self.crews}

        self.tickets: list[Ticket] = []
        self.waiting: list[Ticket] = []
        self.idle: list[Crew] = []
        self.n_open = 0  # tickets not yet repaired
        self.n_busy = 0
        self.n_on = 0
        self._last = 0.0
        self.w_area = self.open_area = self.b_area = self.on_area = 0.0
        self.overtime = 0.0
        self.phase = OPEN
        self.snapshots: list[tuple[float, float, float, float, float]] = []
        self._snap_warm = self._snap_end = (0.0, 0.0, 0.0, 0.0, 0.0)

        for z, zone in enumerate(sc.zones):
            times = piecewise_poisson(sc.zone_segments(zone), rng(f"arrivals/{zone.id}"))
            env.process(self._source(z, times))
        for crew in self.crews:
            env.process(self._shift(crew))
        env.process(self._clock())

    # ------------------------------------------------------------ processes

    def _source(self, zone: int, times):
        env = self.env
        for t in times:
            yield env.timeout(t - env.now)
            self._new_ticket(zone, env.now)

    def _shift(self, crew: Crew):
        env = self.env
        if crew.shift_start >= self.sc.horizon_min:
            return
        yield env.timeout(crew.shift_start)
        self._come_on(crew)
        yield env.timeout(max(0.0, crew.shift_end - env.now))
        crew.leaving = True
        if crew.state == IDLE:
            self._go_off(crew)

    def _call_in(self, crew: Crew, delay: float):
        """A standby crew called in during the run arrives after its mobilisation time."""
        yield self.env.timeout(delay)
        if crew.active and self.env.now < crew.shift_end:
            self._come_on(crew)

    def _clock(self):
        """Statistics snapshots at interval ends and the warm-up; at the horizon, stop work."""
        sc, env = self.sc, self.env
        step = sc.interval_min
        n = int(-(-sc.horizon_min // step))
        snaps = {min(step * k, sc.horizon_min) for k in range(1, n + 1)}
        marks = snaps | ({sc.warmup_min} if sc.warmup_min > 0 else set())
        for t in sorted(marks):
            yield env.timeout(t - env.now)
            self._mark()
            snap = (self.w_area, self.open_area, self.b_area, self.on_area, t)
            if t == sc.warmup_min:
                self._snap_warm = snap
            if t in snaps:
                self.snapshots.append(snap)
        self._snap_end = self.snapshots[-1]
        self.phase = CLOSED
        for crew in self.crews:
            crew.leaving = True
        for crew in list(self.idle):
            self._go_off(crew)

    def _job(self, crew: Crew, first: Ticket):
        env = self.env
        last = first
        nxt: Ticket | None = first
        while nxt is not None:
            t = nxt
            yield env.timeout(t.travel + self.extra[crew.zone][t.zone])
            t.arrived = env.now
            t.state = T_REPAIR
            crew.state = REPAIR
            crew.zone = t.zone
            yield env.timeout(t.repair)
            self._mark()
            t.done = env.now
            t.state = T_DONE
            self.n_open -= 1
            crew.ticket = None
            last = t
            nxt = self._next_ticket(crew) if self._auto(crew) else None
            if nxt is not None:
                self._dispatch(crew, nxt)
        if self.sc.return_to_base:
            # The return leg uses the last ticket's pre-drawn time (common random numbers).
            crew.state = RETURN
            yield env.timeout(last.back + self.extra[crew.zone][crew.base])
            crew.zone = crew.base
        self._release(crew)

    # ------------------------------------------------------------ matching

    def _auto(self, crew: Crew) -> bool:
        return self.policy != "manual" and self.phase is OPEN and not crew.leaving

    def _new_ticket(self, zone: int, now: float) -> None:
        u = self._prio_u()
        prio = 0
        while prio < len(self._prio_cum) - 1 and u >= self._prio_cum[prio]:
            prio += 1
        t = Ticket(
            len(self.tickets) + 1,
            zone,
            prio,
            now,
            self._travel[zone](),
            self._back[zone](),
            self._repair[zone](),
        )
        self.tickets.append(t)
        self._mark()
        self.n_open += 1
        self.waiting.append(t)
        if self.policy != "manual" and self.idle:
            crew = self._best_crew(t)
            if crew is not None:
                self._send(crew, t)

    def _best_crew(self, t: Ticket) -> Crew | None:
        best, best_key = None, None
        dedicated = self.policy == "zone_dedicated"
        for crew in self.idle:
            if dedicated and crew.base != t.zone:
                continue
            key = (self.extra[crew.zone][t.zone], crew.order)
            if best_key is None or key < best_key:
                best, best_key = crew, key
        return best

    def _next_ticket(self, crew: Crew) -> Ticket | None:
        """The waiting ticket a free crew should take under the current policy (or None)."""
        best, best_key = None, None
        policy = self.policy
        extra = self.extra[crew.zone]
        for t in self.waiting:
            if policy == "nearest":
                key = (extra[t.zone], t.seq)
            elif policy == "zone_dedicated" and t.zone != crew.base:
                continue
            else:
                key = (t.prio, t.seq)
            if best_key is None or key < best_key:
                best, best_key = t, key
        return best

    def _dispatch(self, crew: Crew, t: Ticket) -> None:
        """Bookkeeping of sending ``crew`` (already busy or just taken from idle) to ``t``."""
        self._mark()
        self.waiting.remove(t)
        t.dispatched = self.env.now
        t.crew = crew
        t.state = T_TRAVEL
        crew.state = TRAVEL
        crew.ticket = t

    def _send(self, crew: Crew, t: Ticket) -> None:
        self._mark()
        self.idle.remove(crew)
        self.n_busy += 1
        self._dispatch(crew, t)
        self.env.process(self._job(crew, t))

    def _release(self, crew: Crew) -> None:
        """A crew has finished (and is back at base if it returns): idle, next job or off."""
        self._mark()
        self.n_busy -= 1
        crew.state = IDLE
        if crew.leaving or not crew.active:
            self._off(crew)
            return
        self.idle.append(crew)
        self._offer(crew)

    def _offer(self, crew: Crew) -> None:
        if self._auto(crew):
            t = self._next_ticket(crew)
            if t is not None:
                self._send(crew, t)

    def _come_on(self, crew: Crew) -> None:
        if not crew.active or crew.state != OFF or self.phase is CLOSED:
            return
        if self.env.now < crew.shift_start:
            return  # a standby crew called in late: its own call-in brings it
        self._mark()
        crew.leaving = False
        crew.state = IDLE
        self.n_on += 1
        self.idle.append(crew)
        self._offer(crew)

    def _go_off(self, crew: Crew) -> None:
        """Take an idle crew off duty."""
        if crew.state != IDLE:
            return
        self._mark()
        self.idle.remove(crew)
        self._off(crew)

    def _off(self, crew: Crew) -> None:
        self._mark()
        crew.state = OFF
        self.n_on -= 1
        now = self.env.now
        if now > crew.shift_end:
            self.overtime += now - crew.shift_end

    def _mark(self) -> None:
        now = self.env.now
        dt = now - self._last
        if dt:
            self.w_area += len(self.waiting) * dt
            self.open_area += self.n_open * dt
            self.b_area += self.n_busy * dt
            self.on_area += self.n_on * dt
            self._last = now

    # ------------------------------------------------------------ step-through actions

    def apply(self, action: str, params: dict) -> None:
        sc = self.sc
        if action == "set_policy":
            self.policy = check_policy(params.get("policy"), "policy")
            for crew in list(self.idle):
                if crew.state == IDLE:
                    self._offer(crew)
        elif action == "set_crews":
            group = next((g for g in sc.crews if g.id == params.get("group")), None)
            if group is None:
                raise DecisionError("group", f"unknown crew group {params.get('group')}")
            n = check_count(params.get("count"), 0, group.limit, "count")
            members = [c for c in self.crews if c.group == group.id]
            for i, crew in enumerate(members):
                self._set_active(crew, i < n, 0.0)
        elif action == "set_standby":
            standby = sc.storm.standby if sc.storm is not None else None
            if standby is None:  # the session allows it only with a standby
                raise DecisionError("action", "this scenario has no standby crews")
            n = check_count(params.get("count"), 0, standby.max_crews, "count")
            members = [c for c in self.crews if c.standby]
            for i, crew in enumerate(members):
                self._set_active(crew, i < n, standby.mobilise_min)
        elif action == "assign":
            if self.policy != "manual":
                raise DecisionError("ticket", "manual assignments need dispatch_policy manual")
            name = params.get("crew")
            chosen = self.by_name.get(name) if isinstance(name, str) else None  # [] unhashable
            if chosen is None:
                raise DecisionError("crew", f"unknown crew {params.get('crew')}")
            if chosen.state != IDLE:
                raise DecisionError(
                    "crew", f"crew {chosen.name} is {CREW_STATES[chosen.state]}, not idle"
                )
            ticket = next((t for t in self.waiting if t.id == params.get("ticket")), None)
            if ticket is None:
                raise DecisionError("ticket", f"no waiting ticket {params.get('ticket')}")
            self._send(chosen, ticket)
        else:
            raise DecisionError("action", f"unknown action {action}")

    def _set_active(self, crew: Crew, active: bool, delay: float) -> None:
        """Put a crew on or off the roster now; a standby crew arrives ``delay`` later."""
        was = crew.active
        crew.active = active
        now = self.env.now
        if active and not was and crew.state == OFF and now < crew.shift_end:
            if delay:
                crew.shift_start = max(crew.shift_start, now + delay)
                self.env.process(self._call_in(crew, crew.shift_start - now))
            elif crew.shift_start <= now:
                self._come_on(crew)
        elif not active and was and crew.state == IDLE:
            self._go_off(crew)

    # ------------------------------------------------------------ inspection and results

    def state(self, limit: int = 200) -> dict:
        now = self.env.now
        zones = self.zones
        prios = [p.id for p in self.sc.priorities]
        waiting = sorted(self.waiting, key=lambda t: (t.prio, t.seq))
        return {
            "phase": self.phase,
            "policy": self.policy,
            "crews": [
                {
                    "id": c.name,
                    "group": c.group,
                    "state": CREW_STATES[c.state],
                    "zone": zones[c.zone],
                    "base": zones[c.base],
                    "ticket": c.ticket.id if c.ticket is not None else None,
                    "on_roster": c.active,
                }
                for c in self.crews
                if c.active or c.state != OFF
            ],
            "waiting": [
                {
                    "id": t.id,
                    "zone": zones[t.zone],
                    "priority": prios[t.prio],
                    "elapsed_min": now - t.created,
                    "commitment_min": self.commit[t.zone],
                    "overdue": now - t.created > self.commit[t.zone],
                }
                for t in waiting[:limit]
            ],
            "in_progress": [
                {
                    "id": t.id,
                    "zone": zones[t.zone],
                    "crew": t.crew.name if t.crew is not None else None,  # set when dispatched
                    "state": TICKET_STATES[t.state],
                }
                for t in self.tickets
                if t.state in (T_TRAVEL, T_REPAIR)
            ],
            "so_far": {
                "tickets": len(self.tickets),
                "waiting": len(self.waiting),
                "done": sum(1 for t in self.tickets if t.state == T_DONE),
            },
        }

    def finish(self) -> None:
        self.env.run()

    def output(self, records: bool = False) -> dict:
        sc = self.sc
        self.check_invariants()
        warm, end = sc.warmup_min, sc.horizon_min
        step = sc.interval_min
        nz = len(self.zones)
        n_int = len(self.snapshots)
        s_arr = [0] * n_int
        s_ok = [0] * n_int
        s_known = [0] * n_int
        arr: list[list[float]] = [[] for _ in range(nz)]
        ok = [0] * nz
        known = [0] * nz
        restore: list[float] = []
        n_window = 0
        for t in self.tickets:
            if t.created < warm:
                continue
            n_window += 1
            z = t.zone
            b = min(int(t.created // step), n_int - 1)
            s_arr[b] += 1
            if t.arrived is not None:
                a = t.arrived - t.created
                arr[z].append(a)
                good = a <= self.commit[z]
            elif end - t.created > self.commit[z]:
                good = False  # still not reached and already late
            else:
                continue  # outcome unknown at the end of the run
            known[z] += 1
            s_known[b] += 1
            if good:
                ok[z] += 1
                s_ok[b] += 1
            if t.done is not None:
                restore.append(t.done - t.created)
        all_arr = sorted(a for zone in arr for a in zone)
        w0, o0, b0, n0, t0 = self._snap_warm
        w1, o1, b1, n1, t1 = self._snap_end
        kpis = {
            "sla_compliance": ratio(sum(ok), sum(known)),
            "mean_arrival_min": mean(all_arr),
            "p90_arrival_min": percentile(all_arr, 0.9),
            "mean_restore_min": mean(restore),
            "crew_utilization": ratio(b1 - b0, n1 - n0),
            "backlog_end": float(sum(1 for t in self.tickets if t.done is None or t.done > end)),
            "tickets": float(n_window),
            "crew_hours": self.on_area / 60.0,
            "overtime_hours": self.overtime / 60.0,
        }
        for z, zone in enumerate(self.zones):
            kpis[f"sla_compliance_{zone}"] = ratio(ok[z], known[z])
            kpis[f"mean_arrival_min_{zone}"] = mean(arr[z])
        series: dict[str, list[float | None]] = {
            "waiting_tickets": [],
            "open_tickets": [],
            "busy_crews": [],
            "crews_on_duty": [],
        }
        prev = (0.0, 0.0, 0.0, 0.0, 0.0)
        for snap in self.snapshots:
            dt = snap[4] - prev[4]
            for i, name in enumerate(series):
                series[name].append((snap[i] - prev[i]) / dt)
            prev = snap
        series["arrivals"] = [float(x) for x in s_arr]
        series["sla_compliance"] = [ratio(g, k) for g, k in zip(s_ok, s_known, strict=True)]
        extra = {
            "zones": {zone: {"commitment_min": self.commit[z]} for z, zone in enumerate(self.zones)}
        }
        out = {"kpis": kpis, "series": series, "extra": extra}
        if records:
            out["records"] = [self._record(t) for t in self.tickets]
        return out

    def _record(self, t: Ticket) -> dict:
        arrival = t.arrived - t.created if t.arrived is not None else None
        return {
            "id": t.id,
            "zone": self.zones[t.zone],
            "priority": self.sc.priorities[t.prio].id,
            "created_min": t.created,
            "dispatched_min": t.dispatched,
            "arrived_min": t.arrived,
            "done_min": t.done,
            "crew": t.crew.name if t.crew is not None else None,
            "arrival_min": arrival,
            "within_commitment": None if arrival is None else arrival <= self.commit[t.zone],
            "state": TICKET_STATES[t.state],
        }

    def check_invariants(self) -> None:
        """Conservation, time order, crews busy with one ticket at most, Little's law."""
        problems = []
        end = self.sc.horizon_min
        queue_time = 0.0
        if any(c.state != OFF for c in self.crews) or self.n_busy or self.n_on:
            problems.append("crews still on duty after the end")
        for t in self.tickets:
            if t.state in (T_TRAVEL, T_REPAIR):
                problems.append(f"{t.id} still in progress at the end")
                break
            if t.dispatched is not None:
                if (
                    t.arrived is None
                    or t.done is None
                    or not (t.created <= t.dispatched <= t.arrived <= t.done)
                    or t.dispatched > end
                ):
                    problems.append(f"{t.id} has times out of order")
                    break
            elif t.state != T_WAITING:
                problems.append(f"{t.id} done without a crew")
                break
            queue_time += min(t.dispatched if t.dispatched is not None else end, end) - t.created
        if self.n_open != sum(1 for t in self.tickets if t.state != T_DONE):
            problems.append("open ticket count out of step")
        w_end = self._snap_end[0]
        if abs(w_end - queue_time) > 1e-6 * max(1.0, queue_time):
            problems.append(f"Little's law: waiting area {w_end} != total waiting {queue_time}")
        if problems:
            raise InvariantError("; ".join(problems))
