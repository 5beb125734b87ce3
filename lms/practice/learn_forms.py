"""Forms of the practice drills, built from what the scenario lets the learner decide.

`decision_form` turns the engine's `decision_specs` into WTForms fields with the bounds the
engine gives (the engine checks again, and its errors land next to the same fields).
`step_form` offers the actions open at a paused moment of a step-through run.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FloatField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    widgets,
)
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from lms.practice.attempts import MAX_SEED
from lms.practice.runs import StepAction
from lms.practice.wording import num, pick


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _bounds(lo, hi):
    return NumberRange(min=lo, max=hi, message=_l("Enter a number from %(min)s to %(max)s."))


def _whole(lo: int, hi: int, label: str = "") -> IntegerField:
    return IntegerField(label, validators=[
        InputRequired(message=_l("Enter a whole number.")), _bounds(lo, hi)],
        render_kw={"min": lo, "max": hi, "step": 1, "inputmode": "numeric"})


def _finite(form, fld):
    if fld.data is not None and not math.isfinite(fld.data):
        raise ValidationError(_l("Enter a number."))


@dataclass
class Section:
    """One decision as the form shows it."""

    name: str
    label: str
    type: str  # grid | subsets | single
    hours: list[str] = field(default_factory=list)
    rows: list[tuple[str, list[str]]] = field(default_factory=list)  # (label, field names)
    fields: list[str] = field(default_factory=list)
    help: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class DecisionForm:
    form: FlaskForm
    sections: list[Section]
    specs: list[dict]
    groups: dict[str, list[str]]  # decision → group ids in field order

    def decisions(self) -> dict:
        """The decisions mapping the engine takes, from the validated form."""
        f = self.form
        out: dict = {}
        for spec in self.specs:
            name, kind = spec["name"], spec["type"]
            ids = self.groups.get(name, [])
            if kind == "per_hour_counts":
                out[name] = {gid: [f[f"co_{gi}_{h}"].data for h in range(spec["hours"])]
                             for gi, gid in enumerate(ids)}
            elif kind == "subsets":
                out[name] = {gid: list(f[f"cs_{gi}"].data or []) for gi, gid in enumerate(ids)}
            elif kind == "counts":
                out[name] = {gid: f[f"cr_{gi}"].data for gi, gid in enumerate(ids)}
            elif kind == "number":
                out[name] = round(f["kiosk_share"].data / 100.0, 6)
            elif kind == "boolean":
                out[name] = bool(f["diversion_campaign"].data)
            elif kind == "choice":
                out[name] = f["dispatch_policy"].data
            elif kind == "integer":
                out[name] = f["surge_extra_crews"].data
        return out

    def add_error(self, path: str | None, message: str) -> None:
        """Put an engine error (path like ``counters_open.general[3]``) next to its field."""
        name = _field_for(self, path or "")
        if name is not None and name in self.form:
            self.form[name].errors = [*self.form[name].errors, message]
            return
        head = (path or "").split(".")[0].split("[")[0]
        for section in self.sections:
            if section.name == head:
                section.errors.append(message)
                return
        self.form.form_errors.append(message)

    @property
    def has_errors(self) -> bool:
        return bool(self.form.errors or self.form.form_errors or
                    any(s.errors for s in self.sections))


def _field_for(df: DecisionForm, path: str) -> str | None:
    m = re.match(r"^(\w+)(?:\.([a-z0-9_-]+))?(?:\[(\d+)\])?", path)
    if not m:
        return None
    name, gid, index = m.group(1), m.group(2), m.group(3)
    ids = df.groups.get(name, [])
    gi = ids.index(gid) if gid in ids else None
    if name == "counters_open" and gi is not None:
        return f"co_{gi}_{index or 0}"
    if name == "counter_serves" and gi is not None:
        return f"cs_{gi}"
    if name == "crews_on_shift" and gi is not None:
        return f"cr_{gi}"
    if name in ("kiosk_share", "diversion_campaign", "dispatch_policy", "surge_extra_crews",
                "seed"):
        return name
    return None


def _group_names(sc, attr: str) -> dict[str, str]:
    out = {}
    for g in getattr(sc, attr, []) or []:
        out[g.id] = pick(g.name.model_dump()) if g.name is not None else g.id
    return out


def decision_form(sc, specs: list[dict], *, with_seed: bool, values: dict | None = None,
                  seed: int | None = None, formdata=None) -> DecisionForm:
    """The decision form of a scenario. `values` prefill it (defaults otherwise)."""

    class Form(FlaskForm):
        pass

    values = values or {}
    sections: list[Section] = []
    groups: dict[str, list[str]] = {}
    data: dict = {}
    counter_names = _group_names(sc, "counters")
    crew_names = _group_names(sc, "crews")
    type_names = {t.id: (pick(t.name.model_dump()) if t.name is not None else t.id)
                  for t in getattr(sc, "service_types", []) or []}
    from simulations.result import clock

    for spec in specs:
        name, kind = spec["name"], spec["type"]
        label = pick(spec["label"])
        if kind == "per_hour_counts":
            hours = [clock(sc.start_clock, 60 * h) for h in range(spec["hours"])]
            section = Section(name, label, "grid", hours=hours,
                              help=str(_l("Counters open in each hour of the day.")))
            ids = []
            current = values.get(name, {})
            for gi, g in enumerate(spec["groups"]):
                ids.append(g["id"])
                names = []
                plan = current.get(g["id"], g["default"])
                for h in range(spec["hours"]):
                    fname = f"co_{gi}_{h}"
                    gname = counter_names.get(g["id"], g["id"])
                    setattr(Form, fname, _whole(g["min"], g["max"], f"{gname} {hours[h]}"))
                    data[fname] = plan[h] if h < len(plan) else g["default"][h]
                    names.append(fname)
                section.rows.append((str(_l("%(g)s (0–%(n)d)", g=counter_names.get(
                    g["id"], g["id"]), n=g["max"])), names))
            groups[name] = ids
        elif kind == "subsets":
            section = Section(name, label, "subsets", help=str(_l(
                "Which services each counter group handles. Every service needs at least one "
                "group.")))
            ids = []
            current = values.get(name, {})
            for gi, g in enumerate(spec["groups"]):
                ids.append(g["id"])
                fname = f"cs_{gi}"
                setattr(Form, fname, MultiCheckboxField(
                    counter_names.get(g["id"], g["id"]),
                    choices=[(c, type_names.get(c, c)) for c in spec["choices"]],
                    validators=[InputRequired(message=_l("Choose at least one service."))]))
                data[fname] = current.get(g["id"], g["default"])
                section.rows.append((counter_names.get(g["id"], g["id"]), [fname]))
            groups[name] = ids
        elif kind == "counts":
            section = Section(name, label, "single")
            ids = []
            current = values.get(name, {})
            for gi, g in enumerate(spec["groups"]):
                ids.append(g["id"])
                fname = f"cr_{gi}"
                setattr(Form, fname, _whole(g["min"], g["max"], str(_l(
                    "%(g)s (0–%(n)d)", g=crew_names.get(g["id"], g["id"]), n=g["max"]))))
                data[fname] = current.get(g["id"], g["default"])
                section.fields.append(fname)
            groups[name] = ids
        elif kind == "number":
            top = round(100 * spec["max"], 6)
            section = Section(name, label, "single", fields=["kiosk_share"], help=str(_l(
                "Percent of the customers who can use a kiosk that staff guide to one "
                "(0–%(m)s%%).", m=num(top))))
            Form.kiosk_share = FloatField(str(_l("%(l)s (%%)", l=label)), validators=[
                InputRequired(message=_l("Enter a number.")), _finite, _bounds(0, top)],
                render_kw={"min": 0, "max": top, "step": "any", "inputmode": "decimal"})
            data["kiosk_share"] = round(100 * values.get(name, spec["default"]), 6)
        elif kind == "boolean":
            section = Section(name, label, "single", fields=["diversion_campaign"])
            Form.diversion_campaign = BooleanField(label)
            data["diversion_campaign"] = bool(values.get(name, spec["default"]))
        elif kind == "choice":
            section = Section(name, label, "single", fields=["dispatch_policy"])
            Form.dispatch_policy = RadioField(label, choices=[
                (c["id"], pick(c["label"])) for c in spec["choices"]],
                validators=[InputRequired(message=_l("Choose a policy."))])
            data["dispatch_policy"] = values.get(name, spec["default"])
        elif kind == "integer":
            section = Section(name, label, "single", fields=["surge_extra_crews"])
            Form.surge_extra_crews = _whole(spec["min"], spec["max"], str(_l(
                "%(l)s (0–%(n)d)", l=label, n=spec["max"])))
            data["surge_extra_crews"] = values.get(name, spec["default"])
        else:  # manual assignments are made in step-through mode
            continue
        sections.append(section)
    Form.go = SelectField(choices=[("run", "run"), ("step", "step")], default="run")
    data["go"] = "run"
    if with_seed:
        Form.seed = IntegerField(_l("Seed (optional)"), validators=[
            Optional(), NumberRange(min=0, max=MAX_SEED - 1,
                                    message=_l("Enter a whole number from %(min)s to %(max)s."))],
            description=_l("The same seed gives the same customers or tickets, so you can "
                           "compare two plans fairly. Leave empty for a new day."),
            render_kw={"min": 0, "inputmode": "numeric"})
        data["seed"] = seed
    form = Form(formdata=formdata) if formdata is not None else Form(data=data)
    return DecisionForm(form, sections, specs, groups)


# --- step-through ------------------------------------------------------------------------

@dataclass
class StepForm:
    form: FlaskForm
    # (label, open-count field, services field)
    counters: list[tuple[str, str, str | None]] = field(default_factory=list)
    crews: list[tuple[str, str]] = field(default_factory=list)  # (label, field)
    assign: list[tuple[dict, str]] = field(default_factory=list)  # (ticket, field)
    singles: list[str] = field(default_factory=list)
    current: dict = field(default_factory=dict)
    index: dict = field(default_factory=dict)  # field → (action, group/ticket)

    def actions(self) -> list[StepAction]:
        """The actions whose fields differ from the situation now, in a sensible order."""
        f = self.form
        out: list[StepAction] = []
        later: list[StepAction] = []
        for name, (action, key) in self.index.items():
            value = f[name].data
            if action == "assign":
                if value:
                    later.append(StepAction("assign", {"ticket": key, "crew": value}, name))
                continue
            if action == "set_serves":
                value = list(value or [])
                if sorted(value) != sorted(self.current[name]):
                    out.append(StepAction(action, {"group": key, "types": value}, name))
                continue
            if action == "set_kiosk_share":
                value = round(value / 100.0, 6)
            if action == "set_campaign":
                value = bool(value)
            if value != self.current[name]:
                params = {"set_open": {"group": key, "count": value},
                          "set_crews": {"group": key, "count": value},
                          "set_policy": {"policy": value},
                          "set_standby": {"count": value},
                          "set_kiosk_share": {"share": value},
                          "set_campaign": {"on": value}}[action]
                out.append(StepAction(action, params, name))
        return out + later

    def duplicate_crews(self) -> str | None:
        chosen = [self.form[n].data for n, (a, _k) in self.index.items()
                  if a == "assign" and self.form[n].data]
        for crew in chosen:
            if chosen.count(crew) > 1:
                return crew
        return None


def step_form(sc, state: dict, actions: list[str], version: int, formdata=None) -> StepForm:
    """Fields for the actions open now, prefilled with the situation as it stands."""

    class Form(FlaskForm):
        version = HiddenField()
        go = SelectField(choices=[("apply", "apply"), ("continue", "continue"),
                                  ("finish", "finish")], default="continue")

    sf = StepForm(Form)
    data: dict = {"version": str(version), "go": "continue"}
    counter_names = _group_names(sc, "counters")
    crew_names = _group_names(sc, "crews")
    type_names = {t.id: (pick(t.name.model_dump()) if t.name is not None else t.id)
                  for t in getattr(sc, "service_types", []) or []}
    if sc.kind == "service_counter":
        staffed = [g for g in state["groups"] if g["kind"] == "counter"]
        limits = {g.id: g.limit for g in sc.counters}
        for gi, g in enumerate(staffed):
            label = counter_names.get(g["id"], g["id"])
            open_name = serves_name = None
            if "set_open" in actions:
                open_name = f"open_{gi}"
                setattr(Form, open_name, _whole(0, limits[g["id"]], str(_l(
                    "%(g)s: counters open (0–%(n)d)", g=label, n=limits[g["id"]]))))
                data[open_name] = sf.current[open_name] = g["target"]
                sf.index[open_name] = ("set_open", g["id"])
            if "set_serves" in actions:
                serves_name = f"serves_{gi}"
                setattr(Form, serves_name, MultiCheckboxField(
                    str(_l("%(g)s: services", g=label)),
                    choices=[(t, type_names.get(t, t)) for t in sc.type_ids],
                    validators=[InputRequired(message=_l("Choose at least one service."))]))
                data[serves_name] = sf.current[serves_name] = list(g["serves"])
                sf.index[serves_name] = ("set_serves", g["id"])
            sf.counters.append((label, open_name or "", serves_name))
        if "set_kiosk_share" in actions and state.get("kiosk_share") is not None:
            top = round(100 * sc.kiosks.share_limit, 6)
            Form.kiosk = FloatField(str(_l("Kiosk guidance (0–%(m)s%%)", m=num(top))),
                                    validators=[InputRequired(), _finite, _bounds(0, top)],
                                    render_kw={"step": "any", "min": 0, "max": top})
            data["kiosk"] = round(100 * state["kiosk_share"], 6)
            sf.current["kiosk"] = state["kiosk_share"]
            sf.index["kiosk"] = ("set_kiosk_share", None)
            sf.singles.append("kiosk")
        if "set_campaign" in actions:
            Form.campaign = BooleanField(str(_l("Online campaign running")))
            data["campaign"] = sf.current["campaign"] = bool(state["diversion_campaign"])
            sf.index["campaign"] = ("set_campaign", None)
            sf.singles.append("campaign")
    else:
        on_roster: dict[str, int] = {}
        standby = 0
        for c in state["crews"]:
            if c["on_roster"]:
                if c["group"] == "standby":
                    standby += 1
                else:
                    on_roster[c["group"]] = on_roster.get(c["group"], 0) + 1
        if "set_crews" in actions:
            for gi, g in enumerate(sc.crews):
                fname = f"crews_{gi}"
                label = crew_names.get(g.id, g.id)
                setattr(Form, fname, _whole(0, g.limit, str(_l(
                    "%(g)s on the roster (0–%(n)d)", g=label, n=g.limit))))
                data[fname] = sf.current[fname] = on_roster.get(g.id, 0)
                sf.index[fname] = ("set_crews", g.id)
                sf.crews.append((label, fname))
        if "set_policy" in actions:
            from simulations.catalogue import POLICY_LABELS

            Form.policy = SelectField(_l("Dispatch policy"), choices=[
                (p, pick({"zh": zh, "en": en})) for p, (zh, en) in POLICY_LABELS.items()])
            data["policy"] = sf.current["policy"] = state["policy"]
            sf.index["policy"] = ("set_policy", None)
            sf.singles.append("policy")
        if "set_standby" in actions:
            top = sc.storm.standby.max_crews
            Form.standby = _whole(0, top, str(_l("Standby crews called in (0–%(n)d)", n=top)))
            data["standby"] = sf.current["standby"] = standby
            sf.index["standby"] = ("set_standby", None)
            sf.singles.append("standby")
        if "assign" in actions and state["policy"] == "manual":
            zones = {z.id: (pick(z.name.model_dump()) if z.name else z.id) for z in sc.zones}
            idle = [(c["id"], f"{c['id']} · {zones.get(c['zone'], c['zone'])}")
                    for c in state["crews"] if c["state"] == "idle"]
            if idle:
                for t in state["waiting"]:
                    fname = f"as_{t['id']}"
                    setattr(Form, fname, SelectField(
                        str(_l("Crew for %(t)s", t=t["id"])),
                        choices=[("", "—"), *idle], default=""))
                    data[fname] = ""
                    sf.index[fname] = ("assign", t["id"])
                    sf.assign.append((t, fname))
    sf.form = Form(formdata=formdata) if formdata is not None else Form(data=data)
    return sf
