"""Cost that binds: in every built-in scenario, every resource at its maximum all day does not
pass, a plan that starves demand does not pass, and the scenario's reference plan passes."""

import copy

import pytest
import yaml

from simulations import ScenarioError, builtin_scenarios, load_scenario, run
from simulations.plans import maximum_plan, reference_plan, starved_plan

PASS = 70.0  # the default pass score of an assessment (lms.practice.kinds)
SEEDS = (1, 2, 3)
REPS = 12
BUILTIN = sorted(builtin_scenarios())


def scenario(sid):
    return load_scenario(builtin_scenarios()[sid])


def test_every_builtin_scenario_has_a_budget_and_a_reference_plan_with_notes():
    for sid in BUILTIN:
        sc = scenario(sid)
        assert sc.budget is not None and len(sc.budget.note) > 40, sid
        assert sc.reference is not None and len(sc.reference.note) > 40, sid
        assert sc.reference.decisions, sid


@pytest.mark.parametrize("sid", BUILTIN)
def test_every_resource_at_its_maximum_does_not_pass(sid):
    sc = scenario(sid)
    plan = maximum_plan(sc)
    for seed in SEEDS:
        result = run(sc, plan, seed=seed, replications=REPS)
        budget = next(b for b in result.score_breakdown if b.get("budget"))
        assert budget["value"] > sc.budget.max, (sid, seed, budget)
        assert result.score < PASS, (sid, seed, result.score)


@pytest.mark.parametrize("sid", BUILTIN)
def test_a_plan_that_starves_demand_does_not_pass(sid):
    sc = scenario(sid)
    plan = starved_plan(sc)
    for seed in SEEDS:
        result = run(sc, plan, seed=seed, replications=REPS)
        assert result.score < PASS, (sid, seed, result.score)


@pytest.mark.parametrize("sid", BUILTIN)
def test_the_reference_plan_passes(sid):
    sc = scenario(sid)
    plan = reference_plan(sc)
    for seed in SEEDS:
        result = run(sc, plan, seed=seed, replications=REPS)
        budget = next(b for b in result.score_breakdown if b.get("budget"))
        assert budget["met"], (sid, seed, budget)
        assert result.score >= PASS, (sid, seed, result.score)


def test_over_budget_the_score_falls_whatever_the_weights():
    sc = scenario("quiet-weekday-hall")
    free = sc.model_copy(update={"budget": None})
    plan = {"counters_open": {"general": 4}}
    unbound = run(free, plan, seed=1, replications=4)
    bound = run(sc, plan, seed=1, replications=4)
    row = next(b for b in bound.score_breakdown if b.get("budget"))
    staff = bound.kpi_means()["staff_hours"]
    assert row["kpi"] == "staff_hours" and row["value"] == staff
    factor = max(0.0, (sc.budget.zero - staff) / (sc.budget.zero - sc.budget.max))
    assert row["factor"] == pytest.approx(factor)
    assert bound.score == pytest.approx(round(unbound.score * factor, 1), abs=0.11)
    assert unbound.score >= PASS > bound.score


def _raw(sid):
    return yaml.safe_load(builtin_scenarios()[sid].read_text(encoding="utf-8"))


def test_budget_and_reference_are_validated():
    raw = _raw("quiet-weekday-hall")
    bad = copy.deepcopy(raw)
    bad["budget"]["kpi"] = "crew_hours"
    with pytest.raises(ScenarioError) as err:
        load_scenario(bad)
    assert (err.value.path, err.value.message) == (
        "budget.kpi",
        "must be staff_hours in a service_counter scenario",
    )
    bad = copy.deepcopy(raw)
    bad["budget"]["zero_at"] = 10
    with pytest.raises(ScenarioError, match="zero_at must be above max"):
        load_scenario(bad)
    bad = copy.deepcopy(raw)
    bad["reference"]["decisions"]["counters_open"]["general"] = 9
    with pytest.raises(ScenarioError) as err:
        load_scenario(bad)
    assert err.value.path == "reference.decisions.counters_open.general"
    assert err.value.message == "must be between 0 and 5"


@pytest.mark.parametrize("sid", BUILTIN)
def test_the_starting_plan_passes_only_where_the_scenario_says_doing_nothing_is_right(sid):
    sc = scenario(sid)
    scores = [run(sc, None, seed=seed, replications=REPS).score for seed in SEEDS]
    if sc.defaults_pass:
        assert all(s >= PASS for s in scores), (sid, scores)
    else:
        assert all(s < PASS for s in scores), (sid, scores)
