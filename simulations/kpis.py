"""The KPIs each kind of scenario reports: names, labels, units and which way is better.

The names are part of the public JSON (``kpis`` in a result, ``targets`` in a scenario).
"""

from __future__ import annotations

# name: (zh label, en label, unit, better) -- better is "lower", "higher" or None
SERVICE_COUNTER: dict[str, tuple[str, str, str, str | None]] = {
    "mean_wait_min": ("平均等候时间", "Mean wait", "min", "lower"),
    "p90_wait_min": ("90%客户等候不超过", "90th percentile wait", "min", "lower"),
    "mean_wait_all_min": (
        "平均等候时间（含离队未办客户）",
        "Mean wait, everyone (walk-outs count as misses)",
        "min",
        "lower",
    ),
    "p90_wait_all_min": (
        "90%客户等候不超过（含离队未办客户）",
        "90th percentile wait, everyone",
        "min",
        "lower",
    ),
    "prob_wait": ("需要排队的客户比例", "Share who had to wait", "share", "lower"),
    "service_level": ("目标时间内受理比例", "Served within target wait", "share", "higher"),
    "abandon_rate": ("离队放弃率", "Abandonment rate", "share", "lower"),
    "balk_rate": ("满员未入队比例", "Turned away (hall full)", "share", "lower"),
    "utilization": ("窗口利用率", "Counter utilisation", "share", None),
    "served": ("受理客户数", "Customers served", "customers", "higher"),
    "arrivals": ("到厅客户数", "Customers arrived", "customers", None),
    "unserved_at_close": ("闭厅时仍未受理", "Still waiting at closing", "customers", "lower"),
    "mean_queue": ("平均排队人数", "Mean queue length", "customers", "lower"),
    "staff_hours": ("人员工时", "Staff hours", "h", "lower"),
    "satisfaction": ("满意度指数", "Satisfaction index", "0-100", "higher"),
    "kiosk_share": ("自助终端分流比例", "Share using kiosks", "share", None),
    "diverted_share": ("线上渠道分流比例", "Share handled online", "share", None),
}

SERVICE_COUNTER_PRIORITY: dict[str, tuple[str, str, str, str | None]] = {
    "mean_wait_priority_min": ("优先客户平均等候", "Mean wait, priority customers", "min", "lower"),
    "mean_wait_regular_min": ("普通客户平均等候", "Mean wait, regular customers", "min", "lower"),
    "mean_wait_priority_all_min": (
        "优先客户平均等候（含离队）",
        "Mean wait, priority customers, everyone",
        "min",
        "lower",
    ),
    "mean_wait_regular_all_min": (
        "普通客户平均等候（含离队）",
        "Mean wait, regular customers, everyone",
        "min",
        "lower",
    ),
}

DISPATCH: dict[str, tuple[str, str, str, str | None]] = {
    "sla_compliance": ("按承诺时限到达率", "Arrived within commitment", "share", "higher"),
    "mean_arrival_min": ("平均到达现场时间", "Mean time to arrive", "min", "lower"),
    "p90_arrival_min": ("90%工单到达不超过", "90th percentile time to arrive", "min", "lower"),
    "mean_arrival_all_min": (
        "平均到达时间（含未到达工单）",
        "Mean time to arrive, every ticket (never reached: censored at the end)",
        "min",
        "lower",
    ),
    "p90_arrival_all_min": (
        "90%工单到达不超过（含未到达工单）",
        "90th percentile time to arrive, every ticket",
        "min",
        "lower",
    ),
    "unreached": ("结束时仍未到达的工单", "Tickets never reached", "tickets", "lower"),
    "mean_restore_min": ("平均恢复时间", "Mean time to restore", "min", "lower"),
    "crew_utilization": ("抢修队利用率", "Crew utilisation", "share", None),
    "backlog_end": ("结束时未完成工单", "Open tickets at end", "tickets", "lower"),
    "tickets": ("工单数", "Tickets", "tickets", None),
    "crew_hours": ("抢修队在岗工时", "Crew hours on shift", "h", "lower"),
    "overtime_hours": ("加班工时", "Overtime hours", "h", "lower"),
}

DISPATCH_PER_ZONE: dict[str, tuple[str, str, str, str | None]] = {
    "sla_compliance": ("按承诺时限到达率", "Arrived within commitment", "share", "higher"),
    "mean_arrival_min": ("平均到达现场时间", "Mean time to arrive", "min", "lower"),
    "mean_arrival_all_min": (
        "平均到达时间（含未到达）",
        "Mean time to arrive, every ticket",
        "min",
        "lower",
    ),
}

# A target on the KPI on the left is scored on the one on the right, which counts everyone
# (served-only waits stay as KPIs: they are what queueing theory validates).
SCORED_AS = {
    "mean_wait_min": "mean_wait_all_min",
    "p90_wait_min": "p90_wait_all_min",
    "mean_wait_priority_min": "mean_wait_priority_all_min",
    "mean_wait_regular_min": "mean_wait_regular_all_min",
    "mean_arrival_min": "mean_arrival_all_min",
    "p90_arrival_min": "p90_arrival_all_min",
}


def scored_as(name: str) -> str:
    """The KPI a target named ``name`` is scored on (per-zone names included)."""
    if name in SCORED_AS:
        return SCORED_AS[name]
    if name.startswith("mean_arrival_min_"):
        return "mean_arrival_all_min_" + name.removeprefix("mean_arrival_min_")
    return name


def kpi_info(kind: str, zones: list[str] | None = None, priority: bool = False) -> dict[str, dict]:
    """Labels, units and direction of every KPI a scenario of this shape reports, in order."""
    if kind == "service_counter":
        table = dict(SERVICE_COUNTER)
        if priority:
            table.update(SERVICE_COUNTER_PRIORITY)
    else:
        table = dict(DISPATCH)
        for zone in zones or []:
            for name, (zh, en, unit, better) in DISPATCH_PER_ZONE.items():
                table[f"{name}_{zone}"] = (f"{zh}（{zone}）", f"{en} ({zone})", unit, better)
    return {
        name: {"label": {"zh": zh, "en": en}, "unit": unit, "better": better}
        for name, (zh, en, unit, better) in table.items()
    }
