"""Presentation helpers shared by the learner's and the trainer's practice pages: number
formatting and chart specs (read by static/js/practice.js) with their table alternatives."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from lms.practice.wording import clock, num, pick

UNIT_LABELS = {"min": "min", "h": "h"}


# --- formatting for the pages (presentation only) ----------------------------------------

def fmt(value, unit: str, precise: bool = True) -> str:
    if value is None:
        return "—"
    if unit == "share":
        return f"{100 * value:.1f}%"
    if unit in ("min", "h"):
        return f"{value:.1f} {UNIT_LABELS[unit]}"
    if unit in ("customers", "tickets"):
        return f"{value:.1f}" if precise and value != int(value) else f"{value:.0f}"
    return f"{value:.1f}"


def fmt_ci(ci, unit: str) -> str:
    if not ci:
        return "—"
    return f"{fmt(ci[0], unit)} – {fmt(ci[1], unit)}"


def fmt_goal(row: dict, unit: str) -> str:
    op = "≤" if "max" in row["target"] else "≥"
    value = row["target"].get("max", row["target"].get("min"))
    return f"{op} {fmt(value, unit, precise=False)}"


def kpi_rows(result: dict) -> list[dict]:
    info = result["kpi_info"]
    rows = []
    for name, k in result["kpis"].items():
        meta = info.get(name, {"label": {"zh": name, "en": name}, "unit": ""})
        rows.append({"name": name, "label": pick(meta["label"]), "unit": meta["unit"],
                     "mean": fmt(k["mean"], meta["unit"]), "ci": fmt_ci(k["ci95"], meta["unit"]),
                     "better": meta.get("better")})
    return rows


def breakdown(result: dict) -> list[dict]:
    info = result["kpi_info"]
    rows = []
    for b in result["score_breakdown"]:
        name = b.get("scored_on", b["kpi"])  # the version of the KPI that counts everyone
        meta = info.get(name, {"label": {"zh": name, "en": name}, "unit": ""})
        label = pick(meta["label"])
        if b.get("budget"):
            label = _("Budget: %(k)s", k=label)
        elif b.get("no_data") == "not_applicable" and b["value"] is None:
            label += " · " + _("not applicable (no data)")
        elif b["value"] is None:
            label += " · " + _("no data: counted as missed")
        rows.append({"label": label, "goal": fmt_goal(b, meta["unit"]),
                     "value": fmt(b["value"], meta["unit"]), "met": b["met"],
                     "points": b["points"], "weight": b["weight"],
                     "zero_at": fmt(b["zero_at"], meta["unit"], precise=False)})
    return rows


def _line(label: str, data: list, axis: str = "y", dashed: bool = False,
          step: bool = False) -> dict[str, Any]:
    d: dict[str, Any] = {"label": label,
                         "data": [None if v is None else round(v, 3) for v in data],
                         "yAxisID": axis}
    if dashed:
        d["borderDash"] = [6, 4]
    if step:
        d["stepped"] = True
    return d


def _scales(y: str, y2: str | None = None, x: str | None = None,
            stacked: bool = False) -> dict[str, dict[str, Any]]:
    scales: dict[str, dict[str, Any]] = {
        "y": {"beginAtZero": True, "title": {"display": True, "text": y}, "stacked": stacked},
        "x": {"stacked": stacked}}
    if x:
        scales["x"]["title"] = {"display": True, "text": x}
    if y2:
        scales["y2"] = {"beginAtZero": True, "position": "right",
                        "grid": {"drawOnChartArea": False},
                        "title": {"display": True, "text": y2}}
    return scales


def charts(result: dict, start_label: str, zone_names: dict | None = None) -> list[dict]:
    """Chart specs (Chart.js, read by static/js/practice.js) with their table alternatives."""
    s = result["series"]
    labels = s["clock"]
    charts = []
    if result["kind"] == "service_counter":
        charts.append({
            "id": "queue", "title": _("Queue length and counters over the day"),
            "spec": {"type": "line", "labels": labels, "datasets": [
                _line(_("Customers waiting"), s["queue_len"]),
                _line(_("Counters busy"), s["busy_counters"], "y2"),
                _line(_("Counters open"), s["open_counters"], "y2", dashed=True)],
                "scales": _scales(_("Customers waiting"), _("Counters"))},
            "columns": [_("Time"), _("Customers waiting"), _("Counters busy"),
                        _("Counters open"), _("Arrivals"), _("Mean wait (min)")],
            "rows": [[labels[i], fmt(s["queue_len"][i], ""), fmt(s["busy_counters"][i], ""),
                      fmt(s["open_counters"][i], ""), fmt(s["arrivals"][i], ""),
                      fmt(s["mean_wait_min"][i], "")] for i in range(len(labels))]})
        return charts
    charts.append({
        "id": "backlog", "title": _("Backlog over the day"),
        "spec": {"type": "line", "labels": labels, "datasets": [
            _line(_("Tickets waiting for a crew"), s["waiting_tickets"]),
            _line(_("Tickets not yet repaired"), s["open_tickets"], dashed=True)],
            "scales": _scales(_("Tickets"))},
        "columns": [_("Time"), _("Tickets waiting for a crew"), _("Tickets not yet repaired"),
                    _("New tickets")],
        "rows": [[labels[i], fmt(s["waiting_tickets"][i], ""), fmt(s["open_tickets"][i], ""),
                  fmt(s["arrivals"][i], "")] for i in range(len(labels))]})
    charts.append({
        "id": "crews", "title": _("Crews busy over the day"),
        "spec": {"type": "line", "labels": labels, "datasets": [
            _line(_("Crews busy"), s["busy_crews"]),
            _line(_("Crews on duty"), s["crews_on_duty"], dashed=True)],
            "scales": _scales(_("Crews"))},
        "columns": [_("Time"), _("Crews busy"), _("Crews on duty")],
        "rows": [[labels[i], fmt(s["busy_crews"][i], ""), fmt(s["crews_on_duty"][i], "")]
                 for i in range(len(labels))]})
    tickets = result.get("tickets")
    if tickets is not None:
        zones = result.get("zones", {})
        zname = (zone_names or {}).get
        horizon_h = (s["t_min"][-1] + s["interval_min"]) / 60.0 if s["t_min"] else 24
        datasets = []
        for z in zones:
            pts = [{"x": round(t["created"] / 60.0, 3), "y": round(t["arrival"], 1)}
                   for t in tickets if t["zone"] == z and t["arrival"] is not None]
            datasets.append({"type": "scatter", "label": _("Arrival time, %(z)s", z=zname(z, z)),
                             "data": pts})
        for z, meta in zones.items():
            c = meta["commitment_min"]
            label = _("Commitment, %(z)s (%(m)s min)", z=zname(z, z), m=num(c))
            datasets.append({"type": "line", "label": label,
                             "data": [{"x": 0, "y": c}, {"x": round(horizon_h, 3), "y": c}],
                             "borderDash": [6, 4], "pointRadius": 0})
        rows = []
        for z, meta in zones.items():
            mine = [t for t in tickets if t["zone"] == z]
            reached = [t for t in mine if t["arrival"] is not None]
            within = sum(1 for t in reached if t["within"])
            mean = sum(t["arrival"] for t in reached) / len(reached) if reached else None
            rows.append([zname(z, z), str(len(mine)), str(len(reached)), fmt(mean, "min"),
                         f"{meta['commitment_min']:g} min",
                         fmt(within / len(reached), "share") if reached else "—"])
        charts.append({
            "id": "arrivals", "title": _("Arrival times against the commitment"),
            "note": _("Each point is a ticket of the first replication: when it came in "
                      "(hours after %(s)s) and how long the crew took to arrive.", s=start_label),
            "spec": {"type": "scatter", "datasets": datasets,
                     "scales": {"x": {"type": "linear", "min": 0, "max": round(horizon_h, 3),
                                      "title": {
                         "display": True, "text": _("Hours after %(s)s", s=start_label)}},
                                "y": {"beginAtZero": True, "title": {
                                    "display": True, "text": _("Minutes to arrive")}}}},
            "columns": [_("Zone"), _("Tickets"), _("Reached"), _("Mean time to arrive"),
                        _("Commitment"), _("Within commitment")],
            "rows": rows,
            "details": [[t["id"], zname(t["zone"], t["zone"]), t["priority"],
                         clock(start_label, t["created"]),
                         fmt(t["arrival"], "min"), t["crew"] or "—",
                         (_("yes") if t["within"] else _("no")) if t["within"] is not None
                         else "—"] for t in tickets],
            "detail_columns": [_("Ticket"), _("Zone"), _("Priority"), _("Reported"),
                               _("Time to arrive"), _("Crew"), _("Within commitment")]})
    return charts


def demand_chart(sit) -> dict:
    stacked = sit.kind == "dispatch"
    return {"type": "bar", "labels": sit.hour_labels,
            "datasets": [{"label": d["label"], "data": [round(v, 2) for v in d["values"]],
                          "stack": "demand" if stacked else None} for d in sit.demand],
            "scales": _scales(_("Customers per hour") if sit.kind == "service_counter"
                              else _("Tickets per hour (expected)"), stacked=stacked)}



def zone_names(sc) -> dict:
    return {z.id: pick(z.name.model_dump()) if z.name else z.id
            for z in getattr(sc, "zones", []) or []}


def names(sc) -> dict:
    """Display names of counter groups, crew groups, service types, zones and priorities."""
    out = {}
    for attr in ("counters", "crews", "service_types", "zones", "priorities"):
        for obj in getattr(sc, attr, []) or []:
            out[(attr, obj.id)] = pick(obj.name.model_dump()) if obj.name else obj.id
    return out
