"""Time distributions of a scenario (minutes) and their samplers.

A distribution is written in YAML as ``{dist: exponential, mean: 5}``. Each sampler is bound
to one ``random.Random`` stream so every purpose (arrivals, service, patience, travel, ...)
draws from its own stream.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Callable, Iterator
from typing import Literal

from pydantic import Field, model_validator

from .errors import InvariantError
from .strict import Strict

#: Longest mean or parameter of any time distribution: one day, in minutes.
MAX_MINUTES = 1440.0

PARAMS: dict[str, tuple[str, ...]] = {
    "exponential": ("mean",),
    "lognormal": ("mean", "sd"),
    "triangular": ("min", "mode", "max"),
    "uniform": ("min", "max"),
    "fixed": ("value",),
}

ParamName = Literal["mean", "sd", "min", "mode", "max", "value"]

Minutes = Field(default=None, ge=0, le=MAX_MINUTES)


class Dist(Strict):
    """A non-negative time distribution in minutes."""

    dist: Literal["exponential", "lognormal", "triangular", "uniform", "fixed"]
    mean: float | None = Field(default=None, gt=0, le=MAX_MINUTES)
    sd: float | None = Field(default=None, gt=0, le=MAX_MINUTES)
    min: float | None = Minutes
    mode: float | None = Minutes
    max: float | None = Minutes
    value: float | None = Minutes

    @model_validator(mode="after")
    def _check_params(self) -> Dist:
        needed = PARAMS[self.dist]
        given = [
            k for k in ("mean", "sd", "min", "mode", "max", "value") if getattr(self, k) is not None
        ]
        missing = [k for k in needed if k not in given]
        extra = [k for k in given if k not in needed]
        if missing or extra:
            raise ValueError(f"{self.dist} takes exactly: {', '.join(needed)}")
        # From here on every parameter in ``needed`` is set.
        if self.dist == "triangular" and not (
            self._p("min") <= self._p("mode") <= self._p("max") and self._p("min") < self._p("max")
        ):
            raise ValueError("triangular needs min <= mode <= max and min < max")
        if self.dist == "lognormal" and self._p("sd") > 5 * self._p("mean"):
            raise ValueError("lognormal needs sd <= 5 x mean")
        if self.dist == "uniform" and not self._p("min") < self._p("max"):
            raise ValueError("uniform needs min < max")
        return self

    def _p(self, name: ParamName) -> float:
        """A parameter of this kind of distribution, which ``_check_params`` guarantees is set
        (only ``model_construct``, which skips validation, can leave it out)."""
        value: float | None = getattr(self, name)
        if value is None:
            raise InvariantError(f"{self.dist} distribution without {name}")
        return value

    @property
    def mean_value(self) -> float:
        p = self._p
        if self.dist in ("exponential", "lognormal"):
            return p("mean")
        if self.dist == "triangular":
            return (p("min") + p("mode") + p("max")) / 3
        if self.dist == "uniform":
            return (p("min") + p("max")) / 2
        return p("value")

    def sampler(self, rng: random.Random) -> Callable[[], float]:
        """A zero-argument function drawing one value from ``rng``."""
        p = self._p
        if self.dist == "exponential":
            return functools.partial(rng.expovariate, 1.0 / p("mean"))
        if self.dist == "lognormal":
            sigma2 = math.log1p((p("sd") / p("mean")) ** 2)
            mu = math.log(p("mean")) - sigma2 / 2
            return functools.partial(rng.lognormvariate, mu, math.sqrt(sigma2))
        if self.dist == "triangular":
            return functools.partial(rng.triangular, p("min"), p("max"), p("mode"))
        if self.dist == "uniform":
            return functools.partial(rng.uniform, p("min"), p("max"))
        value = p("value")
        return lambda: value


def make_rng(seed: int, replication: int, purpose: str) -> random.Random:
    """The random stream for one purpose of one replication.

    Seeding with a string goes through SHA-512 inside ``random``, so the stream is the same
    in every process whatever PYTHONHASHSEED is.
    """
    return random.Random(f"simulations/{seed}/{replication}/{purpose}")


def piecewise_poisson(
    segments: list[tuple[float, float, float]], rng: random.Random
) -> Iterator[float]:
    """Arrival times of a non-stationary Poisson process with piecewise-constant rate.

    ``segments`` are ``(start, end, rate_per_min)`` in time order, contiguous. Uses one unit
    exponential per arrival and inverts the cumulative intensity, so raising or lowering a
    rate moves arrivals but keeps the same random numbers (common random numbers).
    """
    expo = rng.expovariate
    if len(segments) == 1:
        start, end, rate = segments[0]
        if rate <= 0:
            return
        t = start
        while True:
            t += expo(rate)
            if t >= end:
                return
            yield t
    s = 0.0  # cumulative unit-rate time
    base = 0.0  # cumulative intensity at the start of the current segment
    i = 0
    n = len(segments)
    while True:
        s += expo(1.0)
        while True:
            start, end, rate = segments[i]
            top = base + rate * (end - start)
            if s < top:
                yield start + (s - base) / rate
                break
            i += 1
            if i == n:
                return
            base = top
