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

from . import dispatch_results
from .decisions import DispatchDecisions, check_count, check_policy
from .dispatch_entities import (  # noqa: F401 - re-exported
    CLOSED,
    CREW_STATES,
    IDLE,
    OFF,
    OPEN,
    REPAIR,
    RETURN,
    T_DONE,
    T_REPAIR,
    T_TRAVEL,
    T_WAITING,
    TICKET_STATES,
    TRAVEL,
    Crew,
    Ticket,
)
from .distributions import make_rng, piecewise_poisson
from .errors import DecisionError
from .scenario import DispatchScenario


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
        """What the trainee sees now (see the results module)."""
        return dispatch_results.state(self, limit)

    def finish(self) -> None:
        self.env.run()

    def output(self, records: bool = False) -> dict:
        return dispatch_results.output(self, records)

    def check_invariants(self) -> None:
        dispatch_results.check_invariants(self)
