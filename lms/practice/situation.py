"""What the learner sees before a run: the situation of a scenario in plain language (demand,
resources, facts), its targets and what each KPI means."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from lms.practice.models import Scenario
from lms.practice.scenarios import engine
from lms.practice.wording import clock, name_of, num, pick
from simulations.catalogue import LABELS, POLICY_LABELS, allowed
from simulations.kpis import scenario_kpi_info


@dataclass
class Situation:
    kind: str
    start: str
    end: str
    hours: int
    horizon_min: float
    hour_labels: list[str]
    demand: list[dict]  # [{"label": text, "values": [per hour]}]
    demand_total: float
    rows: list[tuple[str, str]]  # (what, value) facts
    resources: list[dict]
    targets: list[dict]
    decisions: list[str]
    extra: dict = field(default_factory=dict)


def hourly_dispatch(sc, zone) -> list[float]:
    out = [0.0] * sc.hours
    for start, end, rate in sc.zone_segments(zone):
        t = start
        while t < end - 1e-9:
            h = min(int(t // 60), sc.hours - 1)
            stop = min(end, 60.0 * (h + 1))
            out[h] += rate * (stop - t)
            t = stop
    return out


def target_rows(sc) -> list[dict]:
    info = kpi_info(sc)
    rows = []
    for name, target in (sc.targets or sc.default_targets()).items():
        meta = info.get(name, {"label": {"zh": name, "en": name}, "unit": ""})
        goal = ("max", target.max) if target.max is not None else ("min", target.min)
        rows.append({"kpi": name, "label": pick(meta["label"]), "unit": meta["unit"],
                     "op": goal[0], "value": goal[1], "zero_at": target.zero,
                     "weight": target.weight})
    return rows


def kpi_info(sc) -> dict:
    return scenario_kpi_info(sc)


def situation(scenario: Scenario) -> Situation:
    sc = engine(scenario)
    labels = [clock(sc.start_clock, 60 * h) for h in range(sc.hours)]
    decisions = [pick({"zh": LABELS[n][0], "en": LABELS[n][1]}) for n in allowed(sc)]
    facts: list[tuple[str, str]] = []
    resources: list[dict] = []
    extra: dict = {}
    if sc.kind == "service_counter":
        rates = sc.arrivals.hourly_rates(sc.hours)
        demand = [{"label": str(_l("Customers per hour")), "values": rates}]
        total = sc.expected_entities()
        extra["types"] = [{
            "name": name_of(t, t.id), "share": t.share,
            "mean_min": t.service_min.mean_value,
            "online": (sc.online.share.get(t.id, 0.0) if sc.online else 0.0),
        } for t in sc.service_types]
        facts.append((str(_l("Target wait")), str(_l("%(m)s min", m=num(sc.target_wait_min)))))
        if sc.patience_min is not None:
            facts.append((str(_l("Patience")), str(_l(
                "customers leave after about %(m)s min of waiting on average",
                m=num(sc.patience_min.mean_value)))))
        if sc.priority is not None:
            facts.append((str(_l("Priority customers")), str(_l(
                "%(p)s%% (%(n)s) are served first", p=num(100 * sc.priority.share),
                n=name_of(sc.priority, "")))))
        if sc.max_waiting is not None:
            facts.append((str(_l("Hall capacity")), str(_l("%(n)d waiting at most",
                                                            n=sc.max_waiting))))
        for g in sc.counters:
            resources.append({
                "name": name_of(g, g.id), "count": g.count, "max": g.limit,
                "detail": ", ".join(name_of(t, t.id) for t in sc.service_types
                                    if t.id in g.serves)})
        if sc.kiosks is not None:
            resources.append({
                "name": name_of(sc.kiosks, str(_l("Self-service kiosks"))),
                "count": sc.kiosks.count, "max": sc.kiosks.count,
                "detail": str(_l("%(p)s%% of eligible customers use them unguided; guidance "
                                 "can raise it to %(m)s%%",
                                 p=num(100 * sc.kiosks.share),
                                 m=num(100 * sc.kiosks.share_limit)))})
        if sc.online is not None and sc.online.campaign is not None:
            facts.append((str(_l("Online campaign")), str(_l(
                "moves more simple cases online; needs %(n)d lobby guide(s) all day",
                n=sc.online.campaign.lobby_staff))))
    else:
        demand = [{"label": name_of(z, z.id), "values": hourly_dispatch(sc, z)} for z in sc.zones]
        total = sc.expected_entities()
        extra["zones"] = [{
            "name": name_of(z, z.id), "commitment": z.commitment,
            "travel": z.travel_min.mean_value, "repair": z.repair_min.mean_value,
        } for z in sc.zones]
        extra["priorities"] = [{"name": name_of(p, p.id), "share": p.share}
                               for p in sc.priorities]
        policy = POLICY_LABELS[sc.policy]
        facts.append((str(_l("Dispatch policy at the start")),
                      pick({"zh": policy[0], "en": policy[1]})))
        for g in sc.crews:
            zone = next((z for z in sc.zones if z.id == g.base), None)
            detail = str(_l("based in %(z)s", z=name_of(zone, g.base)))
            if g.shift is not None:
                detail += " · " + str(_l("on duty %(a)s–%(b)s",
                                         a=clock(sc.start_clock, g.shift.start_min),
                                         b=clock(sc.start_clock, g.shift.end_min)))
            resources.append({"name": name_of(g, g.id), "count": g.count, "max": g.limit,
                              "detail": detail})
        if sc.storm is not None:
            st = sc.storm
            facts.append((name_of(st, str(_l("Storm"))), str(_l(
                "%(a)s–%(b)s, fault tickets ×%(m)s",
                a=clock(sc.start_clock, st.start_min), b=clock(sc.start_clock, st.end_min),
                m="/".join(num(st.factor(z.id)) for z in sc.zones)))))
            if st.standby is not None:
                resources.append({
                    "name": name_of(st.standby, str(_l("Standby crews"))), "count": 0,
                    "max": st.standby.max_crews,
                    "detail": str(_l("can be called in; they need %(m)s min to mobilise",
                                     m=num(st.standby.mobilise_min)))})
    if sc.budget is not None:
        facts.append((str(_l("Budget")), str(_l(
            "at most %(m)s %(u)s; over it the score shrinks, to 0 at %(z)s",
            m=num(sc.budget.max), z=num(sc.budget.zero),
            u=_l("staff-hours") if sc.budget.kpi == "staff_hours" else _l("crew-hours")))))
    return Situation(kind=sc.kind, start=sc.start_clock,
                     end=clock(sc.start_clock, sc.horizon_min), hours=sc.hours,
                     horizon_min=sc.horizon_min, hour_labels=labels, demand=demand,
                     demand_total=total, rows=facts, resources=resources,
                     targets=target_rows(sc), decisions=decisions, extra=extra)
