"""Scoring accounts for everyone: walk-outs and customers left at closing count against wait
targets, tickets never reached count against arrival targets, a target without data is
scored as the scenario states."""

import pytest

from simulations import builtin_scenarios, load_scenario, run
from simulations.scoring import score


def hall(**extra):
    data = {
        "kind": "service_counter",
        "id": "hall",
        "horizon_min": 240,
        "arrivals": {"rate_per_hour": 60},
        "service_types": [
            {"id": "payment", "share": 1.0, "service_min": {"dist": "exponential", "mean": 5}}
        ],
        "counters": [{"id": "general", "count": 4, "max_count": 8, "serves": ["payment"]}],
        "patience_min": {"dist": "fixed", "value": 20},
        "target_wait_min": 10,
        "targets": {"mean_wait_min": {"max": 10}, "p90_wait_min": {"max": 20}},
    }
    data.update(extra)
    return data


def test_walk_outs_count_as_misses_in_the_scored_waits():
    under = run(hall(), {"counters_open": {"general": 3}}, seed=3, records=True)
    recs = [r for r in under.records if r["state"] != "diverted"]
    left = [r for r in recs if r["state"] != "done"]
    assert left, "an understaffed hall loses customers"
    miss = 30  # three times the target wait
    expected = [
        r["wait_min"] if r["state"] == "done" else max(miss, r["end_min"] - r["arrive_min"])
        for r in recs
    ]
    kpis = under.kpi_means()
    assert kpis["mean_wait_all_min"] == pytest.approx(sum(expected) / len(expected))
    assert kpis["mean_wait_all_min"] > kpis["mean_wait_min"]  # served-only is flattering
    row = next(b for b in under.score_breakdown if b["kpi"] == "mean_wait_min")
    assert row["scored_on"] == "mean_wait_all_min"
    assert row["value"] == kpis["mean_wait_all_min"]


def test_customers_unserved_at_closing_count_against_the_wait_target():
    cut = run(hall(max_drain_min=0, patience_min=None), seed=5)
    kpis = cut.kpi_means()
    assert kpis["unserved_at_close"] > 0
    assert kpis["mean_wait_all_min"] > kpis["mean_wait_min"]
    assert kpis["p90_wait_all_min"] >= kpis["p90_wait_min"]


def test_the_theory_configuration_is_unchanged():
    # One type, exponential times, no abandonment: everyone is served, the two agree.
    data = hall(patience_min=None, max_drain_min=600)
    kpis = run(data, seed=2, replications=3).kpi_means()
    assert kpis["mean_wait_all_min"] == pytest.approx(kpis["mean_wait_min"])


def dispatch(**extra):
    data = {
        "kind": "dispatch",
        "id": "dispatch",
        "horizon_min": 720,
        "zones": [
            {
                "id": "urban",
                "rate_per_hour": 1,
                "travel_min": {"dist": "fixed", "value": 20},
                "repair_min": {"dist": "exponential", "mean": 40},
            },
            {
                "id": "remote",
                "rate_per_hour": 0.3,
                "travel_min": {"dist": "fixed", "value": 60},
                "repair_min": {"dist": "exponential", "mean": 60},
            },
        ],
        "extra_travel_min": {"urban": {"remote": 40}},
        "crews": [
            {"id": "urban", "count": 2, "base": "urban"},
            {"id": "remote", "count": 1, "base": "remote"},
        ],
        "targets": {
            "sla_compliance": {"min": 0.9},
            "mean_arrival_min_remote": {"max": 120},
        },
        "decisions": {"allow": ["crews_on_shift", "dispatch_policy"]},
    }
    data.update(extra)
    return data


def test_tickets_never_reached_count_against_arrival_targets():
    bare = {"dispatch_policy": "zone_dedicated", "crews_on_shift": {"remote": 0}}
    result = run(dispatch(), bare, seed=4, records=True)
    kpis = result.kpi_means()
    remote = [r for r in result.records if r["zone"] == "remote"]
    late = [r for r in remote if 720 - r["created_min"] > 120]
    assert remote and all(r["arrival_min"] is None for r in remote)
    assert kpis["mean_arrival_min_remote"] is None  # no remote ticket reached
    assert kpis["unreached"] >= len(remote)
    expected = sum(720 - r["created_min"] for r in late) / len(late)
    assert kpis["mean_arrival_all_min_remote"] == pytest.approx(expected)
    row = next(b for b in result.score_breakdown if b["kpi"] == "mean_arrival_min_remote")
    assert row["scored_on"] == "mean_arrival_all_min_remote" and row["met"] is False
    assert result.score < run(dispatch(), seed=4).score


def test_a_day_without_tickets_does_not_score_full_marks():
    quiet = dispatch()
    for z in quiet["zones"]:
        z["rate_per_hour"] = 0.0001
    result = run(quiet, seed=1)
    assert result.kpi_means()["tickets"] == 0
    row = next(b for b in result.score_breakdown if b["kpi"] == "sla_compliance")
    assert row["value"] is None and row["points"] == 0 and row["no_data"] == "miss"
    assert result.score < 70
    # Only where the scenario says so does a target without data stand aside.
    for t in quiet["targets"].values():
        t["if_no_data"] = "not_applicable"
    assert run(quiet, seed=1).score == 0.0  # nothing applies: nothing earned


def test_typhoon_default_counts_its_unreached_tickets():
    sc = load_scenario(builtin_scenarios()["typhoon-surge"])
    result = run(sc, seed=1, replications=3)
    kpis = result.kpi_means()
    assert kpis["unreached"] > 5
    assert kpis["mean_arrival_all_min"] > kpis["mean_arrival_min"]


def test_every_builtin_target_is_scored_on_a_kpi_that_counts_everyone():
    for path in builtin_scenarios().values():
        sc = load_scenario(path)
        result = run(sc, seed=1)
        for row in result.score_breakdown:
            assert row["points"] is not None or row.get("no_data") == "not_applicable"
            name = row.get("scored_on", row["kpi"])
            assert name in result.kpis, (sc.id, name)
        means = {k: None for k in result.kpis}
        total, rows = score(sc, means)
        assert total == 0.0 or any(r.get("no_data") == "not_applicable" for r in rows)
