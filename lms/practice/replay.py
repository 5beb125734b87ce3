"""Looking at a run as it went: the step-through page's view of the shift, the log in words,
and the replay for debriefing (the state at each decision moment, rebuilt from seed and log)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from lms.core.errors import ServiceError
from lms.practice.models import SimulationRun
from lms.practice.runs import load_session, manual_dispatch, next_stop
from lms.practice.scenarios import engine
from lms.practice.situation import hourly_dispatch
from lms.practice.wording import clock, name_of, num, pick
from simulations import DecisionError, Session
from simulations.catalogue import POLICY_LABELS

STATE_ROWS = 40  # waiting customers / tickets listed on a step page


@dataclass
class StepView:
    run: SimulationRun
    state: dict
    actions: list[str]
    next_clock: str
    manual: bool
    log: list[dict]
    upcoming: float | None = None  # expected arrivals in the coming hour


def _upcoming(sc, now_min: float) -> float | None:
    h = int(now_min // 60)
    if h >= sc.hours:
        return None
    if sc.kind == "service_counter":
        return sc.arrivals.hourly_rates(sc.hours)[h]
    return sum(hourly_dispatch(sc, z)[h] for z in sc.zones)


def step_view(run: SimulationRun) -> StepView:
    session = load_session(run)
    sc = session.scenario
    ok = [a["action"] for a in session.actions()]
    return StepView(run=run, state=session.state(limit=STATE_ROWS), actions=ok,
                    next_clock=clock(sc.start_clock, next_stop(session)),
                    manual=manual_dispatch(session), log=log_rows(sc, run.log),
                    upcoming=_upcoming(sc, session.now))


def log_rows(sc, log: list[dict]) -> list[dict]:
    return [{"clock": clock(sc.start_clock, e["at_min"]), "at_min": e["at_min"],
             "text": describe_action(sc, e)} for e in log]


def describe_action(sc, entry: dict) -> str:
    a = entry["action"]
    if a == "set_open":
        return str(_l("%(g)s: %(n)d counters open from now on",
                      g=_group_name(sc.counters, entry["group"]), n=entry["count"]))
    if a == "set_serves":
        types = {t.id: name_of(t, t.id) for t in sc.service_types}
        return str(_l("%(g)s now serve: %(t)s", g=_group_name(sc.counters, entry["group"]),
                      t=", ".join(types.get(t, t) for t in entry["types"])))
    if a == "set_kiosk_share":
        return str(_l("Kiosk guidance set to %(p)s%%", p=num(100 * entry['share'])))
    if a == "set_campaign":
        return str(_l("Online campaign started")) if entry["on"] else \
            str(_l("Online campaign stopped"))
    if a == "set_crews":
        return str(_l("%(g)s: %(n)d crews on the roster from now on",
                      g=_group_name(sc.crews, entry["group"]), n=entry["count"]))
    if a == "set_policy":
        label = POLICY_LABELS.get(entry["policy"], (entry["policy"],) * 2)
        return str(_l("Dispatch policy: %(p)s", p=pick({"zh": label[0], "en": label[1]})))
    if a == "set_standby":
        return str(_l("%(n)d standby crews called in", n=entry["count"]))
    if a == "assign":
        return str(_l("Crew %(c)s sent to ticket %(t)s", c=entry["crew"], t=entry["ticket"]))
    return a


def _group_name(groups, gid: str) -> str:
    g = next((x for x in groups if x.id == gid), None)
    return name_of(g, gid) if g is not None else gid


@dataclass
class ReplayView:
    run: SimulationRun
    points: list[dict]  # [{"index", "clock", "at_min", "actions": [text]}]
    index: int
    state: dict
    taken: list[str]
    identical: bool | None


def replay_points(sc, log: list[dict]) -> list[float]:
    times = {60.0 * h for h in range(sc.hours)} | {float(e["at_min"]) for e in log} | \
        {float(sc.horizon_min)}
    return sorted(t for t in times if t <= sc.horizon_min)


def replay(run: SimulationRun, index: int = 0, verify: bool = False) -> ReplayView:
    """The state of the shift at one decision moment, rebuilt from seed and log: for a
    step-through run each moment a decision was taken and every full hour; for a whole-day
    run every hour (first replication)."""
    sc = engine(run.scenario_yaml)
    log = run.log or []
    times = replay_points(sc, log)
    index = max(0, min(index, len(times) - 1))
    at = times[index]
    try:
        session = Session(sc, run.decisions or None, run.seed)
        for entry in log:
            if entry["at_min"] >= at:
                break
            params = {k: v for k, v in entry.items() if k not in ("at_min", "action")}
            session.run_until(entry["at_min"])
            session.apply(entry["action"], **params)
        session.run_until(at)
    except DecisionError as e:
        raise ServiceError(_l("This run cannot be rebuilt (%(e)s).", e=str(e))) from None
    by_time: dict[float, list[str]] = {}
    for entry in log:
        by_time.setdefault(float(entry["at_min"]), []).append(describe_action(sc, entry))
    points = [{"index": i, "clock": clock(sc.start_clock, t), "at_min": t,
               "actions": by_time.get(t, [])} for i, t in enumerate(times)]
    identical = None
    if verify and run.status == "finished" and run.interactive:
        again = Session.replay(sc, log, run.decisions or None, run.seed).finish()
        identical = (again.score == run.score and
                     {n: k.mean for n, k in again.kpis.items()} == run.kpis)
    return ReplayView(run=run, points=points, index=index, state=session.state(STATE_ROWS),
                      taken=by_time.get(at, []), identical=identical)
