"""The queueing formulas in simulations/theory.py against published values and identities."""

import math

import pytest

from simulations import theory
from simulations.stats import mean_ci, percentile, t975


def test_erlang_c_call_centre_example():
    # 100 calls per 30 min, 3-minute handling, 14 agents (published call-centre example).
    q = theory.MMc(lam=100 / 30, mu=1 / 3, c=14)
    assert q.p_wait == pytest.approx(0.174, abs=5e-4)
    assert q.service_level(20 / 60) == pytest.approx(0.888, abs=5e-4)
    assert q.utilization == pytest.approx(0.714, abs=5e-4)


def test_mm4_textbook_example():
    # M/M/4, lam = 0.5 per minute, 6-minute service: P(wait) 0.5094, Wq 3.0566 min.
    q = theory.MMc(lam=0.5, mu=1 / 6, c=4)
    assert q.p_wait == pytest.approx(0.5094, abs=5e-5)
    assert q.mean_wait == pytest.approx(3.0566, abs=5e-5)
    assert q.mean_queue == pytest.approx(0.5 * 3.0566, abs=1e-4)


def test_erlang_b_published_value_and_single_server():
    assert theory.erlang_b(10, 5.0) == pytest.approx(0.018385, abs=1e-6)
    # M/M/1: P(wait) = rho, Wq = rho / (mu - lam)
    q = theory.MMc(lam=0.8, mu=1.0, c=1)
    assert q.p_wait == pytest.approx(0.8)
    assert q.mean_wait == pytest.approx(4.0)


def test_wait_quantile_inverts_service_level():
    q = theory.MMc(lam=0.6, mu=1 / 6, c=4)
    t90 = q.wait_quantile(0.9)
    assert q.service_level(t90) == pytest.approx(0.9)
    assert theory.MMc(lam=0.1, mu=1 / 6, c=4).wait_quantile(0.9) == 0.0


def test_unstable_queue_is_rejected():
    with pytest.raises(ValueError):
        _ = theory.MMc(lam=1.0, mu=0.25, c=4).mean_wait
    assert theory.erlang_c(4, 4.0) == 1.0


def test_erlang_a_tends_to_erlang_c_without_abandonment():
    a = theory.erlang_a(lam=0.5, mu=1 / 6, c=4, theta=1e-7)
    c = theory.MMc(lam=0.5, mu=1 / 6, c=4)
    assert a.p_wait == pytest.approx(c.p_wait, rel=1e-4)
    assert a.mean_wait == pytest.approx(c.mean_wait, rel=1e-4)
    assert a.p_abandon < 1e-5


def test_erlang_a_with_patience_equal_to_service_is_poisson():
    # With theta == mu the number in system is Poisson(lam / mu) (an M/M/infinity queue).
    lam, mu, c = 2.0, 1.0, 3
    pois = [math.exp(-lam) * lam**n / math.factorial(n) for n in range(80)]
    a = theory.erlang_a(lam=lam, mu=mu, c=c, theta=mu)
    assert a.p_wait == pytest.approx(sum(pois[c:]), rel=1e-9)
    assert a.mean_queue == pytest.approx(sum((n - c) * p for n, p in enumerate(pois) if n > c))
    assert a.p_abandon == pytest.approx(a.mean_queue / lam)


def test_erlang_a_handles_overload():
    a = theory.erlang_a(lam=1.0, mu=1 / 6, c=4, theta=0.1)
    # Throughput cannot exceed capacity: served rate lam (1 - Pab) <= c mu
    assert 1.0 * (1 - a.p_abandon) <= 4 / 6 + 1e-12
    assert 0.3 < a.p_abandon < 0.5


def test_mmck_limits():
    big = theory.mmck(lam=0.5, mu=1 / 6, c=4, k=400)
    c = theory.MMc(lam=0.5, mu=1 / 6, c=4)
    assert big.p_block < 1e-30
    assert big.mean_wait == pytest.approx(c.mean_wait)
    assert big.p_wait == pytest.approx(c.p_wait)
    # K == c is the Erlang loss system.
    loss = theory.mmck(lam=3.0, mu=1.0, c=5, k=5)
    assert loss.p_block == pytest.approx(theory.erlang_b(5, 3.0))
    assert loss.mean_queue == 0


def test_mmck_single_server_closed_form():
    # M/M/1/K: P_K = (1 - r) r^K / (1 - r^(K+1))
    r, k = 0.9, 5
    q = theory.mmck(lam=0.9, mu=1.0, c=1, k=k)
    assert q.p_block == pytest.approx((1 - r) * r**k / (1 - r ** (k + 1)))


def test_priority_waits_conserve_the_fcfs_mean():
    lams, mu, c = [0.1, 0.2, 0.3], 1 / 6, 4
    waits = theory.priority_mmc_waits(lams, mu, c)
    fcfs = theory.MMc(sum(lams), mu, c).mean_wait
    assert waits[0] < waits[1] < waits[2]
    # Kleinrock's conservation law: the load-weighted mean wait equals FCFS.
    assert sum(lam * w for lam, w in zip(lams, waits, strict=True)) / sum(lams) == pytest.approx(
        fcfs
    )
    assert theory.priority_mmc_waits([0.5], mu, c)[0] == pytest.approx(
        theory.MMc(0.5, mu, c).mean_wait
    )


def test_student_t_quantiles_and_intervals():
    assert t975(1) == pytest.approx(12.706, abs=1e-3)
    assert t975(9) == pytest.approx(2.262, abs=1e-3)
    assert t975(40) == pytest.approx(2.021, abs=1e-3)
    assert t975(120) == pytest.approx(1.980, abs=1e-3)
    m, ci = mean_ci([1.0, 2.0, 3.0, 4.0])
    assert m == 2.5
    assert ci == pytest.approx([2.5 - 3.182 * 1.29099 / 2, 2.5 + 3.182 * 1.29099 / 2], abs=1e-3)
    assert mean_ci([5.0]) == (5.0, None)
    assert mean_ci([None, None]) == (None, None)
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.9) == pytest.approx(4.6)
