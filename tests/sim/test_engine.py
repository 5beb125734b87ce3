"""Engine behaviour: determinism, invariants, records, closing counters, step-through."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import simulations
from simulations import DecisionError, InvariantError, Session, load_scenario, run
from simulations.service_counter import ServiceCounterModel

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "simulations" / "scenarios"

MINIMAL = """\
kind: service_counter
id: mmc-example
horizon_min: 600
warmup_min: 60
arrivals: {rate_per_hour: 40}
service_types:
  - {id: payment, share: 1.0, service_min: {dist: exponential, mean: 5}}
counters:
  - {id: general, count: 4, serves: [payment]}
target_wait_min: 10
"""

SERVICE_KPIS = {
    "mean_wait_min",
    "p90_wait_min",
    "prob_wait",
    "service_level",
    "abandon_rate",
    "utilization",
    "served",
    "staff_hours",
}
DISPATCH_KPIS = {"sla_compliance", "mean_arrival_min", "crew_utilization", "backlog_end"}


def small_hall(**extra):
    data = {
        "kind": "service_counter",
        "id": "small",
        "horizon_min": 240,
        "arrivals": {"rate_per_hour": 50},
        "service_types": [
            {
                "id": "payment",
                "share": 0.7,
                "service_min": {"dist": "triangular", "min": 2, "mode": 3, "max": 4},
            },
            {
                "id": "change",
                "share": 0.3,
                "service_min": {"dist": "lognormal", "mean": 12, "sd": 4},
            },
        ],
        "counters": [
            {"id": "general", "count": 3, "max_count": 6, "serves": ["payment", "change"]}
        ],
        "target_wait_min": 10,
        "decisions": {"allow": ["counters_open", "counter_serves"]},
    }
    data.update(extra)
    return data


def test_minimal_issue_file_loads_and_runs_unchanged(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    out = run(load_scenario(path)).to_dict()
    assert out["scenario"] == "mmc-example"
    assert out["kind"] == "service_counter"
    assert out["replications"] == 1
    assert SERVICE_KPIS <= set(out["kpis"])
    for kpi in out["kpis"].values():
        assert set(kpi) == {"mean", "ci95"}
    assert 0 <= out["score"] <= 100
    json.dumps(out, allow_nan=False)


def test_result_shape_with_replications():
    out = run(SCENARIOS / "normal_dispatch_day.yaml", seed=3, replications=4).to_dict()
    assert out["replications"] == 4
    assert DISPATCH_KPIS <= set(out["kpis"])
    assert {"sla_compliance_urban", "mean_arrival_min_remote"} <= set(out["kpis"])
    for kpi in out["kpis"].values():
        lo, hi = kpi["ci95"]
        assert lo <= kpi["mean"] <= hi
    assert out["score_breakdown"] and all(0 <= b["points"] <= 100 for b in out["score_breakdown"])
    series = out["series"]
    assert len(series["t_min"]) == 24 and series["clock"][:2] == ["00:00", "01:00"]
    assert all(
        len(series[k]) == 24 for k in ("waiting_tickets", "busy_crews", "arrivals", "open_tickets")
    )
    assert out["zones"]["urban"]["commitment_min"] == 45
    assert [d["name"] for d in out["decision_bounds"]] == ["crews_on_shift", "dispatch_policy"]


def test_same_seed_same_result_and_other_seed_differs():
    a = run(SCENARIOS / "month_end_payment_peak.yaml", seed=11, replications=3).to_dict()
    b = run(SCENARIOS / "month_end_payment_peak.yaml", seed=11, replications=3).to_dict()
    c = run(SCENARIOS / "month_end_payment_peak.yaml", seed=12, replications=3).to_dict()
    assert a == b
    assert a["kpis"] != c["kpis"]


def test_identical_result_in_other_processes_whatever_the_hash_seed():
    scenario = SCENARIOS / "typhoon_surge.yaml"
    args = [
        sys.executable,
        "-m",
        "simulations",
        "run",
        str(scenario),
        "--seed",
        "5",
        "--replications",
        "2",
        "--json",
    ]
    outputs = []
    for hash_seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    here = run(scenario, seed=5, replications=2).to_dict()
    assert json.loads(outputs[0]) == json.loads(json.dumps(here))


def test_common_random_numbers_keep_the_customers_when_decisions_change():
    base = run(small_hall(), seed=4, replications=5)
    more = run(small_hall(), {"counters_open": {"general": 5}}, seed=4, replications=5)
    assert base.kpis["arrivals"].values == more.kpis["arrivals"].values
    assert all(
        m < b
        for m, b in zip(
            more.kpis["mean_wait_min"].values, base.kpis["mean_wait_min"].values, strict=True
        )
    )
    cmp = simulations.compare(
        small_hall(), {"counters_open": {"general": 5}}, seed=4, replications=5
    )
    assert cmp["kpis"]["mean_wait_min"]["ci95"][1] < 0
    assert cmp["kpis"]["staff_hours"]["diff"] > 0


def test_records_conserve_customers_and_respect_priority_and_fifo():
    data = small_hall(priority={"share": 0.2}, patience_min={"dist": "fixed", "value": 15})
    data["service_types"] = [
        {"id": "payment", "share": 1.0, "service_min": {"dist": "exponential", "mean": 4}}
    ]
    data["counters"] = [{"id": "general", "count": 3, "serves": ["payment"]}]
    data["decisions"] = {"allow": ["counters_open"]}
    data["arrivals"] = {"rate_per_hour": 55}
    result = run(data, seed=2, records=True)
    recs = result.records
    states = {
        s: sum(1 for r in recs if r["state"] == s)
        for s in ("done", "abandoned", "balked", "unserved")
    }
    assert sum(states.values()) == len(recs) == result.kpis["arrivals"].mean
    assert states["done"] == result.kpis["served"].mean
    assert states["abandoned"] > 0
    for r in recs:
        assert r["end_min"] >= r["arrive_min"]
        if r["state"] == "done":
            assert 0 <= r["wait_min"] <= 15 + 1e-9
        if r["state"] == "abandoned":
            assert r["end_min"] - r["arrive_min"] == pytest.approx(15)
    served = [r for r in recs if r["state"] == "done"]
    for klass in (True, False):
        same = sorted((r for r in served if r["priority"] is klass), key=lambda r: r["arrive_min"])
        starts = [r["start_min"] for r in same]
        assert starts == sorted(starts), "first come, first served within a class"
    prio = [r for r in recs if r["priority"]]
    for r in served:
        if not r["priority"] and r["wait_min"] > 0:
            # no priority customer was waiting when this regular customer was called
            assert not any(
                p["arrive_min"] < r["start_min"] < p["end_min"]
                and (p["start_min"] is None or p["start_min"] > r["start_min"])
                for p in prio
            )


def test_invariant_checker_catches_broken_bookkeeping(monkeypatch):
    monkeypatch.setattr(ServiceCounterModel, "_mark", lambda self: None)
    with pytest.raises(InvariantError, match="Little"):
        run(small_hall(), seed=1)


def test_customers_inside_at_closing_are_served_or_counted_unserved():
    data = small_hall(arrivals={"rate_per_hour": 40})  # overloaded: a queue at closing time
    served = run(data, seed=3, records=True)
    assert served.kpis["unserved_at_close"].mean == 0
    assert max(r["end_min"] for r in served.records) > 240
    assert served.kpis["staff_hours"].mean > 3 * 4
    cut = run({**data, "max_drain_min": 0}, seed=3)
    assert cut.kpis["unserved_at_close"].mean > 0
    assert cut.kpis["served"].mean < served.kpis["served"].mean


def test_series_cover_the_horizon_with_clock_labels():
    out = run(SCENARIOS / "quiet_weekday_hall.yaml", seed=1, replications=2).to_dict()
    series = out["series"]
    assert series["interval_min"] == 30
    assert len(series["t_min"]) == 18
    assert series["clock"][0] == "08:30" and series["clock"][-1] == "17:00"
    assert sum(series["arrivals"]) == pytest.approx(out["kpis"]["arrivals"]["mean"])
    assert all(
        0 <= b <= o + 1e-9
        for b, o in zip(series["busy_counters"], series["open_counters"], strict=True)
    )


def test_closing_a_counter_lets_its_customer_finish():
    session = Session(small_hall(), seed=9)
    session.run_until(120)
    before = session.state()["groups"][0]
    assert before["busy"] > 0
    session.apply("set_open", group="general", count=0)
    now = session.state()["groups"][0]
    assert now["target"] == 0 and now["open"] == now["busy"] == before["busy"]
    session.run_until(150)
    after = session.state()["groups"][0]
    assert after["open"] == after["busy"] == 0
    assert session.state()["queue_len"] > before["busy"]
    result = session.finish(records=True)
    assert not any(
        120 <= r["start_min"] < 240 for r in result.records if r["start_min"] is not None
    )


def test_step_through_stops_before_events_at_t_and_applies_the_schedule_on_the_hour():
    data = small_hall()
    session = Session(data, {"counters_open": {"general": [3, 5, 5, 2]}}, seed=1)
    session.run_until(60)
    assert session.state()["groups"][0]["target"] == 3  # the 60-minute change has not happened
    session.run_until(60.5)
    assert session.state()["groups"][0]["target"] == 5
    state = session.state()
    assert state["time_min"] == 60.5 and state["clock"] == "01:00"
    for w in state["waiting"]:
        assert w["elapsed_min"] >= 0 and w["type"] in ("payment", "change")


def test_session_replay_reproduces_the_run_and_run_matches_a_plain_session():
    data = small_hall()
    session = Session(data, seed=21)
    session.run_until(45.25)
    session.apply("set_open", group="general", count=5)
    session.run_until(130)
    session.apply("set_serves", group="general", types=["change", "payment"])
    session.apply("set_open", group="general", count=2)
    first = session.finish().to_dict()
    again = Session.replay(data, session.log, seed=21).finish().to_dict()
    assert first == again
    assert session.log[0] == {"at_min": 45.25, "action": "set_open", "group": "general", "count": 5}
    plain = run(data, seed=21).to_dict()
    assert Session(data, seed=21).finish().to_dict() == plain
    assert plain["kpis"] != first["kpis"]


def test_session_rejects_bad_actions_without_changing_anything():
    session = Session(small_hall(), seed=1)
    session.run_until(30)
    state = session.state()
    with pytest.raises(DecisionError) as err:
        session.apply("set_open", group="general", count=99)
    assert err.value.path == "count" and "between 0 and 6" in err.value.message
    with pytest.raises(DecisionError, match="unknown counter group"):
        session.apply("set_open", group="nope", count=1)
    with pytest.raises(DecisionError, match="not allowed"):
        session.apply("set_kiosk_share", share=0.3)
    with pytest.raises(DecisionError, match="unknown action"):
        session.apply("assign", ticket="T00001", crew="x")
    with pytest.raises(DecisionError, match=">= the current time"):
        session.run_until(10)
    with pytest.raises(DecisionError, match="horizon"):
        session.run_until(10_000)
    assert session.state() == state
    assert session.log == []
    assert [a["action"] for a in session.actions()] == ["set_open", "set_serves"]


def night_shift_manual():
    return Session(SCENARIOS / "mixed_night_shift.yaml", {"dispatch_policy": "manual"}, seed=3)


def test_manual_dispatch_step_through():
    session = night_shift_manual()
    t = 0.0
    while not session.state()["waiting"]:
        t += 15
        session.run_until(t)
    state = session.state()
    ticket = state["waiting"][0]
    assert set(ticket) == {"id", "zone", "priority", "elapsed_min", "commitment_min", "overdue"}
    assert ticket["zone"] in ("urban", "rural", "remote") and ticket["priority"] in (
        "urgent",
        "normal",
    )
    idle = [c["id"] for c in state["crews"] if c["state"] == "idle"]
    assert idle == ["urban-1", "rural-1"]
    session.apply("assign", ticket=ticket["id"], crew="rural-1")
    state = session.state()
    assert ticket["id"] not in [w["id"] for w in state["waiting"]]
    assert {
        "id": ticket["id"],
        "zone": ticket["zone"],
        "crew": "rural-1",
        "state": "crew_travelling",
    } in state["in_progress"]
    with pytest.raises(DecisionError, match="rural-1 is travelling, not idle"):
        session.apply("assign", ticket="T00099", crew="rural-1")
    with pytest.raises(DecisionError, match="no waiting ticket T00099"):
        session.apply("assign", ticket="T00099", crew="urban-1")
    result = session.finish(records=True)
    rec = next(r for r in result.records if r["id"] == ticket["id"])
    assert rec["crew"] == "rural-1" and rec["dispatched_min"] == t
    # The same assignment given to run() as a timed decision gives the same result.
    batch = run(
        SCENARIOS / "mixed_night_shift.yaml",
        {
            "dispatch_policy": "manual",
            "assignments": [{"at_min": t, "ticket": ticket["id"], "crew": "rural-1"}],
        },
        seed=3,
    )
    assert batch.to_dict()["kpis"] == result.to_dict()["kpis"]


def test_manual_assignments_that_cannot_apply_are_reported():
    result = run(
        SCENARIOS / "mixed_night_shift.yaml",
        {
            "dispatch_policy": "manual",
            "assignments": [{"at_min": 1.0, "ticket": "T09999", "crew": "urban-1"}],
        },
        seed=3,
    )
    [rejected] = result.to_dict()["rejected_decisions"]
    assert rejected["ticket"] == "T09999" and "no waiting ticket" in rejected["reason"]


def test_dispatch_records_and_policies():
    path = SCENARIOS / "normal_dispatch_day.yaml"
    result = run(path, seed=8, records=True)
    busy = {}
    for r in result.records:
        if r["dispatched_min"] is not None:
            assert r["created_min"] <= r["dispatched_min"] <= r["arrived_min"] <= r["done_min"]
            busy.setdefault(r["crew"], []).append((r["dispatched_min"], r["done_min"]))
    for spans in busy.values():
        spans.sort()
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), (
            "a crew works one ticket at a time"
        )
    # Zone-dedicated crews never leave their zone; without a remote crew remote tickets wait.
    dedicated = run(
        path,
        {"dispatch_policy": "zone_dedicated", "crews_on_shift": {"remote": 0}},
        seed=8,
        records=True,
    )
    for r in dedicated.records:
        if r["crew"] is not None:
            assert r["crew"].split("-")[0] == r["zone"]
        if r["zone"] == "remote":
            assert r["crew"] is None
    assert dedicated.kpis["sla_compliance_remote"].mean < 0.5


def test_priority_first_reaches_urgent_tickets_sooner():
    path = SCENARIOS / "typhoon_surge.yaml"
    result = run(path, {"dispatch_policy": "priority_first"}, seed=2, records=True)

    def mean_wait(prio):
        waits = [
            r["dispatched_min"] - r["created_min"]
            for r in result.records
            if r["priority"] == prio and r["dispatched_min"] is not None
        ]
        return sum(waits) / len(waits)

    assert mean_wait("urgent") < 0.5 * mean_wait("normal")


def test_storm_and_standby_crews():
    path = SCENARIOS / "typhoon_surge.yaml"
    sc = load_scenario(path)
    calm = sc.model_copy(update={"storm": None})
    storm = run(sc, seed=1, replications=3)
    assert storm.kpis["tickets"].mean > 1.8 * run(calm, seed=1, replications=3).kpis["tickets"].mean
    helped = run(sc, {"surge_extra_crews": 8}, seed=1, replications=3)
    assert helped.kpis["crew_hours"].mean > storm.kpis["crew_hours"].mean + 8 * 10
    assert helped.kpis["backlog_end"].mean < storm.kpis["backlog_end"].mean


def test_online_diversion_and_kiosks_take_their_share():
    path = SCENARIOS / "after_online_campaign.yaml"
    base = run(path, seed=1, replications=4)
    campaign = run(path, {"diversion_campaign": True}, seed=1, replications=4)
    # payment 0.4*0.6 + change 0.25*0.5 + enquiry 0.2*0.5 = 0.465 of demand goes online
    assert base.kpis["diverted_share"].mean == pytest.approx(0.465, abs=0.02)
    assert campaign.kpis["diverted_share"].mean == pytest.approx(
        0.465 + 0.4 * 0.2 + 0.25 * 0.15 + 0.2 * 0.2, abs=0.02
    )
    assert (
        campaign.kpis["staff_hours"].mean > base.kpis["staff_hours"].mean - 0.5
    )  # the lobby guide
    peak = SCENARIOS / "month_end_payment_peak.yaml"
    guided = run(peak, {"kiosk_share": 0.5}, seed=1, replications=2)
    assert guided.kpis["kiosk_share"].mean == pytest.approx(0.7 * 0.5, abs=0.03)


def test_counter_specialisation_routes_types():
    peak = SCENARIOS / "month_end_payment_peak.yaml"
    serves = {"general": ["account_change", "consultation", "complaint"]}
    result = run(peak, {"counter_serves": serves}, seed=1, records=True)
    for r in result.records:
        if r["group"] == "general":
            assert r["type"] != "payment"
        if r["group"] == "payment":
            assert r["type"] == "payment"


def test_dispatch_step_through_actions_replay_exactly():
    path = SCENARIOS / "typhoon_surge.yaml"
    session = Session(path, seed=4)
    session.run_until(300)
    session.apply("set_crews", group="urban", count=5)
    session.run_until(420)
    session.apply("set_standby", count=4)
    session.apply("set_policy", policy="nearest")
    session.run_until(500)
    on_duty = [c for c in session.state()["crews"] if c["state"] != "off"]
    assert not any(c["id"].startswith("standby") for c in on_duty)  # still mobilising
    session.run_until(520)
    on_duty = [c for c in session.state()["crews"] if c["state"] != "off"]
    assert sum(c["id"].startswith("standby") for c in on_duty) == 4
    session.run_until(900)
    session.apply("set_crews", group="rural", count=1)
    first = session.finish(records=True).to_dict()
    again = Session.replay(path, session.log, seed=4).finish(records=True).to_dict()
    assert first == again
    with pytest.raises(DecisionError, match="ended"):
        session.apply("set_policy", policy="manual")
    with pytest.raises(DecisionError, match="finished"):
        session.run_until(1000)
