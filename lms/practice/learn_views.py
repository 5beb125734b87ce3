"""Practice drills for learners: scenarios, the decision form, results with charts,
step-through, replay for debriefing and the learner's history."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from lms.core.errors import ServiceError
from lms.core.routes import Routes
from lms.practice import pages
from lms.practice.attempts import allowance, assessment_rules, open_assessment
from lms.practice.debrief import describe_advice, describe_finding
from lms.practice.decisions import decision_specs, normalised_decisions
from lms.practice.learn_forms import decision_form, step_form
from lms.practice.replay import log_rows, replay, step_view
from lms.practice.runs import run_for, run_whole_day, start_step_through, step
from lms.practice.scenarios import engine, scenario_by_code, scenarios
from lms.practice.situation import situation
from lms.practice.stats import attached_courses, history, standings
from lms.practice.wording import pick

bp = Routes("learn")


def _scenario_or_404(code: str):
    scenario = scenario_by_code(code)
    if scenario is None:
        abort(404)
    return scenario


def _run_or_404(public_id: str):
    run = run_for(current_user, public_id)
    if run is None:
        abort(404)
    return run


# --- scenario list, scenario page, decision form ------------------------------------------

@bp.get("/practice/")
def practice_index():
    return render_template("learn/practice_index.html", scenarios=scenarios(),
                           mine=standings(current_user),
                           courses=attached_courses())


def _decision_page(scenario, mode: str):
    sc = engine(scenario)
    specs = decision_specs(scenario)
    assessment = mode == "assessment"
    rules = assessment_rules(scenario)
    values, seed = None, None
    if request.method == "GET":
        source = request.args.get("from")
        if source:
            earlier = run_for(current_user, source)
            if earlier is not None and earlier.scenario_id == scenario.id:
                values = normalised_decisions(scenario, earlier.decisions)
                if not assessment and earlier.mode == "practice" and \
                        request.args.get("same_seed"):
                    seed = earlier.seed
    df = decision_form(sc, specs, with_seed=not assessment, values=values, seed=seed,
                       formdata=request.form if request.method == "POST" else None)
    if request.method == "POST" and df.form.validate_on_submit():
        decisions = df.decisions()
        chosen_seed = None if assessment else df.form.seed.data
        try:
            if df.form.go.data == "step":
                run = start_step_through(current_user, scenario, decisions,
                                         mode=mode, seed=chosen_seed)
                return redirect(url_for("learn.practice_step", public_id=run.public_id))
            run = run_whole_day(current_user, scenario, decisions, mode=mode,
                                seed=chosen_seed)
        except ServiceError as e:
            df.add_error(e.field, str(e.message))
        else:
            return redirect(url_for("learn.practice_run", public_id=run.public_id))
    elif request.method == "POST" and "csrf_token" in df.form.errors:
        abort(400)
    sit = situation(scenario)
    used, limit = allowance(current_user.id, scenario, rules)
    return render_template(
        "learn/practice_scenario.html", scenario=scenario, sit=sit, df=df, mode=mode,
        demand_chart=pages.demand_chart(sit), rules=rules, used=used, limit=limit,
        open_assessment=open_assessment(current_user.id, scenario),
        left=(max(0, limit - used) if limit else None),
        history=history(current_user, scenario, limit=10), fmt=pages.fmt,
        manual_allowed="assignments" in {s["name"] for s in specs} or
        getattr(sc, "policy", "") == "manual"), 200 if not df.has_errors else 422


@bp.route("/practice/scenarios/<scenario>", methods=["GET", "POST"])
def practice_scenario(scenario: str):
    return _decision_page(_scenario_or_404(scenario), "practice")


@bp.route("/practice/scenarios/<scenario>/assessment", methods=["GET", "POST"])
def practice_assessment(scenario: str):
    return _decision_page(_scenario_or_404(scenario), "assessment")


# --- results -----------------------------------------------------------------------------

@bp.get("/practice/runs/<public_id>")
def practice_run(public_id: str):
    run = _run_or_404(public_id)
    if run.status != "finished":
        return redirect(url_for("learn.practice_step", public_id=run.public_id))
    result = run.result or {}
    sc = engine(run.scenario_yaml)
    rules = assessment_rules(run.scenario)
    info = result.get("kpi_info", {})
    return render_template(
        "learn/practice_result.html", run=run, result=result, kpis=pages.kpi_rows(result),
        breakdown=pages.breakdown(result), rules=rules,
        charts=pages.charts(result, sc.start_clock, pages.zone_names(sc)),
        findings=[describe_finding(f, info) for f in run.findings
                  if f.get("code") != "missed_target"],
        advice=[describe_advice(a, sc) for a in result.get("advice", [])],
        log=log_rows(sc, run.log or []),
        decisions=_decision_summary(run, sc))


def _decision_summary(run, sc) -> list[tuple[str, str]]:
    """The learner's decisions in words, for the result page."""
    from simulations.catalogue import LABELS, POLICY_LABELS

    out = []
    full = normalised_decisions(run.scenario, run.decisions)
    counters = {g.id: g for g in getattr(sc, "counters", []) or []}
    crews = {g.id: g for g in getattr(sc, "crews", []) or []}
    types = {t.id: t for t in getattr(sc, "service_types", []) or []}

    def name(obj, fallback):
        return pick(obj.name.model_dump()) if obj is not None and obj.name else fallback

    for key, value in full.items():
        label = pick({"zh": LABELS[key][0], "en": LABELS[key][1]})
        if key == "counters_open":
            text = "; ".join(f"{name(counters.get(g), g)}: {' '.join(str(x) for x in v)}"
                             for g, v in value.items())
        elif key == "counter_serves":
            text = "; ".join(f"{name(counters.get(g), g)}: " + ", ".join(
                name(types.get(t), t) for t in v) for g, v in value.items())
        elif key == "kiosk_share":
            text = f"{100 * value:g}%"
        elif key == "diversion_campaign":
            text = _("yes") if value else _("no")
        elif key == "crews_on_shift":
            text = "; ".join(f"{name(crews.get(g), g)}: {v}" for g, v in value.items())
        elif key == "dispatch_policy":
            text = pick(dict(zip(("zh", "en"), POLICY_LABELS[value], strict=True)))
        elif key == "assignments":
            continue
        else:
            text = str(value)
        out.append((label, text))
    return out


# --- step-through ------------------------------------------------------------------------

@bp.route("/practice/runs/<public_id>/step", methods=["GET", "POST"])
def practice_step(public_id: str):
    run = _run_or_404(public_id)
    if run.status == "finished":
        return redirect(url_for("learn.practice_run", public_id=run.public_id))
    try:
        view = step_view(run)
    except ServiceError as e:
        flash(str(e.message), "danger")
        return redirect(url_for("learn.practice_index"))
    sc = engine(run.scenario_yaml)
    sf = step_form(sc, view.state, view.actions, run.version,
                   formdata=request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not sf.form.validate_on_submit():
            if "csrf_token" in sf.form.errors:
                abort(400)
            status = 422
        elif sf.duplicate_crews():
            sf.form.form_errors.append(_("Crew %(c)s was chosen for two tickets.",
                                         c=sf.duplicate_crews()))
            status = 422
        else:
            try:
                version = int(sf.form.version.data or 0)
            except ValueError:
                version = -1
            try:
                step(current_user, run, sf.actions(), sf.form.go.data, version)
            except ServiceError as e:
                target = sf.form[e.field] if e.field and e.field in sf.form else None
                if target is not None:
                    target.errors = [*target.errors, str(e.message)]
                    status = 422
                else:
                    flash(str(e.message), "warning")
                    return redirect(url_for("learn.practice_step", public_id=run.public_id))
            else:
                if run.status == "finished":
                    flash(_("The shift is over. Here is how it went."), "success")
                    return redirect(url_for("learn.practice_run", public_id=run.public_id))
                return redirect(url_for("learn.practice_step", public_id=run.public_id))
    return render_template("learn/practice_step.html", run=run, view=view, sf=sf, sc=sc,
                           names=pages.names(sc), fmt=pages.fmt), status


@bp.get("/practice/runs/<public_id>/replay")
def practice_replay(public_id: str):
    run = _run_or_404(public_id)
    if run.status != "finished":
        return redirect(url_for("learn.practice_step", public_id=run.public_id))
    index = request.args.get("at", 0, type=int) or 0
    try:
        view = replay(run, index, verify=run.interactive)
    except ServiceError as e:
        flash(str(e.message), "danger")
        return redirect(url_for("learn.practice_run", public_id=run.public_id))
    sc = engine(run.scenario_yaml)
    return render_template("learn/practice_replay.html", run=run, view=view, sc=sc,
                           names=pages.names(sc), fmt=pages.fmt)


# --- history -----------------------------------------------------------------------------

@bp.get("/practice/history")
def practice_history():
    code = request.args.get("scenario") or None
    scenario = scenario_by_code(code, active_only=False) if code else None
    runs = history(current_user, scenario)
    scored = [r for r in reversed(runs) if r.score is not None]
    labels = [format_datetime(r.finished_at, "MM-dd HH:mm") if r.finished_at else ""
              for r in scored]
    chart = {"type": "line", "labels": labels, "datasets": [
        {"label": _("Practice"), "data": [r.score if r.mode == "practice" else None
                                          for r in scored], "spanGaps": True,
         "pointRadius": 3},
        {"label": _("Assessment"), "data": [r.score if r.mode == "assessment" else None
                                            for r in scored], "spanGaps": True,
         "pointRadius": 4, "borderDash": [6, 4]}],
        "scales": {"y": {"min": 0, "max": 100, "title": {"display": True,
                                                          "text": _("Score")}}}}
    return render_template("learn/practice_history.html", runs=runs, scenario=scenario,
                           chart=chart, scored=scored, labels=labels,
                           scenarios=scenarios(active_only=False))
