"""Running scenarios: whole runs with replications, and a step-through session.

``run(scenario, decisions, seed, replications)`` is what the CLI and batch scoring use.
``Session`` lets a trainee pause the clock, look at the queues, counters, crews and tickets,
act (open a counter, assign a crew) and continue. A session is reproducible from
scenario + decisions + seed + its action log (``Session.replay``), and ``run`` is built on
it, so both paths give the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .catalogue import ACTIONS, allowed
from .decisions import Decisions, validate_decisions
from .dispatch import DispatchModel
from .errors import DecisionError
from .result import Result, clock
from .scenario import MAX_REPLICATIONS, MAX_RUN_ENTITIES, Scenario, load_scenario
from .service_counter import ServiceCounterModel
from .stats import mean_ci

MODELS = {"service_counter": ServiceCounterModel, "dispatch": DispatchModel}
MAX_SEED = 2**63 - 1

ACTION_PARAMS = {
    "set_open": {"group": "counter group id", "count": "counters open from now on"},
    "set_serves": {"group": "counter group id", "types": "service types served"},
    "set_kiosk_share": {"share": "share of eligible customers guided to kiosks"},
    "set_campaign": {"on": "true or false"},
    "set_crews": {"group": "crew group id", "count": "crews on the roster from now on"},
    "set_policy": {"policy": "nearest, priority_first, zone_dedicated or manual"},
    "set_standby": {"count": "standby crews called in (they arrive after mobilisation)"},
    "assign": {"ticket": "waiting ticket id", "crew": "idle crew id"},
}


def check_seed(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise DecisionError("seed", f"must be a whole number between 0 and {MAX_SEED}")
    return seed


def check_replications(sc: Scenario, replications: Any) -> int:
    if isinstance(replications, bool) or not isinstance(replications, int):
        raise DecisionError("replications", "must be a whole number")
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise DecisionError("replications", f"must be between 1 and {MAX_REPLICATIONS}")
    expected = sc.expected_entities() * replications
    if expected > MAX_RUN_ENTITIES:
        most = max(1, int(MAX_RUN_ENTITIES // max(sc.expected_entities(), 1)))
        raise DecisionError(
            "replications",
            f"about {expected:.0f} arrivals in all; at most {MAX_RUN_ENTITIES} per run "
            f"(use at most {most} replications)",
        )
    return replications


class Session:
    """One replication that can be advanced step by step and acted upon.

    >>> s = Session(load_scenario("simulations/scenarios/month_end_payment_peak.yaml"), seed=7)
    >>> s.run_until(90)
    >>> s.state()["queue_len"]  # doctest: +SKIP
    >>> s.apply("set_open", group="payment", count=5)
    >>> result = s.finish()
    """

    def __init__(
        self,
        scenario: Any,
        decisions: Mapping | Decisions | None = None,
        seed: int = 0,
        replication: int = 0,
    ):
        self.scenario = load_scenario(scenario)
        self.decisions = validate_decisions(self.scenario, decisions)
        self.seed = check_seed(seed)
        self.replication = replication
        self.model = MODELS[self.scenario.kind](
            self.scenario, self.decisions, self.seed, replication
        )
        self.log: list[dict] = []
        self.rejected: list[dict] = []
        self.finished = False

    @property
    def now(self) -> float:
        return self.model.env.now

    @property
    def horizon(self) -> float:
        return self.scenario.horizon_min

    def run_until(self, t: float) -> None:
        """Advance the clock to ``t`` minutes; events at exactly ``t`` have not happened yet."""
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t):
            raise DecisionError("t", "must be a number of minutes")
        if self.finished:
            raise DecisionError("t", "the session has finished")
        if t > self.horizon:
            raise DecisionError("t", f"must be <= the horizon ({self.horizon:g} min)")
        if t < self.now:
            raise DecisionError("t", f"must be >= the current time ({self.now:g} min)")
        if t > self.now:
            env = self.model.env
            env.run(until=_exact_until(env.now, float(t)))

    def actions(self) -> list[dict]:
        """The actions the trainee may take in this scenario, with their parameters."""
        ok = allowed(self.scenario)
        return [
            {"action": action, "decision": decision, "params": ACTION_PARAMS[action]}
            for action, decision in ACTIONS[self.scenario.kind].items()
            if decision in ok
        ]

    def apply(self, action: str, strict: bool = True, **params: Any) -> bool:
        """Take an action now. Invalid actions raise DecisionError (or, with ``strict=False``,
        are recorded in ``rejected`` and skipped). Returns whether the action was applied."""
        try:
            self._check_action(action)
            self.model.apply(action, params)
        except DecisionError as exc:
            if strict:
                raise
            self.rejected.append(
                {"at_min": self.now, "action": action, **params, "reason": exc.message}
            )
            return False
        self.log.append({"at_min": self.now, "action": action, **params})
        return True

    def _check_action(self, action: str) -> None:
        actions = ACTIONS[self.scenario.kind]
        if not isinstance(action, str) or action not in actions:  # a replayed log may hold []
            raise DecisionError("action", f"unknown action {action} (known: {', '.join(actions)})")
        if actions[action] not in allowed(self.scenario):
            raise DecisionError("action", f"{action} is not allowed in this scenario")
        if self.finished or self.now > self.horizon or self.model.phase != "open":
            raise DecisionError("action", "the scenario has ended")

    def state(self, limit: int = 200) -> dict:
        """What the trainee sees now: queues, counters or crews, waiting customers or tickets."""
        return {
            "time_min": self.now,
            "clock": clock(self.scenario.start_clock, self.now),
            "horizon_min": self.horizon,
            **self.model.state(limit),
        }

    def output(self, records: bool = False) -> dict:
        if not self.finished:
            self.model.finish()
            self.finished = True
        return self.model.output(records)

    def finish(self, records: bool = False) -> Result:
        """Run to the end and return the result of this one replication."""
        out = self.output(records)
        return Result.build(self.scenario, self.decisions, self.seed, [out], self.rejected)

    @classmethod
    def replay(
        cls,
        scenario: Any,
        log: list[dict],
        decisions: Mapping | Decisions | None = None,
        seed: int = 0,
        replication: int = 0,
    ) -> Session:
        """Rebuild a session from its action log (as stored with a practice run)."""
        session = cls(scenario, decisions, seed, replication)
        for i, entry in enumerate(log):
            if not isinstance(entry, Mapping) or "at_min" not in entry or "action" not in entry:
                raise DecisionError(f"log[{i}]", "must be a mapping with at_min and action")
            params = {k: v for k, v in entry.items() if k not in ("at_min", "action")}
            session.run_until(entry["at_min"])
            session.apply(entry["action"], **params)
        return session


def _exact_until(now: float, t: float) -> float:
    """The ``until`` that makes SimPy (which computes ``now + (until - now)``) stop exactly at t."""
    at = t
    for _ in range(4):
        got = now + (at - now)
        if got == t:
            return at
        at = math.nextafter(at, math.inf if got < t else -math.inf)
    return t


def run(
    scenario: Any,
    decisions: Mapping | Decisions | None = None,
    seed: int = 0,
    replications: int = 1,
    *,
    records: bool = False,
) -> Result:
    """Run a scenario with the trainee's decisions; KPIs are averaged over replications.

    Replication ``i`` draws from streams seeded by ``(seed, i)``, so the same seed gives the
    same customers or tickets whatever the decisions (common random numbers).
    ``records=True`` adds one record per customer or ticket of the first replication.
    """
    sc = load_scenario(scenario)
    dec = validate_decisions(sc, decisions)
    seed = check_seed(seed)
    replications = check_replications(sc, replications)
    if dec.timed_actions and replications > 1:
        raise DecisionError("assignments", "manual assignments need replications = 1")
    outputs = []
    rejected: list[dict] = []
    for rep in range(replications):
        session = Session(sc, dec, seed, rep)
        for action in dec.timed_actions:
            params = {k: v for k, v in action.items() if k not in ("at_min", "action")}
            session.run_until(action["at_min"])
            session.apply(action["action"], strict=False, **params)
        outputs.append(session.output(records=records and rep == 0))
        rejected = rejected or session.rejected
    return Result.build(sc, dec, seed, outputs, rejected)


def compare(
    scenario: Any, decisions: Mapping | Decisions | None, seed: int = 0, replications: int = 10
) -> dict:
    """The effect of the decisions against the scenario's defaults, with paired 95% CIs.

    Both runs use the same random numbers per replication (common random numbers), so the
    interval on the difference is much narrower than the intervals of the two runs.
    """
    sc = load_scenario(scenario)
    base = run(sc, None, seed, replications)
    trial = run(sc, decisions, seed, replications)
    out = {}
    for name, k in trial.kpis.items():
        diffs = [
            (a - b) if a is not None and b is not None else None
            for a, b in zip(k.values, base.kpis[name].values, strict=True)
        ]
        m, ci = mean_ci(diffs)
        out[name] = {"baseline": base.kpis[name].mean, "decision": k.mean, "diff": m, "ci95": ci}
    return {
        "scenario": sc.id,
        "replications": replications,
        "seed": seed,
        "kpis": out,
        "score": {"baseline": base.score, "decision": trial.score},
    }
