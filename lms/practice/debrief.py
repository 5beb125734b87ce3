"""Debriefing a scored run: the decision mistakes it shows (findings) and their wording."""

from __future__ import annotations

import math
from collections import Counter

from flask_babel import lazy_gettext as _l

from lms.practice.wording import clock, pick
from simulations.advice import crew_load as _crew_load
from simulations.advice import needed_counters as _needed_counters
from simulations.catalogue import POLICY_LABELS, allowed

FINDINGS = {
    "understaffed_peak": _l("Too few counters open at the peak hour"),
    "understaffed_hours": _l("Too few counters in other busy hours"),
    "overstaffed_quiet": _l("More counters than needed in quiet hours"),
    "kiosks_unused": _l("Kiosk guidance left low while waits were over target"),
    "campaign_unused": _l("Online campaign not used while the hall missed its targets"),
    "too_few_crews": _l("Too few crews on shift for the normal ticket load"),
    "storm_understaffed": _l("Too few crews (with standby) for the storm"),
    "zone_uncovered": _l("Zone-dedicated dispatch with a zone that has no crew"),
    "manual_idle": _l("Manual dispatch with few crews sent"),
    "idle_crews": _l("Many idle crews on shift"),
    "missed_target": _l("Missed target"),
}


SERVICE_KPIS = ("mean_wait_min", "p90_wait_min", "service_level", "abandon_rate",
                "satisfaction", "prob_wait", "mean_wait_priority_min", "mean_wait_regular_min")
SERVICE_PREFIXES = ("sla_compliance", "mean_arrival_min", "p90_arrival_min", "backlog_end",
                    "mean_restore_min", "unserved_at_close", "balk_rate")
COST_KPIS = ("staff_hours", "crew_hours", "overtime_hours")


def findings(sc, dec: dict, log: list[dict], result) -> list[dict]:
    """Decision mistakes in a scored run (codes in FINDINGS).

    A decision is called a mistake only when the outcome confirms it: too few counters or
    crews (against a queueing rule of thumb for the hour's demand) when a service target was
    clearly missed, too many when a cost target was; a zone left without crews under
    zone-dedicated dispatch, or manual dispatch with few crews sent, always."""
    out: list[dict] = []
    missed = [b["kpi"] for b in result.score_breakdown if b["met"] is False]
    for kpi in missed:
        out.append({"code": "missed_target", "kpi": kpi})
    # Missed clearly (more than a tenth of the way to no points), not by a hair.
    clearly = [b["kpi"] for b in result.score_breakdown
               if b["points"] is not None and b["points"] < 90]
    service_missed = any(k in SERVICE_KPIS or k.startswith(SERVICE_PREFIXES) for k in clearly)
    cost_missed = any(k in clearly for k in COST_KPIS)
    if sc.kind == "service_counter":
        needed = _needed_counters(sc, dec)
        plan = dec.get("counters_open", {})
        opened = [sum(v[h] for v in plan.values()) for h in range(sc.hours)]
        rates = sc.arrivals.hourly_rates(sc.hours)
        peak = max(range(sc.hours), key=lambda h: rates[h])
        if service_missed and opened[peak] < needed[peak]:
            out.append({"code": "understaffed_peak", "hour": clock(sc.start_clock, 60 * peak),
                        "open": opened[peak], "needed": needed[peak],
                        "max": sum(g.limit for g in sc.counters)})
        short = [h for h in range(sc.hours) if h != peak and opened[h] < needed[h]]
        if service_missed and short:
            out.append({"code": "understaffed_hours", "hours": [
                clock(sc.start_clock, 60 * h) for h in short]})
        extra = [h for h in range(sc.hours) if opened[h] >= needed[h] + 2]
        if cost_missed and extra:
            out.append({"code": "overstaffed_quiet", "hours": [
                clock(sc.start_clock, 60 * h) for h in extra],
                "counter_hours": sum(opened[h] - needed[h] for h in extra)})
        if "kiosk_share" in allowed(sc) and service_missed and \
                (dec.get("kiosk_share") or 0) < sc.kiosks.share_limit - 1e-9:
            out.append({"code": "kiosks_unused"})
        if "diversion_campaign" in allowed(sc) and missed and not dec.get("diversion_campaign"):
            out.append({"code": "campaign_unused"})
    else:
        crews = sum(dec.get("crews_on_shift", {}).values())
        normal = _crew_load(sc, storm=False)
        top = sum(g.limit for g in sc.crews)
        if service_missed and crews < math.ceil(normal / 0.8 - 1e-9):
            out.append({"code": "too_few_crews", "crews": crews,
                        "needed": math.ceil(normal / 0.8 - 1e-9), "max": top})
        if sc.storm is not None and service_missed:
            stormy = _crew_load(sc, storm=True)
            standby = dec.get("surge_extra_crews", 0) or 0
            if crews + standby < math.ceil(stormy / 0.9 - 1e-9):
                most = top + (sc.storm.standby.max_crews if sc.storm.standby else 0)
                out.append({"code": "storm_understaffed", "crews": crews + standby,
                            "needed": math.ceil(stormy / 0.9 - 1e-9), "max": most})
        if dec.get("dispatch_policy") == "zone_dedicated":
            based: Counter[str] = Counter()
            for g in sc.crews:
                based[g.base] += dec.get("crews_on_shift", {}).get(g.id, 0)
            bare = [z.id for z in sc.zones if based[z.id] == 0]
            if bare:
                out.append({"code": "zone_uncovered", "zones": bare})
        if dec.get("dispatch_policy") == "manual" or any(
                e["action"] == "set_policy" and e["policy"] == "manual" for e in log):
            sent = sum(1 for e in log if e["action"] == "assign")
            tickets = (result.kpis.get("tickets").mean or 0) if "tickets" in result.kpis else 0
            if tickets and sent < 0.5 * tickets:
                out.append({"code": "manual_idle", "sent": sent, "tickets": round(tickets)})
        util = result.kpis.get("crew_utilization")
        if util is not None and util.mean is not None and util.mean < 0.3 and cost_missed:
            out.append({"code": "idle_crews", "utilization": util.mean})
    return out


def describe_finding(f: dict, info: dict | None = None) -> str:
    code = str(f.get("code"))  # stored findings always have one (else it reads "None")
    if code == "missed_target":
        label = pick((info or {}).get(f["kpi"], {}).get("label")) or f["kpi"]
        return str(_l("Missed target: %(k)s", k=label))
    base = str(FINDINGS.get(code, code))
    if code == "understaffed_peak":
        text = base + " " + str(_l("(%(h)s: %(o)d open, about %(n)d needed)", h=f["hour"],
                                   o=f["open"], n=f["needed"]))
        if f.get("max") is not None and f["needed"] > f["max"]:
            text += " " + str(_l("— more than can open (%(m)d): move demand to kiosks or "
                                 "online too.", m=f["max"]))
        return text
    if code in ("understaffed_hours", "overstaffed_quiet"):
        return base + " (" + ", ".join(f["hours"]) + ")"
    if code in ("too_few_crews", "storm_understaffed"):
        text = base + " " + str(_l("(%(c)d on shift, about %(n)d needed)", c=f["crews"],
                                   n=f["needed"]))
        if f.get("max") is not None and f["needed"] > f["max"]:
            text += " " + str(_l("— more than can be on duty (%(m)d): a backlog is unavoidable, "
                                 "so send the urgent tickets first.", m=f["max"]))
        return text
    if code == "zone_uncovered":
        return base + " (" + ", ".join(f["zones"]) + ")"
    if code == "manual_idle":
        return base + " " + str(_l("(%(s)d sent for about %(t)d tickets)", s=f["sent"],
                                   t=f["tickets"]))
    return base


ADVICE = {
    "add_counters": _l("Open more counters in the hours where demand outgrew them"),
    "remove_counters": _l("Close the counters that demand did not need"),
    "match": _l("Staff each hour to its demand"),
    "pool_counters": _l("Let every counter serve every service type"),
    "more_kiosk_guidance": _l("Guide more paying customers to the kiosks"),
    "campaign_on": _l("Run the online-channel campaign"),
    "campaign_off": _l("Do without the online-channel campaign (it costs a lobby guide)"),
    "add_crew": _l("One more crew on shift"),
    "remove_crew": _l("One crew fewer on shift"),
    "crews_to_load": _l("Size each depot's crews to its zone's ticket load"),
    "more_standby": _l("Call in more standby crews"),
    "fewer_standby": _l("Call in fewer standby crews"),
    "policy": _l("Change the dispatch policy"),
}


def describe_advice(a: dict, sc) -> str:
    """One suggestion in words, with where it applies and what it would have scored."""
    text = str(ADVICE.get(a.get("code", ""), a.get("code", "")))
    detail = ""
    if a.get("hours"):
        detail = ", ".join(clock(sc.start_clock, 60 * h) for h in a["hours"])
    elif a.get("group"):
        g = next((x for x in getattr(sc, "crews", []) if x.id == a["group"]), None)
        detail = pick(g.name.model_dump()) if g is not None and g.name else a["group"]
    elif a.get("policy"):
        zh, en = POLICY_LABELS[a["policy"]]
        detail = pick({"zh": zh, "en": en})
    elif a.get("count") is not None:
        detail = str(a["count"])
    if detail:
        text += f" ({detail})"
    return text + " — " + str(_l("would have scored %(s).1f instead of %(b).1f on the same "
                                 "%(n)d days", s=a["score"], b=a["from"], n=a["days"]))
