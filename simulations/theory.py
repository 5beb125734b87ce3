"""Queueing-theory formulas the simulation models are validated against.

Rates are per unit time (any unit, used consistently): ``lam`` arrival rate, ``mu`` service
rate per server, ``c`` servers, ``theta`` abandonment rate (1 / mean patience).

- Erlang B and Erlang C (M/M/c): probability of waiting, mean wait, service level, quantiles.
- Erlang A (M/M/c+M, exponential patience): probability of waiting and of abandoning.
- M/M/c/K (finite room): blocking probability and waits.
- Non-preemptive priority M/M/c with equal service rates (Cobham): mean wait per class.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def erlang_b(c: int, a: float) -> float:
    """Blocking probability of M/M/c/c with offered load ``a = lam / mu`` (stable recursion)."""
    if c < 0 or a < 0:
        raise ValueError("c and a must be >= 0")
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(c: int, a: float) -> float:
    """Probability that an arrival waits in M/M/c with offered load ``a`` (needs a < c)."""
    if c < 1:
        raise ValueError("c must be >= 1")
    if a >= c:
        return 1.0
    b = erlang_b(c, a)
    rho = a / c
    return b / (1 - rho * (1 - b))


@dataclass(frozen=True)
class MMc:
    """Steady-state figures of an M/M/c queue."""

    lam: float
    mu: float
    c: int

    @property
    def load(self) -> float:
        return self.lam / self.mu

    @property
    def utilization(self) -> float:
        return self.load / self.c

    @property
    def p_wait(self) -> float:
        return erlang_c(self.c, self.load)

    @property
    def mean_wait(self) -> float:
        """Mean time in queue over all customers (Wq)."""
        self._stable()
        return self.p_wait / (self.c * self.mu - self.lam)

    @property
    def mean_queue(self) -> float:
        """Mean number waiting (Lq = lam * Wq)."""
        return self.lam * self.mean_wait

    def service_level(self, t: float) -> float:
        """Share of customers who wait at most ``t``: 1 - C * exp(-(c mu - lam) t)."""
        self._stable()
        return 1 - self.p_wait * math.exp(-(self.c * self.mu - self.lam) * t)

    def wait_quantile(self, q: float) -> float:
        """The q-quantile of the waiting time (0 when at least q of customers do not wait)."""
        self._stable()
        p = self.p_wait
        if 1 - p >= q:
            return 0.0
        return math.log(p / (1 - q)) / (self.c * self.mu - self.lam)

    def _stable(self) -> None:
        if self.lam >= self.c * self.mu:
            raise ValueError("unstable queue: lam >= c * mu")


@dataclass(frozen=True)
class ErlangA:
    """Steady-state figures of M/M/c+M (Palm / Erlang A), by summing the birth-death chain."""

    p_wait: float  # an arrival finds all servers busy
    p_abandon: float  # an arrival abandons before service
    mean_queue: float  # mean number waiting
    mean_wait: float  # mean time in queue over all arrivals (served and abandoning)


def erlang_a(lam: float, mu: float, c: int, theta: float, tol: float = 1e-15) -> ErlangA:
    if min(lam, mu, theta) <= 0 or c < 1:
        raise ValueError("lam, mu, theta must be > 0 and c >= 1")
    # Unnormalised probabilities p_n / p_0 for n < c, then for the queue part.
    weights = [1.0]
    for n in range(1, c + 1):
        weights.append(weights[-1] * lam / (n * mu))
    total = math.fsum(weights)
    busy = weights[-1]  # P(N >= c), unnormalised
    queue = 0.0  # sum of (n - c) p_n
    w = weights[-1]
    k = 0
    while True:
        k += 1
        w *= lam / (c * mu + k * theta)
        busy += w
        queue += k * w
        r = lam / (c * mu + (k + 1) * theta)  # ratio of the next term to this one
        if r < 1 and w * (k + 1) / (1 - r) < tol * busy:
            break  # the geometric tail of both sums is negligible
        if k > 10_000_000:
            raise ValueError("Erlang A sum did not converge")
    norm = total + busy - weights[-1]
    p_wait = busy / norm
    mean_queue = queue / norm
    return ErlangA(
        p_wait=p_wait,
        p_abandon=theta * mean_queue / lam,
        mean_queue=mean_queue,
        mean_wait=mean_queue / lam,
    )


@dataclass(frozen=True)
class MMcK:
    """Steady-state figures of M/M/c/K: at most K customers in the system (K >= c)."""

    p_block: float  # an arrival finds the system full and is turned away
    p_wait: float  # an admitted arrival has to wait
    mean_queue: float  # mean number waiting
    mean_wait: float  # mean time in queue of admitted customers
    utilization: float  # mean busy servers / c


def mmck(lam: float, mu: float, c: int, k: int) -> MMcK:
    if k < c or c < 1 or lam <= 0 or mu <= 0:
        raise ValueError("need c >= 1, K >= c, lam > 0, mu > 0")
    a = lam / mu
    p = [1.0]
    for n in range(1, k + 1):
        p.append(p[-1] * a / min(n, c))
    norm = math.fsum(p)
    p = [x / norm for x in p]
    p_block = p[k]
    admitted = lam * (1 - p_block)
    mean_queue = math.fsum((n - c) * p[n] for n in range(c, k + 1))
    busy = math.fsum(min(n, c) * p[n] for n in range(k + 1))
    p_wait = math.fsum(p[c:k]) / (1 - p_block)
    return MMcK(
        p_block=p_block,
        p_wait=p_wait,
        mean_queue=mean_queue,
        mean_wait=mean_queue / admitted,
        utilization=busy / c,
    )


def priority_mmc_waits(lams: list[float], mu: float, c: int) -> list[float]:
    """Mean wait per class in a non-preemptive priority M/M/c, classes highest first.

    All classes share the service rate ``mu``. Cobham's formula:
    W_k = W0 / ((1 - s_{k-1}) (1 - s_k)), with W0 = C(c, a) / (c mu) and
    s_k the load of classes 1..k divided by c.
    """
    total = sum(lams)
    if total >= c * mu:
        raise ValueError("unstable queue: total lam >= c * mu")
    w0 = erlang_c(c, total / mu) / (c * mu)
    waits = []
    s_prev = 0.0
    for lam in lams:
        s = s_prev + lam / (c * mu)
        waits.append(w0 / ((1 - s_prev) * (1 - s)))
        s_prev = s
    return waits
