"""Scenario files: the world a trainee practises in, validated with clear messages.

``load_scenario`` accepts a path to a YAML file or an already parsed mapping and returns a
:class:`ServiceCounterScenario` or :class:`DispatchScenario`. Any problem raises
:class:`~simulations.errors.ScenarioError` naming the file, the field and the reason, e.g.
``hall.yaml: arrivals.rate_per_hour: must be > 0``.
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

from .catalogue import check_allowed
from .distributions import MAX_MINUTES, Dist
from .errors import InvariantError, ScenarioError
from .kpis import kpi_info

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
BUILTIN_DIR = Path(__file__).with_name("scenarios")

Id = Annotated[str, Field(pattern=ID_PATTERN)]
Count = Annotated[int, Field(ge=0, le=MAX_GROUP_SIZE)]
Share = Annotated[float, Field(ge=0, le=1)]
Rate = Annotated[float, Field(ge=0, le=MAX_RATE_PER_HOUR)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
        return yaml.safe_load(text)
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
        raise _first_error(exc, MODELS[kind], source) from None
    try:
        _check_kind(scenario)
        _check_common(scenario)
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


# ---------------------------------------------------------------- error messages


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(err: ErrorDetails, model: type[BaseModel]) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    simple = {
        "missing": "is required",
        "float_type": "must be a number",
        "float_parsing": "must be a number",
        "int_type": "must be a whole number",
        "int_parsing": "must be a whole number",
        "int_from_float": "must be a whole number",
        "bool_type": "must be true or false",
        "bool_parsing": "must be true or false",
        "string_type": "must be text",
        "list_type": "must be a list",
        "dict_type": "must be a mapping",
        "model_type": "must be a mapping",
        "model_attributes_type": "must be a mapping",
        "finite_number": "must be a finite number",
        "string_pattern_mismatch": "must start with a letter and use only a-z, 0-9, _ and -",
    }
    if kind in simple:
        if kind == "string_pattern_mismatch" and "[01]" in str(ctx.get("pattern", "")):
            return "must be a time of day like 08:30"
        return simple[kind]
    compare = {
        "greater_than": ("gt", ">"),
        "greater_than_equal": ("ge", ">="),
        "less_than": ("lt", "<"),
        "less_than_equal": ("le", "<="),
    }
    if kind in compare:
        key, sign = compare[kind]
        return f"must be {sign} {_num(ctx.get(key))}"
    if kind == "too_short":
        n = ctx.get("min_length")
        return f"must have at least {n} item{'s' if n != 1 else ''}"
    if kind == "too_long":
        return f"must have at most {ctx.get('max_length')} items"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"must be one of {expected}"
    if kind == "extra_forbidden":
        return "unknown field" + _suggest(err["loc"], model)
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])).removeprefix("Value error, ")
    return err["msg"][:1].lower() + err["msg"][1:]


def _num(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _suggest(loc: tuple, model: type[BaseModel]) -> str:
    """ ", did you mean rate_per_hour?" when the unknown field looks like a known one."""
    fields: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = getattr(fields, "model_fields", {}).get(part)
        if info is None:
            return ""
        fields = _inner_model(info.annotation)
        if fields is None:
            return ""
    known = list(getattr(fields, "model_fields", {}))
    close = difflib.get_close_matches(str(loc[-1]), known, n=1)
    return f"; did you mean {close[0]}?" if close else ""


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _first_error(exc: ValidationError, model: type[BaseModel], source: str | None) -> ScenarioError:
    errors = [(_loc(e["loc"]), _message(e, model)) for e in exc.errors(include_url=False)]
    path, message = errors[0]
    error = ScenarioError(path, message, source)
    error.errors = errors
    return error


# ---------------------------------------------------------------- cross-field checks


def _unique(items: list, field: str) -> None:
    seen = set()
    for i, item in enumerate(items):
        if item.id in seen:
            raise ScenarioError(f"{field}[{i}].id", f"duplicate id {item.id}")
        seen.add(item.id)


def _check_hours(values: list | None, path: str, hours: int) -> None:
    if values is not None and len(values) != hours:
        raise ScenarioError(
            path, f"must have one value per opening hour ({hours} values), got {len(values)}"
        )


def _check_rates(obj: RateFields, path: str, hours: int) -> None:
    if (obj.rate_per_hour is None) == (obj.profile is None):
        raise ScenarioError(path, "give exactly one of rate_per_hour or profile")
    _check_hours(obj.profile, f"{path}.profile" if path else "profile", hours)


def _check_known(ids: list[str], known: list[str], path: str, what: str) -> None:
    for i, x in enumerate(ids):
        if x not in known:
            raise ScenarioError(f"{path}[{i}]", f"unknown {what} {x} (known: {', '.join(known)})")


def _check_keys(mapping: dict, known: list[str], path: str, what: str) -> None:
    for x in mapping:
        if x not in known:
            raise ScenarioError(f"{path}.{x}", f"unknown {what} (known: {', '.join(known)})")


def _check_shares(items: list, path: str) -> None:
    total = sum(item.share for item in items)
    if abs(total - 1.0) > 1e-6:
        raise ScenarioError(path, f"shares must add up to 1 (they add up to {total:.6g})")


def _check_common(sc: Scenario) -> None:
    if sc.warmup_min >= sc.horizon_min:
        raise ScenarioError("warmup_min", "must be less than horizon_min")
    if sc.horizon_min / sc.interval_min > MAX_SERIES_POINTS:
        raise ScenarioError(
            "series_interval_min",
            f"gives more than {MAX_SERIES_POINTS} points; use a longer interval",
        )
    expected = sc.expected_entities()
    if expected > MAX_EXPECTED_ENTITIES:
        what = "arrivals" if sc.kind == "service_counter" else "zones"
        raise ScenarioError(
            what,
            f"about {expected:.0f} arrivals per run; at most {MAX_EXPECTED_ENTITIES} "
            "(lower the rate or the horizon)",
        )
    known = sc.kpi_names()
    for name in sc.targets:
        if name not in known:
            raise ScenarioError(f"targets.{name}", f"unknown KPI (known: {', '.join(known)})")
    check_allowed(sc)


def _check_service_counter(sc: ServiceCounterScenario) -> None:
    hours = sc.hours
    _check_rates(sc.arrivals, "arrivals", hours)
    _unique(sc.service_types, "service_types")
    _unique(sc.counters, "counters")
    _check_shares(sc.service_types, "service_types")
    types = sc.type_ids
    served = set()
    for i, group in enumerate(sc.counters):
        _check_known(group.serves, types, f"counters[{i}].serves", "service type")
        _check_hours(group.schedule, f"counters[{i}].schedule", hours)
        if group.max_count is not None and group.max_count < group.count:
            raise ScenarioError(f"counters[{i}].max_count", "must be >= count")
        if group.max_count is not None and group.schedule and group.max_count < max(group.schedule):
            raise ScenarioError(f"counters[{i}].max_count", "must be >= every value of schedule")
        served.update(group.serves)
    for i, t in enumerate(sc.service_types):
        if t.id not in served:
            raise ScenarioError(f"service_types[{i}]", f"{t.id} is served by no counter group")
    if sc.kiosks is not None:
        _check_known(sc.kiosks.types, types, "kiosks.types", "service type")
        if sc.kiosks.max_share is not None and sc.kiosks.max_share < sc.kiosks.share:
            raise ScenarioError("kiosks.max_share", "must be >= share")
    if sc.online is not None:
        _check_keys(sc.online.share, types, "online.share", "service type")
        if sc.online.campaign is not None:
            _check_keys(
                sc.online.campaign.extra_share, types, "online.campaign.extra_share", "service type"
            )
            for type_id, extra in sc.online.campaign.extra_share.items():
                if sc.online.share.get(type_id, 0.0) + extra > 1:
                    raise ScenarioError(
                        f"online.campaign.extra_share.{type_id}",
                        "share plus extra_share must be <= 1",
                    )


def _check_dispatch(sc: DispatchScenario) -> None:
    hours = sc.hours
    _unique(sc.zones, "zones")
    _unique(sc.priorities, "priorities")
    _unique(sc.crews, "crews")
    _check_shares(sc.priorities, "priorities")
    zones = sc.zone_ids
    for i, zone in enumerate(sc.zones):
        _check_rates(zone, f"zones[{i}]", hours)
        if zone.commitment_min is None and zone.id not in DEFAULT_COMMITMENTS:
            raise ScenarioError(
                f"zones[{i}].commitment_min",
                f"is required for zone {zone.id} (defaults exist only for urban, rural, remote)",
            )
    for i, group in enumerate(sc.crews):
        if group.base not in zones:
            raise ScenarioError(
                f"crews[{i}].base", f"unknown zone {group.base} (known: {', '.join(zones)})"
            )
        if group.max_count is not None and group.max_count < group.count:
            raise ScenarioError(f"crews[{i}].max_count", "must be >= count")
        if group.shift is not None and group.shift.end_min <= group.shift.start_min:
            raise ScenarioError(f"crews[{i}].shift.end_min", "must be after start_min")
    _check_keys(sc.extra_travel_min, zones, "extra_travel_min", "zone")
    for a, row in sc.extra_travel_min.items():
        _check_keys(row, zones, f"extra_travel_min.{a}", "zone")
    for i, a in enumerate(zones):
        for b in zones[i + 1 :]:
            if b not in sc.extra_travel_min.get(a, {}) and a not in sc.extra_travel_min.get(b, {}):
                raise ScenarioError(
                    "extra_travel_min", f"missing the extra travel time between {a} and {b}"
                )
    if sc.storm is not None:
        if sc.storm.end_min <= sc.storm.start_min:
            raise ScenarioError("storm.end_min", "must be after start_min")
        _check_keys(sc.storm.zone_multiplier, zones, "storm.zone_multiplier", "zone")
        if sc.storm.standby is not None and sc.storm.standby.base not in zones:
            raise ScenarioError("storm.standby.base", f"unknown zone {sc.storm.standby.base}")


def _check_kind(sc: Scenario) -> None:
    if isinstance(sc, ServiceCounterScenario):
        _check_service_counter(sc)
    else:
        _check_dispatch(sc)
