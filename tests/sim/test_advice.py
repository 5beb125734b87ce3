"""Debrief advice is derived from the run and tested: following the top suggestion improves
the score on the same days, in every built-in scenario, from several starting plans."""

import pytest

from simulations import builtin_scenarios, load_scenario, run
from simulations.advice import advise
from simulations.plans import maximum_plan, starved_plan

BUILTIN = sorted(builtin_scenarios())
SEEDS = (1, 2)
REPS = 6


@pytest.mark.parametrize("sid", BUILTIN)
def test_following_the_top_suggestion_improves_the_score_on_the_same_days(sid):
    sc = load_scenario(builtin_scenarios()[sid])
    advised = 0
    for plan in (None, maximum_plan(sc), starved_plan(sc)):
        for seed in SEEDS:
            suggestions = advise(sc, plan, seed, REPS, max_days=REPS)
            days = suggestions[0]["days"] if suggestions else None
            base = run(sc, plan, seed, days or REPS).score
            if not suggestions:
                assert base >= 99.9, (sid, plan, seed, base)  # nothing left to gain
                continue
            top = suggestions[0]
            assert top["from"] == base
            followed = run(sc, top["decisions"], seed, days).score  # the same days
            assert followed == top["score"] > base, (sid, plan, seed, top)
            assert [s["score"] for s in suggestions] == sorted(
                (s["score"] for s in suggestions), reverse=True
            )
            advised += 1
    assert advised >= 4, sid  # the maximum and the starved plan always get advice


def test_advice_is_derived_from_the_plan():
    sc = load_scenario(builtin_scenarios()["quiet-weekday-hall"])
    over = advise(sc, {"counters_open": {"general": 5}}, 1, 6)
    assert over[0]["code"] in ("remove_counters", "match")
    under = advise(sc, {"counters_open": {"general": 1}}, 1, 6)
    assert under[0]["code"] in ("add_counters", "match")
    assert under[0]["hours"]
