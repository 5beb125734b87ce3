"""Decisions: specs with bounds for forms, field-level validation errors, effects."""

import pytest

from simulations import (
    DecisionError,
    builtin_scenarios,
    decision_specs,
    load_scenario,
    run,
    validate_decisions,
)


def scenario(sid):
    return load_scenario(builtin_scenarios()[sid])


def test_specs_list_allowed_decisions_with_bounds_and_defaults():
    specs = {s["name"]: s for s in decision_specs(scenario("month-end-payment-peak"))}
    assert list(specs) == ["counters_open", "counter_serves", "kiosk_share"]
    opening = specs["counters_open"]
    assert opening["type"] == "per_hour_counts" and opening["hours"] == 9
    assert opening["groups"][0] == {"id": "payment", "min": 0, "max": 6, "default": [4] * 9}
    assert specs["counter_serves"]["choices"] == [
        "payment",
        "account_change",
        "consultation",
        "complaint",
    ]
    assert specs["kiosk_share"] | {} == {
        **specs["kiosk_share"],
        "min": 0.0,
        "max": 0.5,
        "default": 0.25,
    }
    assert specs["counters_open"]["label"]["zh"] and specs["counters_open"]["label"]["en"]

    dispatch = {s["name"]: s for s in decision_specs(scenario("typhoon-surge"))}
    assert list(dispatch) == ["crews_on_shift", "dispatch_policy", "surge_extra_crews"]
    assert [c["id"] for c in dispatch["dispatch_policy"]["choices"]] == [
        "nearest",
        "priority_first",
        "zone_dedicated",
        "manual",
    ]
    assert dispatch["surge_extra_crews"] | {} == {
        **dispatch["surge_extra_crews"],
        "min": 0,
        "max": 8,
    }
    night = {s["name"]: s for s in decision_specs(scenario("mixed-night-shift"))}
    assert (
        "standby-1" not in night["assignments"]["crews"]
        and "remote-1" in night["assignments"]["crews"]
    )


def test_defaults_when_no_decisions_are_given():
    dec = validate_decisions(scenario("quiet-weekday-hall"), None).to_dict()
    assert dec["counters_open"] == {"general": [3] * 9}
    assert dec["counter_serves"]["general"] == [
        "payment",
        "account_change",
        "consultation",
        "complaint",
    ]


@pytest.mark.parametrize(
    "sid, decisions, path, message",
    [
        (
            "quiet-weekday-hall",
            {"counters_open": {"general": 9}},
            "counters_open.general",
            "must be between 0 and 5",
        ),
        (
            "quiet-weekday-hall",
            {"counters_open": {"general": [3, 3, 9, 3, 3, 3, 3, 3, 3]}},
            "counters_open.general[2]",
            "must be between 0 and 5",
        ),
        (
            "quiet-weekday-hall",
            {"counters_open": {"general": [3, 3]}},
            "counters_open.general",
            "must have one value per opening hour (9 values)",
        ),
        (
            "quiet-weekday-hall",
            {"counters_open": {"general": True}},
            "counters_open.general",
            "must be a whole number",
        ),
        (
            "quiet-weekday-hall",
            {"counters_open": {"vip": 2}},
            "counters_open.vip",
            "unknown group vip (known: general)",
        ),
        (
            "quiet-weekday-hall",
            {"counters_open": 3},
            "counters_open",
            "must be a mapping of group ids to values",
        ),
        (
            "quiet-weekday-hall",
            {"counter_serves": {"general": ["payment"]}},
            "counter_serves",
            "cannot be changed in this scenario",
        ),
        (
            "quiet-weekday-hall",
            {"open_counters": 3},
            "open_counters",
            "unknown decision "
            "(known: counters_open, counter_serves, kiosk_share, diversion_campaign)",
        ),
        (
            "month-end-payment-peak",
            {"counter_serves": {"general": ["payment"]}},
            "counter_serves",
            "no counter group serves account_change",
        ),
        (
            "month-end-payment-peak",
            {"counter_serves": {"general": ["bills"]}},
            "counter_serves.general[0]",
            "unknown service type bills (known: payment, account_change, consultation, complaint)",
        ),
        (
            "month-end-payment-peak",
            {"kiosk_share": 0.9},
            "kiosk_share",
            "must be between 0 and 0.5",
        ),
        (
            "after-online-campaign",
            {"diversion_campaign": "yes"},
            "diversion_campaign",
            "must be true or false",
        ),
        ("typhoon-surge", {"surge_extra_crews": 9}, "surge_extra_crews", "must be between 0 and 8"),
        (
            "typhoon-surge",
            {"dispatch_policy": "fastest"},
            "dispatch_policy",
            "must be one of nearest, priority_first, zone_dedicated, manual",
        ),
        (
            "typhoon-surge",
            {"crews_on_shift": {"urban": -1}},
            "crews_on_shift.urban",
            "must be between 0 and 5",
        ),
        (
            "mixed-night-shift",
            {"assignments": [{"at_min": 5, "ticket": "T1", "crew": "urban-1"}]},
            "assignments",
            "manual assignments need dispatch_policy manual",
        ),
        (
            "mixed-night-shift",
            {
                "dispatch_policy": "manual",
                "assignments": [{"at_min": 5, "ticket": "T1", "crew": "urban-9"}],
            },
            "assignments[0].crew",
            "unknown crew urban-9",
        ),
        (
            "mixed-night-shift",
            {
                "dispatch_policy": "manual",
                "assignments": [{"at_min": 5000, "ticket": "T1", "crew": "urban-1"}],
            },
            "assignments[0].at_min",
            "must be between 0 and 720",
        ),
        (
            "mixed-night-shift",
            {"dispatch_policy": "manual", "assignments": [{"ticket": "T1"}]},
            "assignments[0]",
            "must be a mapping with at_min, ticket and crew",
        ),
    ],
)
def test_decision_errors_name_the_field(sid, decisions, path, message):
    with pytest.raises(DecisionError) as err:
        validate_decisions(scenario(sid), decisions)
    assert (err.value.path, err.value.message) == (path, message)


def test_manual_assignments_need_a_single_replication():
    decisions = {
        "dispatch_policy": "manual",
        "assignments": [{"at_min": 5, "ticket": "T1", "crew": "urban-1"}],
    }
    with pytest.raises(DecisionError, match="replications = 1"):
        run(scenario("mixed-night-shift"), decisions, replications=2)


def test_decisions_move_the_kpis_the_right_way():
    sc = scenario("quiet-weekday-hall")
    fewer = run(sc, {"counters_open": {"general": 2}}, seed=5, replications=5)
    more = run(sc, {"counters_open": {"general": 5}}, seed=5, replications=5)
    assert fewer.kpis["mean_wait_min"].mean > more.kpis["mean_wait_min"].mean
    assert fewer.kpis["staff_hours"].mean < more.kpis["staff_hours"].mean
    assert fewer.kpis["utilization"].mean > more.kpis["utilization"].mean
    night = scenario("mixed-night-shift")
    with_remote = run(night, {"crews_on_shift": {"remote": 1}}, seed=5, replications=10)
    without = run(night, None, seed=5, replications=10)
    assert (
        with_remote.kpis["mean_arrival_min_remote"].mean
        < without.kpis["mean_arrival_min_remote"].mean
    )
    assert with_remote.kpis["crew_hours"].mean == pytest.approx(
        without.kpis["crew_hours"].mean + 12, abs=2
    )


def test_score_rewards_meeting_targets():
    sc = scenario("month-end-payment-peak")
    good = {
        "counter_serves": {"general": ["account_change", "consultation", "complaint"]},
        "counters_open": {
            "payment": [2, 3, 3, 3, 2, 2, 3, 3, 2],
            "general": [4, 6, 6, 5, 4, 4, 6, 6, 3],
        },
        "kiosk_share": 0.5,
    }
    base = run(sc, seed=1, replications=5)
    better = run(sc, good, seed=1, replications=5)
    assert better.score > base.score + 15
    by_kpi = {b["kpi"]: b for b in better.score_breakdown}
    assert by_kpi["mean_wait_min"]["met"] and by_kpi["mean_wait_min"]["points"] == 100
    assert sum(b["weight"] for b in better.score_breakdown if not b.get("budget")) == 10


def test_target_points_fall_linearly_to_zero():
    from simulations.scenario import Target
    from simulations.scoring import target_points

    assert target_points(Target(max=10), 8) == 1
    assert target_points(Target(max=10), 15) == 0.5  # zero at twice the target by default
    assert target_points(Target(max=10, zero_at=30), 20) == 0.5
    assert target_points(Target(min=0.8), 0.6) == pytest.approx(0.5)  # zero at half the target
    assert target_points(Target(min=0.8), 0.1) == 0
    assert target_points(Target(min=0.8), None) == 0  # no data: a miss by default
    na = Target(min=0.8, if_no_data="not_applicable")
    assert target_points(na, None) is None  # ... or not counted, where the scenario says so


def test_targets_without_data_count_as_the_scenario_states():
    from simulations.scoring import score

    sc = scenario("mixed-night-shift")
    means = {"sla_compliance": 0.9, "sla_compliance_remote": None, "backlog_end": 0.0}
    total, breakdown = score(sc, {**means, "crew_hours": 24.0})
    assert total == 100.0
    remote = next(b for b in breakdown if b["kpi"] == "sla_compliance_remote")
    assert remote["points"] is None and remote["met"] is None
    assert remote["no_data"] == "not_applicable"
    # A target the scenario does not excuse is a miss without data, never left out.
    total, breakdown = score(sc, {**means, "crew_hours": 24.0, "sla_compliance": None})
    overall = next(b for b in breakdown if b["kpi"] == "sla_compliance")
    assert overall["points"] == 0 and overall["met"] is False and total < 70
