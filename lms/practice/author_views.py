"""Trainers: the practice scenarios, their statistics, and variants made in the browser."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.practice import pages, variants
from lms.practice.author_forms import variant_form, variant_input
from lms.practice.scenarios import engine, scenario_by_code, scenarios
from lms.practice.stats import attached_courses, run_counts, stats

bp = Routes("author")


def _scenario_or_404(code: str):
    scenario = scenario_by_code(code, active_only=False)
    if scenario is None:
        abort(404)
    return scenario


@bp.get("/practice/")
def practice_scenarios():
    return render_template("author/practice_scenarios.html",
                           scenarios=scenarios(active_only=False),
                           counts=run_counts(), courses=attached_courses(),
                           form=FlaskForm())


@bp.get("/practice/<scenario>/stats")
def practice_stats(scenario: str):
    found = _scenario_or_404(scenario)
    mode = request.args.get("mode", "assessment")
    if mode not in ("assessment", "practice"):
        mode = "assessment"
    s = stats(found, mode)
    bands = ["0–9", "10–19", "20–29", "30–39", "40–49", "50–59", "60–69", "70–79", "80–89",
             "90–100"]
    chart = {"type": "bar", "labels": bands,
             "datasets": [{"label": _("Runs"), "data": s.histogram}],
             "scales": {"y": {"beginAtZero": True, "ticks": {"precision": 0},
                              "title": {"display": True, "text": _("Runs")}},
                        "x": {"title": {"display": True, "text": _("Score")}}}}
    return render_template("author/practice_stats.html", scenario=found, s=s, chart=chart,
                           bands=bands, mode=mode)


def _variant_page(base, existing=None):
    form, layout = variant_form(existing or base,
                                formdata=request.form if request.method == "POST" else None)
    if request.method == "GET" and existing is not None:
        form.code.data = existing.code
    preview = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            data, problems = variant_input(form, layout, existing or base)
            for name, message in problems:
                form[name].errors = [*form[name].errors, message]
            if not problems:
                try:
                    if form.go.data == "save":
                        row = variants.save_variant(base, data, current_user, existing)
                        flash(_("Variant “%(c)s” saved. Learners find it in the practice list.",
                                c=row.code), "success")
                        return redirect(url_for("author.practice_scenarios"))

                    def taken(code: str) -> bool:
                        other = scenario_by_code(code, active_only=False)
                        return other is not None and (existing is None or other.id != existing.id)

                    raw, _variant = variants.build_variant(existing or base, data,
                                                           code_taken=taken)
                    preview = variants.preview(raw)
                except variants.VariantError as e:
                    for name, message in e.problems:
                        if name and name in form:
                            form[name].errors = [*form[name].errors, message]
                        else:
                            form.form_errors.append(message)
        if form.errors or form.form_errors:
            status = 422
    sc = engine(existing or base)
    return render_template(
        "author/practice_variant.html", base=base, existing=existing, form=form,
        layout=layout, preview=preview, fmt=pages.fmt,
        kpis=pages.kpi_rows(preview) if preview else [],
        breakdown=pages.breakdown(preview) if preview else [],
        charts=pages.charts(preview, sc.start_clock, pages.zone_names(sc)) if preview else []
    ), status


@bp.route("/practice/<scenario>/variant", methods=["GET", "POST"])
def practice_variant(scenario: str):
    return _variant_page(_scenario_or_404(scenario))


@bp.route("/practice/<scenario>/edit", methods=["GET", "POST"])
def practice_variant_edit(scenario: str):
    existing = _scenario_or_404(scenario)
    if existing.source != "variant":
        flash(_("Built-in scenarios are not edited here: make a variant of it."), "info")
        return redirect(url_for("author.practice_variant", scenario=existing.code))
    base = existing.based_on or existing
    return _variant_page(base, existing)


@bp.post("/practice/<scenario>/active")
def practice_toggle(scenario: str):
    row = _scenario_or_404(scenario)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if row.source != "variant":
        flash(_("Only variants can be retired."), "warning")
    else:
        try:
            variants.set_active(row, not row.active, current_user)
        except ServiceError as e:
            flash(str(e.message), "danger")
        else:
            flash(_("Variant “%(c)s” is available to learners again.", c=row.code) if row.active
                  else _("Variant “%(c)s” retired: learners no longer see it; past runs stay.",
                         c=row.code), "success")
    return redirect(url_for("author.practice_scenarios"))
