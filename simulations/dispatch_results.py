"""What a dispatch day gives: KPIs, series, per-ticket records, and the invariant checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .dispatch_entities import (
    CREW_STATES,
    OFF,
    T_DONE,
    T_REPAIR,
    T_TRAVEL,
    T_WAITING,
    TICKET_STATES,
    Ticket,
)
from .errors import InvariantError
from .stats import mean, percentile, ratio

if TYPE_CHECKING:
    from .dispatch import DispatchModel


def output(m: DispatchModel, records: bool = False) -> dict:
    sc = m.sc
    check_invariants(m)
    warm, end = sc.warmup_min, sc.horizon_min
    step = sc.interval_min
    nz = len(m.zones)
    n_int = len(m.snapshots)
    s_arr = [0] * n_int
    s_ok = [0] * n_int
    s_known = [0] * n_int
    arr: list[list[float]] = [[] for _ in range(nz)]
    # Every ticket whose outcome is known: one never reached counts with the time it had
    # waited by the end (censored at the horizon), once that is past its commitment.
    arr_all: list[list[float]] = [[] for _ in range(nz)]
    unreached = 0
    ok = [0] * nz
    known = [0] * nz
    restore: list[float] = []
    n_window = 0
    for t in m.tickets:
        if t.created < warm:
            continue
        n_window += 1
        z = t.zone
        b = min(int(t.created // step), n_int - 1)
        s_arr[b] += 1
        if t.arrived is None:
            unreached += 1
        if t.arrived is not None:
            a = t.arrived - t.created
            arr[z].append(a)
            arr_all[z].append(a)
            good = a <= m.commit[z]
        elif end - t.created > m.commit[z]:
            good = False  # still not reached and already late
            arr_all[z].append(end - t.created)
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
    every = sorted(a for zone in arr_all for a in zone)
    w0, o0, b0, n0, t0 = m._snap_warm
    w1, o1, b1, n1, t1 = m._snap_end
    kpis = {
        "sla_compliance": ratio(sum(ok), sum(known)),
        "mean_arrival_min": mean(all_arr),
        "p90_arrival_min": percentile(all_arr, 0.9),
        "mean_arrival_all_min": mean(every),
        "p90_arrival_all_min": percentile(every, 0.9),
        "unreached": float(unreached),
        "mean_restore_min": mean(restore),
        "crew_utilization": ratio(b1 - b0, n1 - n0),
        "backlog_end": float(sum(1 for t in m.tickets if t.done is None or t.done > end)),
        "tickets": float(n_window),
        "crew_hours": m.on_area / 60.0,
        "overtime_hours": m.overtime / 60.0,
    }
    for z, zone in enumerate(m.zones):
        kpis[f"sla_compliance_{zone}"] = ratio(ok[z], known[z])
        kpis[f"mean_arrival_min_{zone}"] = mean(arr[z])
        kpis[f"mean_arrival_all_min_{zone}"] = mean(arr_all[z])
    series: dict[str, list[float | None]] = {
        "waiting_tickets": [],
        "open_tickets": [],
        "busy_crews": [],
        "crews_on_duty": [],
    }
    prev = (0.0, 0.0, 0.0, 0.0, 0.0)
    for snap in m.snapshots:
        dt = snap[4] - prev[4]
        for i, name in enumerate(series):
            series[name].append((snap[i] - prev[i]) / dt)
        prev = snap
    series["arrivals"] = [float(x) for x in s_arr]
    series["sla_compliance"] = [ratio(g, k) for g, k in zip(s_ok, s_known, strict=True)]
    extra = {"zones": {zone: {"commitment_min": m.commit[z]} for z, zone in enumerate(m.zones)}}
    out = {"kpis": kpis, "series": series, "extra": extra}
    if records:
        out["records"] = [record(m, t) for t in m.tickets]
    return out


def record(m: DispatchModel, t: Ticket) -> dict:
    arrival = t.arrived - t.created if t.arrived is not None else None
    return {
        "id": t.id,
        "zone": m.zones[t.zone],
        "priority": m.sc.priorities[t.prio].id,
        "created_min": t.created,
        "dispatched_min": t.dispatched,
        "arrived_min": t.arrived,
        "done_min": t.done,
        "crew": t.crew.name if t.crew is not None else None,
        "arrival_min": arrival,
        "within_commitment": None if arrival is None else arrival <= m.commit[t.zone],
        "state": TICKET_STATES[t.state],
    }


def check_invariants(m: DispatchModel) -> None:
    """Conservation, time order, crews busy with one ticket at most, Little's law."""
    problems = []
    end = m.sc.horizon_min
    queue_time = 0.0
    if any(c.state != OFF for c in m.crews) or m.n_busy or m.n_on:
        problems.append("crews still on duty after the end")
    for t in m.tickets:
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
    if m.n_open != sum(1 for t in m.tickets if t.state != T_DONE):
        problems.append("open ticket count out of step")
    w_end = m._snap_end[0]
    if abs(w_end - queue_time) > 1e-6 * max(1.0, queue_time):
        problems.append(f"Little's law: waiting area {w_end} != total waiting {queue_time}")
    if problems:
        raise InvariantError("; ".join(problems))


def state(m: DispatchModel, limit: int = 200) -> dict:
    now = m.env.now
    zones = m.zones
    prios = [p.id for p in m.sc.priorities]
    waiting = sorted(m.waiting, key=lambda t: (t.prio, t.seq))
    return {
        "phase": m.phase,
        "policy": m.policy,
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
            for c in m.crews
            if c.active or c.state != OFF
        ],
        "waiting": [
            {
                "id": t.id,
                "zone": zones[t.zone],
                "priority": prios[t.prio],
                "elapsed_min": now - t.created,
                "commitment_min": m.commit[t.zone],
                "overdue": now - t.created > m.commit[t.zone],
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
            for t in m.tickets
            if t.state in (T_TRAVEL, T_REPAIR)
        ],
        "so_far": {
            "tickets": len(m.tickets),
            "waiting": len(m.waiting),
            "done": sum(1 for t in m.tickets if t.state == T_DONE),
        },
    }
