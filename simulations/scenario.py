"""Scenario files: the world a trainee practises in, validated with clear messages.

``load_scenario`` accepts a path to a YAML file or an already parsed mapping and returns a
:class:`ServiceCounterScenario` or :class:`DispatchScenario`. Any problem raises
:class:`~simulations.errors.ScenarioError` naming the file, the field and the reason, e.g.
``hall.yaml: arrivals.rate_per_hour: must be > 0``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, ValidationError

from . import safe_yaml
from .distributions import MAX_MINUTES, Dist
from .errors import ScenarioError
from .kpis import kpi_info
from .scenario_base import (  # noqa: F401 - re-exported: the scenario's public names
    DEFAULT_COMMITMENTS,
    DISPATCH_POLICIES,
    MAX_EXPECTED_ENTITIES,
    MAX_FILE_BYTES,
    MAX_GROUP_SIZE,
    MAX_GROUPS,
    MAX_HORIZON_MIN,
    MAX_HOURS,
    MAX_RATE_PER_HOUR,
    MAX_REPLICATIONS,
    MAX_RUN_ENTITIES,
    MAX_SERIES_POINTS,
    SCENARIO_KINDS,
    BiText,
    Budget,
    Count,
    DecisionRules,
    Id,
    RateFields,
    Reference,
    ScenarioBase,
    Share,
    Strict,
    Target,
    Text,
)
from .scenario_checks import check_common, check_kind, first_error

BUILTIN_DIR = Path(__file__).with_name("scenarios")


# ---------------------------------------------------------------- service counter


class Arrivals(RateFields):
    pass


class ServiceType(Strict):
    id: Id
    name: BiText | None = None
    share: Share
    service_min: Dist


class CounterGroup(Strict):
    id: Id
    name: BiText | None = None
    count: Count
    schedule: list[Count] | None = Field(default=None, min_length=1, max_length=MAX_HOURS)
    max_count: Count | None = None
    serves: list[Id] = Field(min_length=1, max_length=20)

    def default_schedule(self, hours: int) -> list[int]:
        return list(self.schedule) if self.schedule is not None else [self.count] * hours

    @property
    def limit(self) -> int:
        top = max(self.schedule) if self.schedule else self.count
        return max(top, self.max_count if self.max_count is not None else top)


class Kiosks(Strict):
    name: BiText | None = None
    count: int = Field(ge=1, le=50)
    types: list[Id] = Field(min_length=1)
    share: Share
    max_share: Share | None = None
    service_min: Dist

    @property
    def share_limit(self) -> float:
        return max(self.share, self.max_share if self.max_share is not None else self.share)


class Campaign(Strict):
    name: BiText | None = None
    extra_share: dict[str, Share] = Field(min_length=1)
    lobby_staff: int = Field(default=1, ge=0, le=10)


class Online(Strict):
    share: dict[str, Share] = Field(default_factory=dict)
    campaign: Campaign | None = None


class PriorityClass(Strict):
    name: BiText | None = None
    share: float = Field(gt=0, lt=1)


class ServiceCounterScenario(ScenarioBase):
    kind: Literal["service_counter"]
    arrivals: Arrivals
    service_types: list[ServiceType] = Field(min_length=1, max_length=20)
    counters: list[CounterGroup] = Field(min_length=1, max_length=MAX_GROUPS)
    target_wait_min: float = Field(gt=0, le=MAX_MINUTES)
    patience_min: Dist | None = None
    priority: PriorityClass | None = None
    kiosks: Kiosks | None = None
    online: Online | None = None
    max_waiting: int | None = Field(default=None, ge=0, le=100_000)
    max_drain_min: float = Field(default=120.0, ge=0, le=MAX_MINUTES)
    # The wait a customer who leaves unserved counts with in the scored waits (at least the
    # time they did wait); default three times the target wait, where satisfaction is 0.
    miss_wait_min: float | None = Field(default=None, gt=0, le=MAX_MINUTES)

    @property
    def miss_wait(self) -> float:
        return self.miss_wait_min if self.miss_wait_min is not None else 3 * self.target_wait_min

    @property
    def type_ids(self) -> list[str]:
        return [t.id for t in self.service_types]

    def expected_entities(self) -> float:
        rates = self.arrivals.hourly_rates(self.hours)
        return _integral(rates, self.horizon_min)

    def kpi_names(self) -> list[str]:
        return list(kpi_info(self.kind, priority=self.priority is not None))

    def default_targets(self) -> dict[str, Target]:
        return {
            "service_level": Target(min=0.8, weight=2),
            "mean_wait_min": Target(max=self.target_wait_min),
            "abandon_rate": Target(max=0.05, zero_at=0.2),
        }


# ---------------------------------------------------------------- dispatch


class Zone(RateFields):
    id: Id
    name: BiText | None = None
    travel_min: Dist
    repair_min: Dist
    commitment_min: float | None = Field(default=None, gt=0, le=MAX_MINUTES)

    @property
    def commitment(self) -> float:
        return (
            self.commitment_min if self.commitment_min is not None else DEFAULT_COMMITMENTS[self.id]
        )


class PriorityLevel(Strict):
    id: Id
    name: BiText | None = None
    share: Share


class Shift(Strict):
    start_min: float = Field(ge=0, le=MAX_HORIZON_MIN)
    end_min: float = Field(gt=0, le=MAX_HORIZON_MIN)


class CrewGroup(Strict):
    id: Id
    name: BiText | None = None
    count: Count
    max_count: Count | None = None
    base: Id
    shift: Shift | None = None

    @property
    def limit(self) -> int:
        return max(self.count, self.max_count if self.max_count is not None else self.count)


class Standby(Strict):
    name: BiText | None = None
    max_crews: int = Field(ge=1, le=50)
    base: Id
    mobilise_min: float = Field(default=60.0, ge=0, le=MAX_MINUTES)


class Storm(Strict):
    name: BiText | None = None
    start_min: float = Field(ge=0, le=MAX_HORIZON_MIN)
    end_min: float = Field(gt=0, le=MAX_HORIZON_MIN)
    multiplier: float = Field(default=1.0, ge=0, le=50)
    zone_multiplier: dict[str, Annotated[float, Field(ge=0, le=50)]] = Field(default_factory=dict)
    standby: Standby | None = None

    def factor(self, zone: str) -> float:
        return self.zone_multiplier.get(zone, self.multiplier)


class DispatchScenario(ScenarioBase):
    kind: Literal["dispatch"]
    zones: list[Zone] = Field(min_length=1, max_length=10)
    priorities: list[PriorityLevel] = Field(
        default_factory=lambda: [PriorityLevel(id="normal", share=1.0)], min_length=1, max_length=5
    )
    crews: list[CrewGroup] = Field(min_length=1, max_length=MAX_GROUPS)
    policy: Literal["nearest", "priority_first", "zone_dedicated", "manual"] = "priority_first"
    return_to_base: bool = True
    extra_travel_min: dict[str, dict[str, Annotated[float, Field(ge=0, le=MAX_MINUTES)]]] = Field(
        default_factory=dict
    )
    storm: Storm | None = None

    @property
    def zone_ids(self) -> list[str]:
        return [z.id for z in self.zones]

    def zone_segments(self, zone: Zone) -> list[tuple[float, float, float]]:
        """``(start, end, rate_per_min)`` pieces of a zone's ticket arrival rate."""
        rates = zone.hourly_rates(self.hours)
        cuts = {float(60 * h) for h in range(self.hours)} | {self.horizon_min}
        if self.storm is not None:
            cuts |= {
                min(self.storm.start_min, self.horizon_min),
                min(self.storm.end_min, self.horizon_min),
            }
        points = sorted(cuts)
        pieces = []
        for start, end in zip(points, points[1:], strict=False):
            rate = rates[min(int(start // 60), len(rates) - 1)] / 60.0
            if self.storm is not None and self.storm.start_min <= start < self.storm.end_min:
                rate *= self.storm.factor(zone.id)
            pieces.append((start, end, rate))
        return pieces

    def expected_entities(self) -> float:
        return sum(
            sum(rate * (end - start) for start, end, rate in self.zone_segments(z))
            for z in self.zones
        )

    def extra_travel(self, a: str, b: str) -> float:
        if a == b:
            return 0.0
        row = self.extra_travel_min.get(a, {})
        if b in row:
            return row[b]
        return self.extra_travel_min.get(b, {}).get(a, 0.0)

    def kpi_names(self) -> list[str]:
        return list(kpi_info(self.kind, zones=self.zone_ids))

    def default_targets(self) -> dict[str, Target]:
        return {
            "sla_compliance": Target(min=0.9, weight=2),
            "backlog_end": Target(max=0, zero_at=10),
        }


Scenario = ServiceCounterScenario | DispatchScenario
MODELS: dict[str, type[Scenario]] = {
    "service_counter": ServiceCounterScenario,
    "dispatch": DispatchScenario,
}


def _integral(hourly: list[float], horizon: float) -> float:
    total = 0.0
    for h, rate in enumerate(hourly):
        total += rate * max(0.0, min(60.0, horizon - 60 * h)) / 60
    return total


# ---------------------------------------------------------------- loading


def load_scenario(source: str | os.PathLike | Mapping | Scenario) -> Scenario:
    """Load and validate a scenario from a YAML file path or a parsed mapping."""
    if isinstance(source, (ServiceCounterScenario, DispatchScenario)):
        return source
    if isinstance(source, Mapping):
        return parse_scenario(source)
    if isinstance(source, (str, os.PathLike)):
        return parse_scenario(read_yaml(source), source=str(source))
    raise ScenarioError("", "a scenario must be a file path or a mapping")


def read_yaml(path: str | os.PathLike) -> Any:
    """The parsed content of a YAML file, or a ScenarioError naming the file."""
    name = str(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError("", "file not found", name) from None
    except OSError as exc:
        raise ScenarioError("", f"cannot read file ({exc.strerror})", name) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError("", "file is not UTF-8 text", name) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, source: str | None = None) -> Any:
    """Parse YAML text (at most MAX_FILE_BYTES) with a one-line error naming line and column."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise ScenarioError("", f"file is larger than {MAX_FILE_BYTES} bytes", source)
    try:
        return safe_yaml.load(text)
    except safe_yaml.TooDeep as exc:
        raise ScenarioError("", f"invalid YAML: {exc}", source) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "cannot parse"
        raise ScenarioError("", f"invalid YAML{where}: {problem}", source) from None


def load_scenario_text(text: str, source: str | None = None) -> Scenario:
    """Load and validate a scenario from YAML text (e.g. submitted by a trainer's form)."""
    return parse_scenario(parse_yaml(text, source), source=source)


def parse_scenario(data: Any, source: str | None = None) -> Scenario:
    """Validate a parsed mapping into a scenario object."""
    if not isinstance(data, Mapping):
        raise ScenarioError("", "must be a mapping of fields (kind, id, ...)", source)
    kind = data.get("kind")
    if kind is None:
        raise ScenarioError("kind", f"is required ({' or '.join(SCENARIO_KINDS)})", source)
    if not isinstance(kind, str) or kind not in MODELS:  # a list or mapping is unhashable
        raise ScenarioError("kind", f"must be one of {', '.join(SCENARIO_KINDS)}", source)
    try:
        scenario = MODELS[kind].model_validate(dict(data))
    except ValidationError as exc:
        raise first_error(exc, MODELS[kind], source) from None
    try:
        check_kind(scenario)
        check_common(scenario)
    except ScenarioError as exc:
        exc.source = source
        raise
    scenario._source = source
    return scenario


def builtin_scenarios() -> dict[str, Path]:
    """Built-in scenario files by id, ordered by difficulty then id."""
    found = []
    for path in sorted(BUILTIN_DIR.glob("*.yaml")):
        data = read_yaml(path)
        found.append((data.get("difficulty") or 0, data.get("id"), path))
    return {sid: path for _, sid, path in sorted(found, key=lambda x: (x[0], x[1]))}
