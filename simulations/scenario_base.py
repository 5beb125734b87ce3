"""The parts every scenario shares: bounds, texts, targets, the budget, the reference plan,
the decision rules and the common fields (split from ``scenario.py``)."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    PrivateAttr,
    model_validator,
)

from .errors import InvariantError
from .strict import Strict

# Bounds that keep every run finite and small. They are generous for real use.
MAX_HORIZON_MIN = 7 * 24 * 60
MAX_RATE_PER_HOUR = 3000.0
MAX_EXPECTED_ENTITIES = 200_000  # expected customers or tickets in one replication
MAX_REPLICATIONS = 1000
MAX_RUN_ENTITIES = 2_000_000  # expected customers or tickets over all replications of a run
MAX_GROUP_SIZE = 100
MAX_GROUPS = 20
MAX_SERIES_POINTS = 1000
MAX_FILE_BYTES = 1_000_000
MAX_HOURS = math.ceil(MAX_HORIZON_MIN / 60)

ID_PATTERN = r"^[a-z][a-z0-9_-]{0,63}$"
SCENARIO_KINDS = ("service_counter", "dispatch")
DISPATCH_POLICIES = ("nearest", "priority_first", "zone_dedicated", "manual")
DEFAULT_COMMITMENTS = {"urban": 45.0, "rural": 90.0, "remote": 120.0}

Id = Annotated[str, Field(pattern=ID_PATTERN)]
Count = Annotated[int, Field(ge=0, le=MAX_GROUP_SIZE)]
Share = Annotated[float, Field(ge=0, le=1)]
Rate = Annotated[float, Field(ge=0, le=MAX_RATE_PER_HOUR)]


def _text(value: Any) -> Any:
    return {"zh": value, "en": value} if isinstance(value, str) else value


class Text(Strict):
    """A text in Chinese and English."""

    zh: str = Field(max_length=4000)
    en: str = Field(max_length=4000)


BiText = Annotated[Text, BeforeValidator(_text)]


class Target(Strict):
    """A target on one KPI: reach ``min`` or stay under ``max``; points fall linearly to zero
    at ``zero_at`` (default: half of ``min`` or twice ``max``)."""

    min: float | None = None
    max: float | None = None
    weight: float = Field(default=1.0, gt=0, le=100)
    zero_at: float | None = None
    # A run without data for the KPI (no remote ticket at all in a short night) scores the
    # target as a miss, unless the scenario says "not_applicable" (then it does not count).
    if_no_data: Literal["miss", "not_applicable"] = "miss"

    @model_validator(mode="after")
    def _check(self) -> Target:
        if (self.min is None) == (self.max is None):
            raise ValueError("give exactly one of min or max")
        if self.max is not None:
            if self.zero_at is None and self.max <= 0:
                raise ValueError("zero_at is required when max <= 0")
            if self.zero_at is not None and self.zero_at <= self.max:
                raise ValueError("zero_at must be above max")
        elif self.min is not None:
            if self.zero_at is None and self.min <= 0:
                raise ValueError("zero_at is required when min <= 0")
            if self.zero_at is not None and self.zero_at >= self.min:
                raise ValueError("zero_at must be below min")
        return self

    @property
    def zero(self) -> float:
        if self.zero_at is not None:
            return self.zero_at
        return 2 * self.max if self.max is not None else self.bound / 2

    @property
    def bound(self) -> float:
        """The ``max`` or ``min`` to reach (the validator requires exactly one of them)."""
        bound = self.max if self.max is not None else self.min
        if bound is None:  # only when built with model_construct, which skips validation
            raise InvariantError("a target needs min or max")
        return bound


class Budget(Strict):
    """A staff-hours or crew-hours budget that binds: within it the score is the targets'
    score; over it the score is multiplied by a factor falling linearly from 1 at ``max`` to 0
    at ``zero_at`` (default ``max`` x 1.2). ``note`` says where the figure comes from."""

    kpi: Literal["staff_hours", "crew_hours"]
    max: float = Field(gt=0, le=1_000_000)
    zero_at: float | None = Field(default=None, gt=0, le=1_000_000)
    note: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _check(self) -> Budget:
        if self.zero_at is not None and self.zero_at <= self.max:
            raise ValueError("zero_at must be above max")
        return self

    @property
    def zero(self) -> float:
        return self.zero_at if self.zero_at is not None else 1.2 * self.max

    def factor(self, value: float | None) -> float:
        if value is None or value <= self.max:
            return 1.0
        return max(0.0, (self.zero - value) / (self.zero - self.max))


class Reference(Strict):
    """The plan an experienced supervisor would make (decisions as ``run`` takes them), with a
    note of why: assessments show its score on the same days as the trainee's."""

    decisions: dict[str, Any] = Field(default_factory=dict)
    note: str = Field(default="", max_length=2000)


class DecisionRules(Strict):
    """Which decisions the trainee may change (bounds come from the world: ``max_count`` ...)."""

    allow: list[str] | None = None


class ScenarioBase(Strict):
    kind: str
    id: Id
    name: BiText | None = None
    description: BiText | None = None
    difficulty: int | None = Field(default=None, ge=1, le=5)
    horizon_min: float = Field(gt=0, le=MAX_HORIZON_MIN)
    warmup_min: float = Field(default=0.0, ge=0)
    start_clock: str = Field(default="00:00", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    series_interval_min: float | None = Field(default=None, gt=0, le=MAX_HORIZON_MIN)
    targets: dict[str, Target] = Field(default_factory=dict)
    decisions: DecisionRules = Field(default_factory=DecisionRules)
    budget: Budget | None = None
    reference: Reference | None = None
    # Whether leaving every decision as it is would be right here (default: no, so the
    # starting plan must not pass); ``defaults_note`` says why when it is.
    defaults_pass: bool = False

    _source: str | None = PrivateAttr(default=None)

    @property
    def source(self) -> str | None:
        return self._source

    @property
    def hours(self) -> int:
        """Number of (possibly partial) opening hours: the length of per-hour lists."""
        return max(1, math.ceil(self.horizon_min / 60 - 1e-9))

    @property
    def interval_min(self) -> float:
        if self.series_interval_min is not None:
            return self.series_interval_min
        return 30.0 if self.horizon_min <= 1440 else 60.0 * math.ceil(self.horizon_min / 2880)

    @property
    def title(self) -> Text:
        return self.name or Text(zh=self.id, en=self.id)


class RateFields(Strict):
    """A constant rate per hour, or a profile with one rate per hour from the start."""

    rate_per_hour: float | None = Field(default=None, gt=0, le=MAX_RATE_PER_HOUR)
    profile: list[Rate] | None = Field(default=None, min_length=1, max_length=MAX_HOURS)

    def hourly_rates(self, hours: int) -> list[float]:
        if self.profile is not None:
            return list(self.profile)
        if self.rate_per_hour is None:  # the scenario checks require one of the two
            raise InvariantError("a rate needs rate_per_hour or profile")
        return [self.rate_per_hour] * hours
