"""The fixed, hidden days an assessment is scored on, and the reference plan on those days.

Fairness rules:
- every trainee of a scenario is assessed on the same simulated days (common random
  numbers): the seed is derived from a server secret and the scenario's code, so it is the
  same for everyone, never chosen by the learner and never shown (knowing it would let a
  learner rehearse the very days in practice mode);
- the number of days is fixed per scenario (``replications_for``), so two trainees with the
  same plan get the same score, and the score is reported with its uncertainty;
- the scenario's reference plan is scored on the same days and shown beside the trainee's.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app

import simulations
from lms.practice.models import Scenario

SEED_BITS = 62


def assessment_seed(scenario: Scenario) -> int:
    """The seed of the scenario's assessment days: HMAC(secret, scenario code)."""
    secret = current_app.config.get("PRACTICE_ASSESSMENT_SECRET") or current_app.config[
        "SECRET_KEY"]
    digest = hmac.new(str(secret).encode("utf-8"),
                      f"practice-assessment-days:{scenario.code}".encode(),
                      hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - SEED_BITS)


def reference_on_same_days(sc, seed: int, replications: int) -> dict:
    """The reference plan's score on the given days (the starting plan if the scenario has no
    reference plan), for the result page."""
    plan = simulations.reference_plan(sc)
    result = simulations.run(sc, plan, seed, replications)
    return {"score": result.score, "score_ci95": result.score_ci95,
            "note": sc.reference.note if sc.reference is not None else "",
            "is_reference": sc.reference is not None}
