"""The names of the decisions each kind of scenario offers, their labels, and which of them
a scenario allows. Scenario validation uses this (``check_allowed``) and so does the
decision parsing in ``decisions.py``; it imports neither, so the two stay acyclic."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import ScenarioError

if TYPE_CHECKING:
    from .scenario import Scenario, ScenarioBase

# name: (zh, en)
LABELS: dict[str, tuple[str, str]] = {
    "counters_open": ("各时段开放窗口数", "Counters open per hour"),
    "counter_serves": ("窗口业务分工", "Counter specialisation"),
    "kiosk_share": ("引导至自助终端的比例", "Share guided to self-service kiosks"),
    "diversion_campaign": ("线上渠道引导活动", "Online-channel diversion campaign"),
    "crews_on_shift": ("在岗抢修队数", "Crews on shift"),
    "dispatch_policy": ("派单策略", "Dispatch policy"),
    "surge_extra_crews": ("灾害期间增派支援队", "Standby crews called in for the storm"),
    "assignments": ("人工派单", "Manual assignments"),
}
POLICY_LABELS = {
    "nearest": ("就近派单", "Nearest available crew"),
    "priority_first": ("优先级优先", "Priority first"),
    "zone_dedicated": ("分片区专责", "Zone-dedicated crews"),
    "manual": ("人工派单", "Manual (dispatcher assigns)"),
}
KIND_DECISIONS: dict[str, tuple[str, ...]] = {
    "service_counter": ("counters_open", "counter_serves", "kiosk_share", "diversion_campaign"),
    "dispatch": ("crews_on_shift", "dispatch_policy", "surge_extra_crews", "assignments"),
}
DEFAULT_ALLOWED: dict[str, tuple[str, ...]] = {
    "service_counter": ("counters_open",),
    "dispatch": ("crews_on_shift", "dispatch_policy"),
}
#: Step-through actions and the decision that must be allowed for each.
ACTIONS = {
    "service_counter": {
        "set_open": "counters_open",
        "set_serves": "counter_serves",
        "set_kiosk_share": "kiosk_share",
        "set_campaign": "diversion_campaign",
    },
    "dispatch": {
        "set_crews": "crews_on_shift",
        "set_policy": "dispatch_policy",
        "set_standby": "surge_extra_crews",
        "assign": "assignments",
    },
}


def allowed(sc: ScenarioBase) -> tuple[str, ...]:
    """The decisions the trainee may change in this scenario."""
    if sc.decisions.allow is None:
        return DEFAULT_ALLOWED[sc.kind]
    return tuple(sc.decisions.allow)


def check_allowed(sc: Scenario) -> None:
    """Scenario-time check that ``decisions.allow`` names decisions this world can offer."""
    names = KIND_DECISIONS[sc.kind]
    for i, name in enumerate(allowed(sc)):
        path = f"decisions.allow[{i}]"
        if name not in names:
            raise ScenarioError(path, f"unknown decision {name} (known: {', '.join(names)})")
        need = _requirement(sc, name)
        if need:
            raise ScenarioError(path, f"{name} needs {need}")


def _requirement(sc: Scenario, name: str) -> str | None:
    # ``name`` is one of KIND_DECISIONS[sc.kind], so only that kind's fields matter.
    if sc.kind == "service_counter":
        if name == "kiosk_share" and sc.kiosks is None:
            return "kiosks in the scenario"
        if name == "diversion_campaign" and (sc.online is None or sc.online.campaign is None):
            return "online.campaign in the scenario"
    else:
        if name == "surge_extra_crews" and (sc.storm is None or sc.storm.standby is None):
            return "storm.standby in the scenario"
        if name == "assignments" and sc.policy != "manual" and "dispatch_policy" not in allowed(sc):
            return "policy manual or the dispatch_policy decision"
    return None
