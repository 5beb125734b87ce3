"""The scenario-variant form: demand, resources, targets and open decisions of a scenario."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FloatField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lms.practice.scenarios import engine
from lms.practice.situation import kpi_info
from lms.practice.variants import VariantInput, target_kpis, variant_defaults
from lms.practice.wording import pick


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _count(label, lo: int, hi: int) -> IntegerField:
    return IntegerField(label, validators=[
        InputRequired(message=_l("Enter a whole number.")),
        NumberRange(min=lo, max=hi, message=_l("Enter a number from %(min)s to %(max)s."))],
        render_kw={"min": lo, "max": hi})


class VariantLayout:
    """Which fields the form has, grouped for the template."""

    def __init__(self):
        self.demand: list[tuple[str, str]] = []  # (label, field)
        self.groups: list[tuple[str, str, str]] = []  # (label, count field, max field)
        self.singles: list[str] = []
        self.targets: list[tuple[str, str, str]] = []  # (kpi, label, direction)


def variant_form(base, formdata=None):
    """The form for a variant of `base` (a stored Scenario), prefilled from it."""
    from simulations.catalogue import KIND_DECISIONS, LABELS
    from simulations.scenario import MAX_GROUP_SIZE

    sc = engine(base)
    layout = VariantLayout()

    class Form(FlaskForm):
        code = StringField(_l("Id of the variant"), validators=[DataRequired(), Length(max=64)],
                           description=_l("Lower case, e.g. month-end-peak-short-staffed. "
                                          "Learners see it in links."))
        name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(),
                                                                Length(max=200)])
        name_en = StringField(_l("Name (English)"), validators=[DataRequired(),
                                                                Length(max=200)])
        description_zh = TextAreaField(_l("The situation, for learners (Chinese)"),
                                       validators=[Optional(), Length(max=4000)])
        description_en = TextAreaField(_l("The situation, for learners (English)"),
                                       validators=[Optional(), Length(max=4000)])
        difficulty = SelectField(_l("Difficulty"), coerce=int, choices=[
            (0, "—"), (1, "1"), (2, "2"), (3, "3"), (4, "4"), (5, "5")])
        allow = MultiCheckboxField(_l("Decisions open to the learner"), choices=[
            (name, pick({"zh": LABELS[name][0], "en": LABELS[name][1]}))
            for name in KIND_DECISIONS[sc.kind]])
        go = SelectField(choices=[("preview", "preview"), ("save", "save")], default="preview")

    hours = sc.hours
    if sc.kind == "service_counter":
        setattr(Form, "demand-arrivals", TextAreaField(
            _l("Customers per hour (one number per opening hour, or one for all %(n)d)",
               n=hours), validators=[DataRequired()], render_kw={"rows": 2}))
        layout.demand.append((str(_l("Customers per hour")), "demand-arrivals"))
        groups = sc.counters
    else:
        for i, z in enumerate(sc.zones):
            name = pick(z.name.model_dump()) if z.name else z.id
            setattr(Form, f"demand-{i}", TextAreaField(
                _l("Fault tickets per hour in %(z)s (one number per hour, or one for all "
                   "%(n)d)", z=name, n=hours), validators=[DataRequired()],
                render_kw={"rows": 2}))
            layout.demand.append((name, f"demand-{i}"))
        groups = sc.crews
    for i, g in enumerate(groups):
        name = pick(g.name.model_dump()) if g.name else g.id
        setattr(Form, f"count-{i}", _count(_l("%(g)s: by default", g=name), 0, MAX_GROUP_SIZE))
        setattr(Form, f"max-{i}", _count(_l("%(g)s: at most", g=name), 0, MAX_GROUP_SIZE))
        layout.groups.append((name, f"count-{i}", f"max-{i}"))
    if sc.kind == "service_counter" and sc.kiosks is not None:
        Form.kiosks = _count(_l("Self-service kiosks"), 1, 50)
        layout.singles.append("kiosks")
    if sc.kind == "dispatch" and sc.storm is not None and sc.storm.standby is not None:
        Form.standby = _count(_l("Standby crews that can be called in"), 1, 50)
        layout.singles.append("standby")
    info = kpi_info(sc)
    for name in target_kpis(sc):
        meta = info[name]
        label = pick(meta["label"])
        setattr(Form, f"t-{name}-on", BooleanField(label))
        setattr(Form, f"t-{name}-goal", FloatField(
            _l("Goal"), validators=[Optional()], render_kw={"step": "any"}))
        setattr(Form, f"t-{name}-zero", FloatField(
            _l("No points at"), validators=[Optional()], render_kw={"step": "any"}))
        setattr(Form, f"t-{name}-weight", FloatField(
            _l("Weight"), default=1.0, validators=[Optional(), NumberRange(
                min=0.01, max=100, message=_l("Enter a number from %(min)s to %(max)s."))],
            render_kw={"step": "any"}))
        unit = {"share": "0–1", "0-100": "0–100"}.get(meta["unit"], meta["unit"])
        layout.targets.append((name, f"{label} ({unit})", meta["better"]))
    if formdata is not None:
        form = Form(formdata=formdata)
    else:
        form = Form(data=variant_defaults(base))
    return form, layout


def variant_input(form, layout: VariantLayout, base) -> tuple[VariantInput, list]:
    """The variant as plain values, plus (field, message) problems the form can tell."""
    sc = engine(base)
    problems: list[tuple[str, str]] = []
    streams = ["arrivals"] if sc.kind == "service_counter" else [z.id for z in sc.zones]
    demand = {stream: form[name].data
              for stream, (_label, name) in zip(streams, layout.demand, strict=True)}
    ids = [g.id for g in (sc.counters if sc.kind == "service_counter" else sc.crews)]
    groups = {}
    for gid, (_label, count, top) in zip(ids, layout.groups, strict=True):
        if form[count].data is not None and form[top].data is not None and \
                form[top].data < form[count].data:
            problems.append((top, str(_l("At most must be at least the number by default."))))
        groups[gid] = (form[count].data, form[top].data)
    targets: dict[str, tuple[float, float | None, float] | None] = {}
    for name, _label, _better in layout.targets:
        if not form[f"t-{name}-on"].data:
            targets[name] = None
            continue
        goal = form[f"t-{name}-goal"].data
        if goal is None:
            problems.append((f"t-{name}-goal", str(_l("Give the target value."))))
            continue
        targets[name] = (goal, form[f"t-{name}-zero"].data,
                         form[f"t-{name}-weight"].data or 1.0)
    data = VariantInput(
        code=form.code.data or "", name_zh=form.name_zh.data or "",
        name_en=form.name_en.data or "", description_zh=form.description_zh.data or "",
        description_en=form.description_en.data or "", difficulty=form.difficulty.data or None,
        demand=demand, groups=groups,
        kiosks=form.kiosks.data if "kiosks" in form else None,
        standby=form.standby.data if "standby" in form else None,
        targets=targets, allow=list(form.allow.data or []))
    return data, problems
