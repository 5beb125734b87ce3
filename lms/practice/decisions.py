"""The learner's decisions: which a scenario opens, checking them with the engine, and the
engine's messages in the learner's language."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

import simulations
from lms.core.errors import ServiceError
from lms.practice.models import Scenario
from lms.practice.scenarios import engine
from lms.practice.wording import name_of
from simulations import DecisionError
from simulations.catalogue import allowed
from simulations.decisions import DispatchDecisions


def decision_specs(scenario: Scenario) -> list[dict]:
    return simulations.decision_specs(engine(scenario))


_ENGINE_MESSAGES = [
    (re.compile(r"^no counter group serves (\S+)$"),
     lambda sc, m: _l("No counter group serves “%(t)s”: give it to at least one group.",
                      t=_type_name(sc, m.group(1)))),
    (re.compile(r"^must be between (\S+) and (\S+)$"),
     lambda sc, m: _l("Enter a number from %(min)s to %(max)s.", min=m.group(1),
                      max=m.group(2))),
    (re.compile(r"^must be a whole number$"), lambda sc, m: _l("Enter a whole number.")),
    (re.compile(r"^must be a number$"), lambda sc, m: _l("Enter a number.")),
    (re.compile(r"^crew (\S+) is (\w+), not idle$"),
     lambda sc, m: _l("Crew %(c)s is no longer free.", c=m.group(1))),
    (re.compile(r"^no waiting ticket (\S+)$"),
     lambda sc, m: _l("Ticket %(t)s is no longer waiting.", t=m.group(1))),
    (re.compile(r"^the scenario has ended$"), lambda sc, m: _l("The shift has ended.")),
]


def _type_name(sc, tid: str) -> str:
    for t in getattr(sc, "service_types", []) or []:
        if t.id == tid:
            return name_of(t, tid)
    return tid


def explain(message: str, sc=None) -> str:
    """The engine's English one-liner in the learner's language, where we know it."""
    for pattern, text in _ENGINE_MESSAGES:
        m = pattern.match(message)
        if m:
            return str(text(sc, m))
    return message


def check_decisions(sc, decisions: dict, *, whole_day: bool) -> dict:
    """Validate with the engine; the mapping back, or ServiceError naming the engine path."""
    try:
        dec = simulations.validate_decisions(sc, decisions)
    except DecisionError as e:
        raise ServiceError(explain(e.message, sc), field=e.path) from None
    if whole_day and isinstance(dec, DispatchDecisions) and dec.dispatch_policy == "manual":
        raise ServiceError(_l("With manual dispatch nobody sends the crews in a whole-day run: "
                              "choose “Step through the day” to assign crews yourself, or "
                              "another policy."), field="dispatch_policy")
    return decisions


def normalised_decisions(scenario: Scenario, decisions: dict | None) -> dict:
    """The full decision values (defaults filled in) for the decisions the scenario opens."""
    sc = engine(scenario)
    try:
        full = simulations.validate_decisions(sc, decisions or None).to_dict()
    except DecisionError:
        full = simulations.validate_decisions(sc, None).to_dict()
    return {k: v for k, v in full.items() if k in allowed(sc)}
