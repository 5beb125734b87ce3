"""Debrief advice derived from a run and tested on the same days.

``advise`` looks at the trainee's plan and what it did (queueing rules of thumb for each hour's
demand, the crews' load, the budget, the decisions left unused), builds a few concrete
changes to the plan, and runs each on the same days (same seed, same replications: common
random numbers). Only changes that raise the score are returned, best first, each with the
score it would have earned. So following the top suggestion improves the score on those days
by construction, and a test checks it for every built-in scenario.
"""

from __future__ import annotations

import math
from typing import Any

from .catalogue import allowed
from .decisions import validate_decisions
from .errors import DecisionError
from .scenario import DispatchScenario, Scenario, ServiceCounterScenario
from .session import run
from .theory import MMc

MAX_DAYS = 10  # days each candidate is tried on (the run's first days) ...
DAY_BUDGET = 5_000  # ... and expected customers or tickets per candidate, at most


def needed_counters(sc: ServiceCounterScenario, dec: dict) -> list[int]:
    """Counters needed per hour by an Erlang C rule of thumb: the fewest counters for which a
    steady queue with that hour's demand keeps the mean wait within the target."""
    rates = sc.arrivals.hourly_rates(sc.hours)
    online = dict(sc.online.share) if sc.online else {}
    if sc.online and sc.online.campaign and dec.get("diversion_campaign"):
        for tid, extra in sc.online.campaign.extra_share.items():
            online[tid] = online.get(tid, 0.0) + extra
    kiosk_share = dec.get("kiosk_share", sc.kiosks.share if sc.kiosks else 0.0) or 0.0
    kiosk_types = set(sc.kiosks.types) if sc.kiosks else set()
    share = work = 0.0
    for t in sc.service_types:
        part = t.share * (1 - online.get(t.id, 0.0))
        if t.id in kiosk_types:
            part *= 1 - kiosk_share
        share += part
        work += part * t.service_min.mean_value
    target = sc.target_wait_min
    goal = sc.targets.get("mean_wait_min")
    if goal is not None and goal.max is not None and goal.max > 0:
        target = min(target, goal.max)
    if share <= 0 or work <= 0:
        return [0] * sc.hours
    mu = share / work
    out = []
    for rate in rates:
        lam = rate * share / 60.0
        if lam <= 0:
            out.append(0)
            continue
        c = max(1, math.floor(lam / mu) + 1)
        while c < 200 and MMc(lam, mu, c).mean_wait > target:
            c += 1
        out.append(c)
    return out


def crew_load(sc: DispatchScenario, storm: bool) -> float:
    """Crews kept busy on average (travel there and back plus repair), outside or inside the
    storm window."""
    load = 0.0
    for z in sc.zones:
        rates = [
            r
            for s, e, r in sc.zone_segments(z)
            if sc.storm is None or (sc.storm.start_min <= s < sc.storm.end_min) == storm
        ]
        travel, repair = z.travel_min.mean_value, z.repair_min.mean_value
        if storm and sc.storm is not None:  # the storm slows the work too
            travel *= sc.storm.travel_multiplier
            repair *= sc.storm.repair_multiplier
        if rates:
            load += sum(rates) / len(rates) * (2 * travel + repair)
    return load


def _hall_plan(sc: ServiceCounterScenario, full: dict, totals: list[int]) -> dict[str, list[int]]:
    """Counters per group per hour reaching ``totals``: the change goes to the most general
    groups first (they can serve anyone), within each group's limit."""
    plan = {g: list(v) for g, v in full["counters_open"].items()}
    order = sorted(sc.counters, key=lambda g: -len(full["counter_serves"][g.id]))
    for h in range(sc.hours):
        delta = totals[h] - sum(v[h] for v in plan.values())
        for g in order if delta > 0 else reversed(order):
            if delta == 0:
                break
            now = plan[g.id][h]
            new = min(g.limit, max(0, now + delta))
            plan[g.id][h] = new
            delta -= new - now
    return plan


def _hall_candidates(sc: ServiceCounterScenario, full: dict) -> list[tuple[str, dict, dict]]:
    ok = allowed(sc)
    out: list[tuple[str, dict, dict]] = []
    if "counters_open" in ok:
        need = needed_counters(sc, full)
        opened = [sum(v[h] for v in full["counters_open"].values()) for h in range(sc.hours)]
        up = [max(o, n) for o, n in zip(opened, need, strict=True)]
        down = [min(o, n) for o, n in zip(opened, need, strict=True)]
        for code, totals in (("add_counters", up), ("remove_counters", down), ("match", need)):
            if totals != opened:
                hours = [h for h in range(sc.hours) if totals[h] != opened[h]]
                plan = _hall_plan(sc, full, totals)
                out.append((code, {"hours": hours}, {"counters_open": plan}))
    if "counter_serves" in ok:
        every = sc.type_ids
        if any(sorted(v) != sorted(every) for v in full["counter_serves"].values()):
            out.append(
                ("pool_counters", {}, {"counter_serves": {g.id: every for g in sc.counters}})
            )
    if "kiosk_share" in ok and sc.kiosks is not None:
        if (full.get("kiosk_share") or 0) < sc.kiosks.share_limit - 1e-9:
            out.append(("more_kiosk_guidance", {}, {"kiosk_share": sc.kiosks.share_limit}))
    if "diversion_campaign" in ok:
        on = not full.get("diversion_campaign")
        out.append(("campaign_on" if on else "campaign_off", {}, {"diversion_campaign": on}))
    return out


def _dispatch_candidates(sc: DispatchScenario, full: dict) -> list[tuple[str, dict, dict]]:
    ok = allowed(sc)
    out: list[tuple[str, dict, dict]] = []
    if "crews_on_shift" in ok:
        crews = full["crews_on_shift"]
        for g in sc.crews:
            for step, code in ((1, "add_crew"), (-1, "remove_crew")):
                n = crews[g.id] + step
                if 0 <= n <= g.limit:
                    out.append((code, {"group": g.id}, {"crews_on_shift": {**crews, g.id: n}}))
        by_load = dict(crews)
        for z in sc.zones:
            groups = [g for g in sc.crews if g.base == z.id]
            if not groups:
                continue
            per_min = sum(r * (e - s) for s, e, r in sc.zone_segments(z)) / sc.horizon_min
            need = math.ceil(
                per_min * (2 * z.travel_min.mean_value + z.repair_min.mean_value) / 0.7
            )
            for g in groups:
                by_load[g.id] = min(g.limit, need)
                need -= by_load[g.id]
        if by_load != crews:
            out.append(("crews_to_load", {}, {"crews_on_shift": by_load}))
    if "surge_extra_crews" in ok and sc.storm is not None and sc.storm.standby is not None:
        top = sc.storm.standby.max_crews
        now = full["surge_extra_crews"]
        for n in sorted({min(top, now + 2), max(0, now - 2), top} - {now}):
            code = "more_standby" if n > now else "fewer_standby"
            out.append((code, {"count": n}, {"surge_extra_crews": n}))
    if "dispatch_policy" in ok:
        for policy in ("priority_first", "nearest"):
            if full["dispatch_policy"] != policy:
                out.append(("policy", {"policy": policy}, {"dispatch_policy": policy}))
    return out


def advise(
    sc: Scenario,
    decisions: dict | None,
    seed: int,
    replications: int,
    *,
    max_days: int = MAX_DAYS,
) -> list[dict[str, Any]]:
    """Changes to the plan that would have scored better on the run's days, best first."""
    try:
        full = validate_decisions(sc, decisions).to_dict()
    except DecisionError:
        return []
    if full.get("assignments") or full.get("dispatch_policy") == "manual":
        return []  # manual dispatch: the advice would not be a whole-day plan
    per_day = max(1.0, sc.expected_entities())
    days = max(1, min(replications, max_days, max(3, int(DAY_BUDGET // per_day))))
    base = run(sc, decisions, seed, days).score
    mine = {k: v for k, v in full.items() if k in allowed(sc)}
    if isinstance(sc, ServiceCounterScenario):
        candidates = _hall_candidates(sc, full)
    else:
        candidates = _dispatch_candidates(sc, full)
    out = []
    for code, detail, change in candidates:
        plan = {**mine, **change}
        try:
            score = run(sc, plan, seed, days).score
        except DecisionError:
            continue
        if score > base + 0.05:
            out.append(
                {
                    "code": code,
                    **detail,
                    "decisions": plan,
                    "score": score,
                    "from": base,
                    "days": days,
                }
            )
    out.sort(key=lambda a: -a["score"])
    return out
