"""The simulation models agree with queueing theory within their 95% confidence intervals.

Each case runs independent replications with a fixed seed (chosen before looking at the
results) and checks that the theoretical value lies inside the simulated 95% confidence
interval, and that the interval is narrow enough for the check to mean something.
"""

import pytest

from simulations import run, theory

# Slow (servers, fuzzing, long replications): `make test-fast` leaves it out.
pytestmark = pytest.mark.slow

SEED = 7


def hall(c, lam_per_min, mean_service, horizon, warmup, **extra):
    return {
        "kind": "service_counter",
        "id": "validation",
        "horizon_min": horizon,
        "warmup_min": warmup,
        "arrivals": {"rate_per_hour": lam_per_min * 60},
        "service_types": [
            {
                "id": "only",
                "share": 1.0,
                "service_min": {"dist": "exponential", "mean": mean_service},
            }
        ],
        "counters": [{"id": "all", "count": c, "serves": ["only"]}],
        "target_wait_min": 5,
        **extra,
    }


def assert_agrees(result, kpi, expected, max_rel_halfwidth):
    k = result.kpis[kpi]
    lo, hi = k.ci95
    assert lo <= expected <= hi, f"{kpi}: theory {expected:.4f} outside 95% CI [{lo:.4f}, {hi:.4f}]"
    assert (hi - lo) / 2 <= max_rel_halfwidth * expected, f"{kpi}: interval too wide to test"


@pytest.mark.parametrize(
    "c, rho, horizon, warmup, reps",
    [
        (4, 0.50, 3000, 300, 20),
        (4, 0.75, 4000, 400, 20),  # the published M/M/4 example: P(wait) 0.5094, Wq 3.0566
        (4, 0.90, 10080, 1000, 20),
        (10, 0.95, 10080, 1000, 20),
    ],
)
def test_service_counter_agrees_with_erlang_c(c, rho, horizon, warmup, reps):
    mean_service = 6.0
    lam = rho * c / mean_service
    q = theory.MMc(lam, 1 / mean_service, c)
    result = run(hall(c, lam, mean_service, horizon, warmup), seed=SEED, replications=reps)
    assert_agrees(result, "prob_wait", q.p_wait, 0.12)
    assert_agrees(result, "mean_wait_min", q.mean_wait, 0.25)
    assert_agrees(result, "service_level", q.service_level(5), 0.12)
    assert_agrees(result, "utilization", q.utilization, 0.05)
    assert result.kpis["abandon_rate"].mean == 0


def test_dispatch_reduced_to_one_zone_agrees_with_mmc():
    # One zone, no travel, exponential repairs: crews are the servers of an M/M/3 queue,
    # the time to arrive is the wait for a crew.
    c, mean_repair, rho = 3, 10.0, 0.8
    lam = rho * c / mean_repair
    scenario = {
        "kind": "dispatch",
        "id": "dispatch-mmc",
        "horizon_min": 10080,
        "warmup_min": 1000,
        "zones": [
            {
                "id": "urban",
                "rate_per_hour": lam * 60,
                "travel_min": {"dist": "fixed", "value": 0},
                "repair_min": {"dist": "exponential", "mean": mean_repair},
                "commitment_min": 5,
            }
        ],
        "crews": [{"id": "crew", "count": c, "base": "urban"}],
        "policy": "priority_first",
    }
    q = theory.MMc(lam, 1 / mean_repair, c)
    result = run(scenario, seed=SEED, replications=30)
    assert_agrees(result, "mean_arrival_min", q.mean_wait, 0.25)
    assert_agrees(result, "sla_compliance", q.service_level(5), 0.1)
    assert_agrees(result, "crew_utilization", q.utilization, 0.05)


@pytest.mark.parametrize("rho", [0.9, 1.2])
def test_abandonment_agrees_with_erlang_a(rho):
    c, mean_service, mean_patience = 4, 6.0, 10.0
    lam = rho * c / mean_service
    scenario = hall(c, lam, mean_service, 4000, 400)
    scenario["patience_min"] = {"dist": "exponential", "mean": mean_patience}
    a = theory.erlang_a(lam, 1 / mean_service, c, 1 / mean_patience)
    result = run(scenario, seed=SEED, replications=20)
    assert_agrees(result, "abandon_rate", a.p_abandon, 0.15)
    assert_agrees(result, "prob_wait", a.p_wait, 0.1)
    assert_agrees(result, "mean_queue", a.mean_queue, 0.2)


def test_priority_class_waits_agree_with_non_preemptive_priority_formula():
    c, mean_service, rho, share = 4, 6.0, 0.9, 0.3
    lam = rho * c / mean_service
    scenario = hall(c, lam, mean_service, 10080, 1000, priority={"share": share})
    high, low = theory.priority_mmc_waits([share * lam, (1 - share) * lam], 1 / mean_service, c)
    result = run(scenario, seed=SEED, replications=20)
    assert_agrees(result, "mean_wait_priority_min", high, 0.15)
    assert_agrees(result, "mean_wait_regular_min", low, 0.25)


def test_finite_hall_agrees_with_mmck():
    c, room, mean_service, rho = 3, 5, 6.0, 1.0
    lam = rho * c / mean_service
    scenario = hall(c, lam, mean_service, 4000, 400, max_waiting=room)
    q = theory.mmck(lam, 1 / mean_service, c, c + room)
    result = run(scenario, seed=SEED, replications=20)
    assert_agrees(result, "balk_rate", q.p_block, 0.1)
    assert_agrees(result, "mean_wait_min", q.mean_wait, 0.1)
    assert_agrees(result, "mean_queue", q.mean_queue, 0.1)


def test_validation_fails_for_a_wrong_model():
    """The checks have teeth: a mis-specified service time is detected."""
    c, mean_service, rho = 4, 6.0, 0.75
    lam = rho * c / mean_service
    q = theory.MMc(lam, 1 / mean_service, c)
    wrong = run(hall(c, lam, mean_service * 1.1, 4000, 400), seed=SEED, replications=20)
    lo, hi = wrong.kpis["mean_wait_min"].ci95
    assert not lo <= q.mean_wait <= hi
