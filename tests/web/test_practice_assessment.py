"""Fair assessments through the pages: the same hidden days for every trainee, the score with
its uncertainty beside the reference plan's score on the same days, whole-day plans only,
and the unchanged starting plan passing only where the scenario says doing nothing is right."""

from __future__ import annotations

import re

from sqlalchemy import select

import simulations
from lms.practice.models import SimulationRun
from lms.practice.scenarios import engine, import_builtins, scenario_by_code
from tests.forms import form_fields

HALL = "quiet-weekday-hall"
MMC = "mmc-example"
REFERENCE_HALL = [2, 3, 3, 2, 2, 2, 3, 2, 2]


def _decision_form(client, path: str) -> dict[str, str]:
    html = client.get(path).get_data(as_text=True)
    return form_fields(html[html.rindex("<form", 0, html.index('id="decision-form"')):])


def _submit(client, path: str, changes: dict[str, str] | None = None, go: str = "run"):
    data = _decision_form(client, path)
    data.update(changes or {})
    data["go"] = go
    return client.post(path, data=data)


def _run(db, resp) -> SimulationRun:
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    public_id = re.search(r"/practice/runs/([^/]+)", resp.headers["Location"]).group(1)
    db.session.expire_all()
    return db.session.scalar(select(SimulationRun).where(SimulationRun.public_id == public_id))


def _plan(plan: list[int]) -> dict[str, str]:
    return {f"co_0_{h}": str(v) for h, v in enumerate(plan)}


def test_two_trainees_with_the_same_plan_get_the_same_score_on_the_same_hidden_days(
        client, login_as, auth, db):
    import_builtins()
    path = f"/learn/practice/scenarios/{HALL}/assessment"
    plan = _plan([2, 3, 3, 3, 2, 2, 3, 3, 2])
    login_as("learner", locale="en")
    first = _run(db, _submit(client, path, plan))
    html = client.get(f"/learn/practice/runs/{first.public_id}").get_data(as_text=True)
    auth.logout()
    login_as("learner", locale="en")
    second = _run(db, _submit(client, path, plan))
    assert first.user_id != second.user_id
    assert second.seed == first.seed and second.replications == first.replications
    assert second.score == first.score
    # The days are hidden: the seed is on no page, and practice cannot pick them by chance.
    assert str(first.seed) not in html and "Seed" not in html
    assert "the same hidden days for every trainee" in html
    # The score with its uncertainty, and the reference plan on the same days.
    sc = engine(scenario_by_code(HALL))
    again = simulations.run(sc, first.decisions, first.seed, first.replications)
    assert first.score == again.score
    lo, hi = again.score_ci95
    assert "95% interval over the days" in html and f"{lo:.1f} – {hi:.1f}" in html
    reference = simulations.run(sc, simulations.reference_plan(sc), first.seed,
                                first.replications)
    block = html[html.index('id="reference-score"'):]
    assert "Reference plan, same days" in block
    assert f"{reference.score:.1f}" in block[:400]
    assert first.result["reference"]["score"] == reference.score


def test_step_through_is_practice_only(client, login_as, db):
    import_builtins()
    login_as("learner", locale="en")
    path = f"/learn/practice/scenarios/{HALL}/assessment"
    page = client.get(path).get_data(as_text=True)
    assert "at most 24 staff-hours; over it the score shrinks, to 0 at 28.8" in page
    assert 'value="step"' not in page
    assert "Step-through is for practice" in page
    resp = _submit(client, path, _plan(REFERENCE_HALL), go="step")
    assert resp.status_code == 422
    assert "Assessments score a whole-day plan" in resp.get_data(as_text=True)
    assert db.session.scalar(select(SimulationRun.id)) is None  # no attempt was used
    practice = f"/learn/practice/scenarios/{HALL}"
    assert 'value="step"' in client.get(practice).get_data(as_text=True)


def test_the_unchanged_starting_plan_passes_only_where_the_scenario_says_so(
        client, login_as, db):
    import_builtins()
    login_as("learner", locale="en")
    hall = _run(db, _submit(client, f"/learn/practice/scenarios/{HALL}/assessment"))
    assert not engine(scenario_by_code(HALL)).defaults_pass
    assert hall.score < 70
    assert "not passed" in client.get(f"/learn/practice/runs/{hall.public_id}").get_data(
        as_text=True)
    reference = _run(db, _submit(client, f"/learn/practice/scenarios/{HALL}/assessment",
                                 _plan(REFERENCE_HALL)))
    assert reference.score >= 70
    mmc = _run(db, _submit(client, f"/learn/practice/scenarios/{MMC}/assessment"))
    assert engine(scenario_by_code(MMC)).defaults_pass  # the textbook answer is the start
    assert mmc.score >= 70


def test_the_debrief_advice_is_tested_on_the_same_days(client, login_as, db):
    import_builtins()
    login_as("learner", locale="en")
    path = f"/learn/practice/scenarios/{HALL}"
    first = _run(db, _submit(client, path, {"seed": "5", **_plan([4] * 9)}))
    html = client.get(f"/learn/practice/runs/{first.public_id}").get_data(as_text=True)
    top = first.result["advice"][0]
    assert top["from"] == first.score and top["days"] == first.replications
    advice = html[html.index('id="advice"'):]
    assert "What would have scored better" in html
    assert f"would have scored {top['score']:.1f} instead of {first.score:.1f}" in advice
    # Following it (as the learner would, in the form) gives that score on the same days.
    plan = top["decisions"]["counters_open"]["general"]
    second = _run(db, _submit(client, path, {"seed": "5", **_plan(plan)}))
    assert second.score == top["score"] > first.score


def test_the_month_end_reference_plan_passes_through_the_form(client, login_as, db):
    """What the browser journey (tests/e2e) does: pool the counters, follow the peaks."""
    import_builtins()
    login_as("learner", locale="en")
    path = "/learn/practice/scenarios/month-end-payment-peak/assessment"
    html = client.get(path).get_data(as_text=True)
    form = html[html.rindex("<form", 0, html.index('id="decision-form"')):]
    for kind in ("account_change", "consultation", "complaint"):
        assert f'name="cs_0" type="checkbox" value="{kind}"' in form or \
            re.search(rf'name="cs_0"[^>]*value="{kind}"', form)
    data = _decision_form(client, path)
    payment, general = [3, 5, 5, 4, 3, 3, 5, 5, 2], [3, 5, 6, 4, 3, 4, 5, 5, 3]
    for h in range(9):
        data[f"co_0_{h}"], data[f"co_1_{h}"] = str(payment[h]), str(general[h])
    data["kiosk_share"] = "50"
    every = ["payment", "account_change", "consultation", "complaint"]
    data["cs_0"] = every  # tick the three other types for the payment counters
    data["cs_1"] = every  # the general counters keep all four ticked (form_fields keeps one)
    data["go"] = "run"
    run = _run(db, client.post(path, data=data))
    assert run.decisions["counter_serves"]["payment"] == every
    assert run.score >= 70
