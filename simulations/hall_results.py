"""What a business-hall day gives: KPIs, series, per-customer records, and the invariant checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import InvariantError
from .hall_people import (
    ABANDONED,
    BALKED,
    DIVERTED,
    DONE,
    SERVING,
    STATE_NAMES,
    UNSERVED,
    WAITING,
    Customer,
)
from .stats import mean, percentile, ratio

if TYPE_CHECKING:
    from .service_counter import ServiceCounterModel


def output(m: ServiceCounterModel, records: bool = False) -> dict:
    sc = m.sc
    check_invariants(m)
    warm, target = sc.warmup_min, sc.target_wait_min
    step = sc.interval_min
    n_int = len(m.snapshots)
    s_arr = [0] * n_int
    s_ab = [0] * n_int
    s_wsum = [0.0] * n_int
    s_wn = [0] * n_int
    s_ok = [0] * n_int
    waits: list[float] = []
    prio_waits: list[float] = []
    reg_waits: list[float] = []
    # Everyone who came in to be served; one who left unserved counts as a miss.
    all_waits: list[float] = []
    prio_all: list[float] = []
    reg_all: list[float] = []
    miss = sc.miss_wait
    n_in = n_div = n_ab = n_balk = n_unserved = n_waited = n_ok = n_kiosk = 0
    sat = 0.0
    two = m.n_prio == 2
    kiosk_key = m.kiosk_key
    for c in m.customers:
        if c.arrive < warm:
            continue
        state = c.state
        if state == DIVERTED:
            n_div += 1
            continue
        n_in += 1
        b = min(int(c.arrive // step), n_int - 1)
        s_arr[b] += 1
        if c.key == kiosk_key:
            n_kiosk += 1
        if state == DONE:
            if c.start is None:  # ruled out by check_invariants above
                raise InvariantError(f"{c.id} done without a start time")
            w = c.start - c.arrive
            waits.append(w)
            s_wsum[b] += w
            s_wn[b] += 1
            if w > 0:
                n_waited += 1
            if w <= target:
                n_ok += 1
                s_ok[b] += 1
                sat += 100.0
            else:
                sat += max(0.0, 100.0 * (1 - (w - target) / (2 * target)))
            if two:
                (prio_waits if c.prio == 0 else reg_waits).append(w)
        else:
            w = max(miss, (c.end if c.end is not None else c.arrive) - c.arrive)
            if state == ABANDONED:
                n_ab += 1
                n_waited += 1
                s_ab[b] += 1
            elif state == BALKED:
                n_balk += 1
            else:
                n_unserved += 1
                n_waited += 1
        all_waits.append(w)
        if two:
            (prio_all if c.prio == 0 else reg_all).append(w)
    waits.sort()
    all_waits.sort()
    q0, b0, o0, t0 = m._snap_warm
    q1, b1, o1, t1 = m._snap_end
    kpis = {
        "mean_wait_min": mean(waits),
        "p90_wait_min": percentile(waits, 0.9),
        "mean_wait_all_min": mean(all_waits),
        "p90_wait_all_min": percentile(all_waits, 0.9),
        "prob_wait": ratio(n_waited, n_in - n_balk),
        "service_level": ratio(n_ok, n_in),
        "abandon_rate": ratio(n_ab, n_in),
        "balk_rate": ratio(n_balk, n_in),
        "utilization": ratio(b1 - b0, o1 - o0),
        "served": float(len(waits)),
        "arrivals": float(n_in),
        "unserved_at_close": float(n_unserved),
        "mean_queue": (q1 - q0) / (t1 - t0),
        "staff_hours": (m.o_area + m.lobby_area) / 60.0,
        "satisfaction": ratio(sat, n_in),
        "kiosk_share": ratio(n_kiosk, n_in),
        "diverted_share": ratio(n_div, n_in + n_div),
    }
    if two:
        kpis["mean_wait_priority_min"] = mean(prio_waits)
        kpis["mean_wait_regular_min"] = mean(reg_waits)
        kpis["mean_wait_priority_all_min"] = mean(prio_all)
        kpis["mean_wait_regular_all_min"] = mean(reg_all)
    series: dict[str, list[float | None]] = {
        "queue_len": [],
        "busy_counters": [],
        "open_counters": [],
        "arrivals": [float(x) for x in s_arr],
        "abandoned": [float(x) for x in s_ab],
        "mean_wait_min": [ratio(s, n) for s, n in zip(s_wsum, s_wn, strict=True)],
        "service_level": [ratio(ok, n) for ok, n in zip(s_ok, s_arr, strict=True)],
    }
    prev = (0.0, 0.0, 0.0, 0.0)
    for snap in m.snapshots:
        dt = snap[3] - prev[3]
        series["queue_len"].append((snap[0] - prev[0]) / dt)
        series["busy_counters"].append((snap[1] - prev[1]) / dt)
        series["open_counters"].append((snap[2] - prev[2]) / dt)
        prev = snap
    out = {"kpis": kpis, "series": series, "extra": {}}
    if records:
        out["records"] = [record(m, c) for c in m.customers]
    return out


def record(m: ServiceCounterModel, c: Customer) -> dict:
    g = c.group
    return {
        "id": c.id,
        "type": m.types[c.type],
        "priority": c.prio == 0 and m.n_prio == 2,
        "route": "online"
        if c.state == DIVERTED
        else ("kiosk" if c.key == m.kiosk_key else "counter"),
        "arrive_min": c.arrive,
        "start_min": c.start,
        "end_min": c.end,
        "wait_min": (c.start - c.arrive) if c.start is not None else None,
        "state": STATE_NAMES[c.state],
        "group": g.id if g is not None else None,
    }


def check_invariants(m: ServiceCounterModel) -> None:
    """Conservation, non-negative waits, reneging on time and Little's law (L = lam W)."""
    problems = []
    if m.waiting or any(g.busy for g in m.all_groups):
        problems.append("customers left in the hall after closing")
    total_queue_time = 0.0
    for c in m.customers:
        if c.state in (WAITING, SERVING):
            problems.append(f"{c.id} still {STATE_NAMES[c.state]} at the end")
            break
        if c.state == DONE:
            if c.start is None or c.end is None or not c.arrive <= c.start <= c.end:
                problems.append(f"{c.id} has times out of order")
                break
            if c.patience is not None and c.start - c.arrive > c.patience + 1e-9:
                problems.append(f"{c.id} was served after its patience ran out")
                break
            total_queue_time += c.start - c.arrive
        elif c.state in (ABANDONED, UNSERVED):
            if c.end is None:
                problems.append(f"{c.id} left without an end time")
                break
            total_queue_time += c.end - c.arrive
            if c.state == ABANDONED and (
                c.patience is None or abs(c.end - c.arrive - c.patience) > 1e-6
            ):
                problems.append(f"{c.id} left at the wrong time")
                break
    m._mark()
    if abs(m.q_area - total_queue_time) > 1e-6 * max(1.0, total_queue_time):
        problems.append(f"Little's law: queue area {m.q_area} != total waiting {total_queue_time}")
    if m.busy > m.open or m.b_area > m.o_area + 1e-6:
        problems.append("more busy counters than open ones")
    if problems:
        raise InvariantError("; ".join(problems))


def state(m: ServiceCounterModel, limit: int = 200) -> dict:
    now = m.env.now
    waiting = sorted(
        (c for queues in m.queues for q in queues for c in q if c.state == WAITING),
        key=lambda c: (c.prio, c.seq),
    )
    return {
        "phase": m.phase,
        "queue_len": m.waiting,
        "groups": [
            {
                "id": g.id,
                "kind": "counter" if g.staffed else "kiosk",
                "open": g.open,
                "busy": g.busy,
                "target": g.target,
                "serves": [m.types[k] for k in g.keys if k < len(m.types)],
            }
            for g in m.all_groups
        ],
        "waiting": [
            {
                "id": c.id,
                "type": m.types[c.type],
                "priority": c.prio == 0 and m.n_prio == 2,
                "route": "kiosk" if c.key == m.kiosk_key else "counter",
                "elapsed_min": now - c.arrive,
            }
            for c in waiting[:limit]
        ],
        "counters_open": {g: list(v) for g, v in m.schedule.items()},
        "kiosk_share": m.kiosk_share if m._kiosk_u else None,
        "diversion_campaign": m.campaign,
        "so_far": {
            "arrived": sum(1 for c in m.customers if c.state != DIVERTED),
            "served": sum(1 for c in m.customers if c.start is not None),
            "abandoned": sum(1 for c in m.customers if c.state == ABANDONED),
            "diverted": sum(1 for c in m.customers if c.state == DIVERTED),
        },
    }
