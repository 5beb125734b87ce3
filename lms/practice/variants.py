"""Trainer variants of a scenario: the form's starting values, building and checking a variant
with the engine's loader, a preview run, saving and retiring. Variants are capped in size so
that their runs stay in-request."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import simulations
from lms.core import audit
from lms.core.clock import now
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User
from lms.practice.models import Scenario
from lms.practice.runs import replications_for, ticket_points, trim
from lms.practice.scenarios import engine, fill_scenario
from lms.practice.situation import kpi_info
from lms.practice.wording import num
from simulations import ScenarioError
from simulations.catalogue import allowed

# A trainer's variant may expect at most this many arrivals in one day (keeps runs in-request).
MAX_VARIANT_ARRIVALS = 10_000


class VariantError(ServiceError):
    """A variant the engine's loader refuses; `problems` are (form field or None, message)."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        super().__init__(problems[0][1], field=problems[0][0])
        self.problems = problems


ID_RE = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


def parse_numbers(text: str) -> list[float]:
    """"12, 20 22;16" → [12, 20, 22, 16]; ValueError on anything else."""
    parts = [p for p in re.split(r"[\s,;，、]+", (text or "").strip()) if p]
    if not parts:
        raise ValueError("empty")
    values = [float(p) for p in parts]
    if any(not math.isfinite(v) for v in values):
        raise ValueError("not finite")
    return values


@dataclass
class VariantInput:
    code: str
    name_zh: str
    name_en: str
    description_zh: str
    description_en: str
    difficulty: int | None
    demand: dict[str, str]  # stream id ("arrivals" or a zone id) → per-hour rates text
    groups: dict[str, tuple[int, int]]  # counter / crew group id → (count, max)
    kiosks: int | None
    standby: int | None
    targets: dict[str, tuple[float, float | None, float] | None]  # kpi → (goal, zero_at, w)
    allow: list[str]


def variant_defaults(base: Scenario) -> dict[str, Any]:
    """The variant form's starting values, read from the base scenario."""
    sc = engine(base)
    data: dict[str, Any] = {
        "code": "", "name_zh": f"{sc.title.zh}（变体）"[:200],
        "name_en": f"{sc.title.en} (variant)"[:200],
        "description_zh": sc.description.zh if sc.description else "",
        "description_en": sc.description.en if sc.description else "",
        "difficulty": sc.difficulty or 0,
        "allow": list(allowed(sc)),
    }
    if sc.kind == "service_counter":
        data["demand-arrivals"] = _numbers(sc.arrivals.hourly_rates(sc.hours))
        for i, g in enumerate(sc.counters):
            data[f"count-{i}"], data[f"max-{i}"] = g.count, g.limit
        if sc.kiosks is not None:
            data["kiosks"] = sc.kiosks.count
    else:
        for i, z in enumerate(sc.zones):
            data[f"demand-{i}"] = _numbers(z.hourly_rates(sc.hours))
        for i, g in enumerate(sc.crews):
            data[f"count-{i}"], data[f"max-{i}"] = g.count, g.limit
        if sc.storm is not None and sc.storm.standby is not None:
            data["standby"] = sc.storm.standby.max_crews
    targets = sc.targets or sc.default_targets()
    for name in target_kpis(sc):
        t = targets.get(name)
        data[f"t-{name}-on"] = t is not None
        if t is not None:
            data[f"t-{name}-goal"] = t.max if t.max is not None else t.min
            data[f"t-{name}-zero"] = t.zero_at
            data[f"t-{name}-weight"] = t.weight
    return data


def _numbers(values: list[float]) -> str:
    return ", ".join(num(v) for v in values)


def target_kpis(sc) -> list[str]:
    """KPIs a target can be set on (those with a better direction)."""
    return [name for name, meta in kpi_info(sc).items() if meta["better"]]


def _compact(values: list[float]) -> dict:
    if len(set(values)) == 1:
        return {"rate_per_hour": values[0]}
    return {"profile": values}


def build_variant(base: Scenario, data: VariantInput, *, code_taken: Callable[[str], bool]
                  ) -> tuple[dict, Any]:
    """The variant as a mapping and the engine's scenario, validated by the engine's loader.
    Raises VariantError naming form fields."""
    problems: list[tuple[str | None, str]] = []
    code = (data.code or "").strip().lower()
    if not ID_RE.match(code):
        problems.append(("code", str(_l("Use a lower-case id: a letter, then letters, digits, "
                                        "“-” or “_” (at most 64)."))))
    elif code_taken(code):
        problems.append(("code", str(_l("This id is already used by another scenario."))))
    raw = yaml.safe_load(base.yaml)
    sc = engine(base)
    raw["id"] = code or "variant"
    raw["name"] = {"zh": data.name_zh.strip(), "en": data.name_en.strip()}
    if data.description_zh.strip() or data.description_en.strip():
        raw["description"] = {"zh": data.description_zh.strip() or data.description_en.strip(),
                              "en": data.description_en.strip() or data.description_zh.strip()}
    else:
        raw.pop("description", None)
    if data.difficulty:
        raw["difficulty"] = data.difficulty
    else:
        raw.pop("difficulty", None)
    streams = ["arrivals"] if sc.kind == "service_counter" else [z.id for z in sc.zones]
    for i, stream in enumerate(streams):
        fld = "demand-arrivals" if sc.kind == "service_counter" else f"demand-{i}"
        try:
            values = parse_numbers(data.demand.get(stream, ""))
        except ValueError:
            problems.append((fld, str(_l("Give one number per hour, separated by commas."))))
            continue
        if len(values) != 1 and len(values) != sc.hours:
            problems.append((fld, str(_l("Give one number for the whole day or one per hour "
                                         "(%(n)d values).", n=sc.hours))))
            continue
        target = raw["arrivals"] if sc.kind == "service_counter" else raw["zones"][i]
        target.pop("rate_per_hour", None)
        target.pop("profile", None)
        target.update(_compact(values))
    groups = raw["counters"] if sc.kind == "service_counter" else raw["crews"]
    for i, g in enumerate(groups):
        count, top = data.groups.get(g["id"], (g.get("count", 0), g.get("max_count")))
        g["count"] = count
        g["max_count"] = max(top, count) if top is not None else count
        if sc.kind == "service_counter" and "schedule" in g:
            g["schedule"] = [min(x, g["max_count"]) for x in g["schedule"]]
            if count != sc.counters[i].count:
                g.pop("schedule")  # a new staffing level replaces the hourly plan
    if data.kiosks is not None and raw.get("kiosks") is not None:
        raw["kiosks"]["count"] = data.kiosks
    if data.standby is not None and raw.get("storm", {}).get("standby") is not None:
        raw["storm"]["standby"]["max_crews"] = data.standby
    targets: dict[str, dict] = {}
    info = kpi_info(sc)
    for name, spec in data.targets.items():
        if spec is None:
            continue
        goal, zero, weight = spec
        key = "max" if info[name]["better"] == "lower" else "min"
        t: dict[str, float] = {key: goal, "weight": weight}
        if zero is not None:
            t["zero_at"] = zero
        targets[name] = t
    if not targets:
        problems.append(("targets", str(_l("Keep at least one target: the score is measured "
                                           "against the targets."))))
    raw["targets"] = targets
    raw.setdefault("decisions", {})
    raw["decisions"]["allow"] = list(data.allow)
    if not data.allow:
        problems.append(("allow", str(_l("Open at least one decision to the learner."))))
    if problems:
        raise VariantError(problems)
    try:
        variant = simulations.load_scenario(raw)
    except ScenarioError as e:
        raise VariantError([(_field_for(sc, e.path), f"{e.path}: {e.message}" if e.path
                             else e.message)]) from None
    if variant.expected_entities() > MAX_VARIANT_ARRIVALS:
        raise VariantError([("demand-arrivals" if sc.kind == "service_counter" else "demand-0",
                             str(_l("About %(n)d arrivals a day: at most %(m)d, so that a run "
                                    "answers at once.", n=round(variant.expected_entities()),
                                    m=MAX_VARIANT_ARRIVALS)))])
    return raw, variant


def _field_for(sc, path: str) -> str | None:
    """The variant form field an engine error path belongs to."""
    m = re.match(r"^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?", path or "")
    if not m:
        return None
    head, index, sub = m.group(1), m.group(2), m.group(3)
    if head == "arrivals":
        return "demand-arrivals"
    if head == "zones" and index is not None:
        return f"demand-{index}"
    if head in ("counters", "crews") and index is not None:
        return f"max-{index}" if sub == "max_count" else f"count-{index}"
    if head == "kiosks":
        return "kiosks"
    if head == "storm":
        return "standby"
    if head == "targets":
        return f"t-{sub}-goal" if sub else "targets"
    if head == "decisions":
        return "allow"
    if head in ("id", "name", "description", "difficulty"):
        return {"id": "code", "name": "name_zh", "description": "description_zh"}.get(head,
                                                                                     head)
    return None


def preview(raw: dict) -> dict:
    """A run of the variant with its default decisions (not stored): the trimmed result."""
    sc = simulations.load_scenario(raw)
    result = simulations.run(sc, None, 1, replications_for(sc),
                             records=sc.kind == "dispatch")
    return trim(result, ticket_points(result.records) if sc.kind == "dispatch" else None)


def dump_variant(base: Scenario, raw: dict, actor: User) -> str:
    notes = [line for line in base.yaml.splitlines() if line.startswith("#")]
    head = [f"# Variant of {base.code}, made in the training studio by {actor.employee_no} "
            f"on {now().date().isoformat()}.",
            "# Notes of the scenario it is based on:"] + notes
    body = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(head) + "\n" + body


def save_variant(base: Scenario, data: VariantInput, actor: User,
                 existing: Scenario | None = None) -> Scenario:
    """Create a variant of `base` (or update `existing`, a variant). Runs keep the scenario
    text they ran against, so editing never changes a past result."""
    if existing is not None and existing.source != "variant":
        raise ServiceError(_l("Built-in scenarios are not edited here: make a variant."))

    def taken(code: str) -> bool:
        other = db.session.scalar(select(Scenario.id).where(Scenario.code == code))
        return other is not None and (existing is None or other != existing.id)

    raw, variant = build_variant(existing or base, data, code_taken=taken)
    if existing is not None and variant.id != existing.code:
        from lms.core import requirements

        used = requirements.referenced_by("scenario", existing.code)
        if used:
            raise VariantError([("code", str(_l(
                "The id %(c)s is required by %(by)s: it cannot be changed.", c=existing.code,
                by=", ".join(used))))])
    text = dump_variant(base, raw, actor)
    row = existing or Scenario(source="variant", based_on_id=base.id,
                               created_by_id=actor.id)
    row.code = variant.id
    fill_scenario(row, variant, text)
    db.session.add(row)
    audit.record("scenario_variant_saved", actor=actor, target=row, based_on=base.code,
                 result="updated" if existing is not None else "created")
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise VariantError([("code", str(_l("This id is already used by another "
                                            "scenario.")))]) from None
    return row


def set_active(scenario: Scenario, active: bool, actor: User) -> None:
    scenario.active = active
    audit.record("scenario_variant_saved", actor=actor, target=scenario,
                 result="activated" if active else "retired")
    db.session.commit()
