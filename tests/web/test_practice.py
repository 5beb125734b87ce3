"""Practice drills through the pages: the decision form, results, assessment rules,
step-through with replay, course completion and certification, trainer variants, the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from sqlalchemy import func, select

import simulations
from lms.catalog import learning
from lms.catalog.learning_models import Enrollment
from lms.certification import rules as certification
from lms.certification.models import Award
from lms.extensions import db as _db
from lms.practice import scenarios
from lms.practice.attempts import assessment_rules, attempts_used
from lms.practice.debrief import describe_finding
from lms.practice.models import Scenario, SimulationRun
from lms.practice.replay import step_view
from lms.practice.runs import run_whole_day, start_step_through
from lms.practice.scenarios import engine, import_builtins, scenario_by_code
from lms.practice.variants import VariantInput, save_variant
from tests.conftest import csrf_from
from tests.factories import import_package, write_package

HALL = "quiet-weekday-hall"
PEAK = "month-end-payment-peak"
DISPATCH = "normal-dispatch-day"
NIGHT = "mixed-night-shift"
GOOD_HALL = [2, 3, 3, 2, 2, 2, 3, 2, 2]  # scores 100 on most days
POOR_HALL = [1] * 9  # far too few counters: a low score


def _import(db) -> None:
    import_builtins()


def _scenario(db, code: str) -> Scenario:
    _import(db)
    return scenario_by_code(code)


def _post(client, path: str, data: dict, page: str | None = None):
    token = csrf_from(client.get(page or path).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def _plan(plan: list[int], **extra) -> dict:
    data = {f"co_0_{h}": str(v) for h, v in enumerate(plan)}
    data.update({"go": "run", **extra})
    return data


def _run(db, public_id: str) -> SimulationRun:
    db.session.expire_all()
    return db.session.scalar(select(SimulationRun).where(SimulationRun.public_id == public_id))


def _run_id(resp) -> str:
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    return re.search(r"/practice/runs/([^/]+)", resp.headers["Location"]).group(1)


# --- scenarios and the CLI --------------------------------------------------------------

def test_cli_import_scenarios_is_idempotent(runner, db):
    first = runner.invoke(args=["lms", "import-scenarios"])
    assert first.exit_code == 0, first.output
    assert f"{HALL}: created" in first.output
    count = db.session.scalar(select(func.count(Scenario.id)))
    assert count == len(simulations.builtin_scenarios())
    again = runner.invoke(args=["lms", "import-scenarios"])
    assert again.exit_code == 0 and f"{HALL}: unchanged" in again.output
    assert "created" not in again.output
    assert db.session.scalar(select(func.count(Scenario.id))) == count


def test_cli_import_reports_a_broken_file_in_one_line(runner, db, monkeypatch, tmp_path):
    import simulations.scenario as sc_mod

    (tmp_path / "broken.yaml").write_text("kind: service_counter\nid: broken\n",
                                          encoding="utf-8")
    monkeypatch.setattr(sc_mod, "BUILTIN_DIR", Path(tmp_path))
    result = runner.invoke(args=["lms", "import-scenarios"])
    assert result.exit_code == 1
    assert "broken.yaml" in result.output and "Traceback" not in result.output


def test_scenario_page_shows_the_situation_and_the_decision_form(client, login_as, db):
    _scenario(db, HALL)
    login_as("learner", locale="en")
    index = client.get("/learn/practice/").get_data(as_text=True)
    assert "A quiet weekday in a county business hall" in index
    html = client.get(f"/learn/practice/scenarios/{HALL}").get_data(as_text=True)
    assert "08:30" in html and "17:30" in html  # the day
    assert "data-chart=" in html and "Expected demand by hour" in html  # demand chart
    assert "Show the figures as a table" in html  # and its table alternative
    assert "General counters" in html  # the resources
    for h in range(9):  # one field per opening hour, bounded by the scenario
        assert re.search(rf'id="co_0_{h}"[^>]*max="5"', html) or \
            re.search(rf'max="5"[^>]*id="co_0_{h}"', html), h
    assert 'name="seed"' in html


# --- decision form ----------------------------------------------------------------------

def test_decision_form_enforces_bounds_with_field_errors(client, login_as, db):
    _scenario(db, HALL)
    login_as("learner", locale="en")
    path = f"/learn/practice/scenarios/{HALL}"
    plan = _plan([3] * 9)
    plan["co_0_3"] = "9"  # at most 5 counters
    plan["co_0_5"] = "two"
    resp = _post(client, path, plan)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert re.search(r'id="co_0_3"[^>]*is-invalid|is-invalid[^>]*id="co_0_3"', html)
    assert "from 0 to 5" in html
    assert re.search(r'id="co_0_5"[^>]*is-invalid|is-invalid[^>]*id="co_0_5"', html)
    assert db.session.scalar(select(func.count(SimulationRun.id))) == 0


def test_engine_errors_land_next_to_the_decision(client, login_as, db):
    _scenario(db, PEAK)
    login_as("learner", locale="en")
    path = f"/learn/practice/scenarios/{PEAK}"
    data = {f"co_{g}_{h}": "4" for g in range(2) for h in range(9)}
    data.update({"cs_0": ["payment"], "cs_1": ["payment"],  # other services served by nobody
                 "kiosk_share": "25", "go": "run"})
    resp = _post(client, path, data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    section = html[html.index('id="sec-counter_serves"'):]
    assert "No counter group serves “Account opening or change”" in section[:3000]
    data.update({"cs_1": ["payment", "account_change", "consultation", "complaint"],
                 "kiosk_share": "80"})  # guidance can reach 50% at most
    html = _post(client, path, data).get_data(as_text=True)
    assert re.search(r'id="kiosk_share"[^>]*is-invalid|is-invalid[^>]*id="kiosk_share"', html)
    assert db.session.scalar(select(func.count(SimulationRun.id))) == 0


def test_manual_dispatch_needs_step_through(client, login_as, db):
    _scenario(db, NIGHT)
    login_as("learner", locale="en")
    path = f"/learn/practice/scenarios/{NIGHT}"
    data = {"cr_0": "1", "cr_1": "1", "cr_2": "0", "dispatch_policy": "manual", "go": "run"}
    resp = _post(client, path, data)
    assert resp.status_code == 422 and "Step through the day" in resp.get_data(as_text=True)
    data["go"] = "step"
    run = _run(db, _run_id(_post(client, path, data)))
    assert run.interactive and run.status == "open"


# --- results ----------------------------------------------------------------------------

def test_practice_run_result_page_with_kpis_charts_and_tables(client, login_as, db):
    scenario = _scenario(db, HALL)
    login_as("learner", locale="en")
    run_id = _run_id(_post(client, f"/learn/practice/scenarios/{HALL}",
                           _plan([3, 3, 3, 3, 2, 3, 3, 3, 2], seed="42")))
    run = _run(db, run_id)
    assert run.status == "finished" and run.seed == 42 and run.mode == "practice"
    # The score is the engine's for these decisions, seed and replications.
    again = simulations.run(engine(scenario), run.decisions, 42, run.replications)
    assert run.score == again.score and 20 <= run.replications <= 30
    html = client.get(f"/learn/practice/runs/{run_id}").get_data(as_text=True)
    assert f"{run.score:.1f}" in html
    assert 'id="breakdown"' in html and "≤ 15.0 min" in html  # against the targets
    kpis = html[html.index('id="kpis"'):]
    assert re.search(r"\d+\.\d min – \d+\.\d min", kpis)  # confidence intervals
    assert "Queue length and counters over the day" in html
    assert html.count("data-chart=") >= 1 and "Customers waiting" in html
    assert "Show the figures as a table" in html
    assert "Seed 42" in html


def test_dispatch_result_shows_backlog_crews_and_arrivals_against_commitment(
        client, login_as, db):
    _scenario(db, DISPATCH)
    login_as("learner", locale="en")
    data = {"cr_0": "2", "cr_1": "2", "cr_2": "1", "dispatch_policy": "priority_first",
            "go": "run"}
    run_id = _run_id(_post(client, f"/learn/practice/scenarios/{DISPATCH}", data))
    html = client.get(f"/learn/practice/runs/{run_id}").get_data(as_text=True)
    for title in ("Backlog over the day", "Crews busy over the day",
                  "Arrival times against the commitment"):
        assert title in html
    assert "Every ticket" in html and "T0000" in html  # the text alternative, per ticket


def test_one_replication_shows_no_interval(client, login_as, db):
    _scenario(db, HALL)
    login_as("learner", locale="en")
    run_id = _run_id(_post(client, f"/learn/practice/scenarios/{HALL}",
                           _plan([3] * 9, go="step")))
    _post(client, f"/learn/practice/runs/{run_id}/step", {
        "version": str(_run(db, run_id).version), "go": "finish", "open_0": "3"})
    html = client.get(f"/learn/practice/runs/{run_id}").get_data(as_text=True)
    assert "there is no confidence interval" in html
    kpis = html[html.index('id="kpis"'):html.index("</table>", html.index('id="kpis"'))]
    assert "—" in kpis


# --- assessment -------------------------------------------------------------------------

def test_assessment_seed_is_not_choosable_nor_shown_and_score_not_forgeable(
        client, login_as, db):
    scenario = _scenario(db, HALL)
    login_as("learner", locale="en")
    path = f"/learn/practice/scenarios/{HALL}/assessment"
    page = client.get(path).get_data(as_text=True)
    assert 'name="seed"' not in page
    run_id = _run_id(_post(client, path, _plan(POOR_HALL, seed="123", score="100",
                                               mode="practice")))
    run = _run(db, run_id)
    assert run.mode == "assessment" and run.seed != 123
    expected = simulations.run(engine(scenario), run.decisions, run.seed,
                               run.replications).score
    assert run.score == expected < 100
    html = client.get(f"/learn/practice/runs/{run_id}").get_data(as_text=True)
    assert str(run.seed) not in html and "Seed" not in html  # the days stay hidden
    # Step-through is practice only: one day is too much luck to assess on.
    assert _post(client, path, _plan([3] * 9, go="step"), page=path).status_code == 422


def test_assessment_attempts_are_limited(client, login_as, db, make, tmp_path):
    _scenario(db, HALL)
    _course_with_practice(tmp_path, "PRA-1", HALL, max_attempts=2)
    user = login_as("learner", locale="en")
    path = f"/learn/practice/scenarios/{HALL}/assessment"
    for _ in range(2):
        _run_id(_post(client, path, _plan(POOR_HALL)))
    resp = _post(client, path, _plan(POOR_HALL))
    assert resp.status_code == 422
    assert "used all 2 assessment attempts" in resp.get_data(as_text=True)
    assert attempts_used(user.id, scenario_by_code(HALL)) == 2
    assert "no attempts left" in client.get(path).get_data(as_text=True)
    # Practice stays free.
    _run_id(_post(client, f"/learn/practice/scenarios/{HALL}", _plan(POOR_HALL)))


def test_another_users_run_is_not_found(client, login_as, auth, db, make):
    scenario = _scenario(db, HALL)
    owner = make.user()
    run = run_whole_day(owner, scenario, {"counters_open": {"general": [3] * 9}})
    step = start_step_through(owner, scenario, {})
    login_as("learner", locale="en")
    for url in (f"/learn/practice/runs/{run.public_id}",
                f"/learn/practice/runs/{run.public_id}/replay",
                f"/learn/practice/runs/{step.public_id}/step"):
        assert client.get(url).status_code == 404, url
    token = csrf_from(client.get("/learn/practice/").get_data(as_text=True))
    resp = client.post(f"/learn/practice/runs/{step.public_id}/step",
                       data={"csrf_token": token, "version": "1", "go": "finish"})
    assert resp.status_code == 404
    assert _run(db, step.public_id).status == "open"


# --- step-through -----------------------------------------------------------------------

def test_step_through_pause_apply_continue_then_replay_is_identical(client, login_as, db):
    scenario = _scenario(db, HALL)
    login_as("learner", locale="en")
    run_id = _run_id(_post(client, f"/learn/practice/scenarios/{HALL}",
                           _plan([3] * 9, go="step", seed="7")))
    step_url = f"/learn/practice/runs/{run_id}/step"
    html = client.get(step_url).get_data(as_text=True)
    assert 'id="clock">09:30' in html  # paused at the first full hour
    assert "Waiting customers" in html and "customers waiting" in html
    run = _run(db, run_id)
    resp = _post(client, step_url, {"version": str(run.version), "open_0": "4",
                                    "go": "continue"})
    assert resp.status_code == 302
    html = client.get(step_url).get_data(as_text=True)
    assert 'id="clock">10:30' in html and "4 counters open from now on" in html
    run = _run(db, run_id)
    _post(client, step_url, {"version": str(run.version), "open_0": "2", "go": "apply"})
    run = _run(db, run_id)
    assert [e["action"] for e in run.log] == ["set_open", "set_open"]
    assert run.clock_min == 120.0 and run.status == "open"
    # A page from before the last step cannot act twice.
    stale = _post(client, step_url, {"version": "1", "open_0": "5", "go": "continue"})
    assert stale.status_code == 302 and len(_run(db, run_id).log) == 2
    resp = _post(client, step_url, {"version": str(run.version), "open_0": "2",
                                    "go": "finish"})
    assert resp.headers["Location"].endswith(f"/learn/practice/runs/{run_id}")
    run = _run(db, run_id)
    assert run.status == "finished" and run.score is not None
    # Replaying scenario + seed + log gives the very same result.
    again = simulations.Session.replay(engine(scenario), run.log, run.decisions,
                                       run.seed).finish()
    assert again.score == run.score
    assert {k: v.mean for k, v in again.kpis.items()} == run.kpis
    html = client.get(f"/learn/practice/runs/{run_id}/replay?at=1").get_data(as_text=True)
    assert "exactly the stored result" in html
    assert 'id="clock">09:30' in html and "4 counters open from now on" in html
    html = client.get(f"/learn/practice/runs/{run_id}/replay?at=0").get_data(as_text=True)
    assert "No decision at this moment." in html


def test_paused_run_survives_a_restart(app, client, login_as, db):
    _scenario(db, HALL)
    login_as("learner", locale="en")
    run_id = _run_id(_post(client, f"/learn/practice/scenarios/{HALL}",
                           _plan([3] * 9, go="step")))
    run = _run(db, run_id)
    _post(client, f"/learn/practice/runs/{run_id}/step",
          {"version": str(run.version), "open_0": "5", "go": "continue"})
    before = step_view(_run(db, run_id)).state
    # "Restart": forget every cached scenario and start from a new app context and session.
    scenarios._parse.cache_clear()
    with app.app_context():
        _db.session.remove()
        fresh = _db.session.scalar(select(SimulationRun).where(
            SimulationRun.public_id == run_id))
        after = step_view(fresh).state
    assert after == before and after["clock"] == "10:30"
    html = client.get(f"/learn/practice/runs/{run_id}/step").get_data(as_text=True)
    assert 'id="clock">10:30' in html


def test_manual_dispatch_pauses_for_a_waiting_ticket_and_assigns_a_crew(client, login_as, db):
    _scenario(db, NIGHT)
    login_as("learner", locale="en")
    path = f"/learn/practice/scenarios/{NIGHT}"
    run_id = _run_id(_post(client, path, {"cr_0": "1", "cr_1": "1", "cr_2": "0",
                                          "dispatch_policy": "manual", "go": "step",
                                          "seed": "3"}))
    step_url = f"/learn/practice/runs/{run_id}/step"
    for _ in range(30):  # continue until a ticket waits with a crew free
        run = _run(db, run_id)
        html = client.get(step_url).get_data(as_text=True)
        if "Send a crew" in html:
            break
        _post(client, step_url, {"version": str(run.version), "go": "continue",
                                 "crews_0": "1", "crews_1": "1", "crews_2": "0",
                                 "policy": "manual"})
    else:
        raise AssertionError("never paused for a waiting ticket")
    run = _run(db, run_id)
    assert run.clock_min % 60 != 0 or run.clock_min > 0  # a ticket's moment, not only hours
    ticket = re.search(r'name="as_(T\d+)"', html).group(1)
    crew = re.search(rf'name="as_{ticket}"[^>]*>.*?<option value="([a-z]+-\d+)"', html,
                     re.S).group(1)
    resp = _post(client, step_url, {"version": str(run.version), "go": "apply",
                                    "crews_0": "1", "crews_1": "1", "crews_2": "0",
                                    "policy": "manual", f"as_{ticket}": crew})
    assert resp.status_code == 302
    run = _run(db, run_id)
    assert run.log[-1] == {"at_min": run.clock_min, "action": "assign", "ticket": ticket,
                           "crew": crew}
    assert f"Crew {crew} sent to ticket {ticket}" in client.get(step_url).get_data(as_text=True)


# --- course completion and certification -------------------------------------------------

def _course_with_practice(root, code: str, scenario: str, **item):
    folder = write_package(root, code, lessons=1, quiz=False)
    manifest = yaml.safe_load((folder / "course.yaml").read_text(encoding="utf-8"))
    manifest["practice"] = [{"scenario": scenario,
                             "title": {"zh": "演练", "en": "Drill"},
                             "pass_score": item.get("pass_score", 70),
                             "required": item.get("required", True),
                             "max_attempts": item.get("max_attempts", 3)}]
    (folder / "course.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True),
                                        encoding="utf-8")
    return import_package(folder)


def test_course_completes_only_when_the_required_practice_is_passed(
        client, login_as, db, tmp_path):
    _scenario(db, HALL)
    course = _course_with_practice(tmp_path, "PRA-2", HALL)
    user = login_as("learner", locale="en")
    learning.enroll(user, course)
    from lms.catalog.models import Lesson

    lesson = db.session.scalar(select(Lesson).where(Lesson.course_id == course.id))
    assert learning.complete_lesson(user, course, lesson) is False  # the drill is missing
    html = client.get(f"/learn/courses/{course.code}").get_data(as_text=True)
    assert f"/learn/practice/scenarios/{HALL}/assessment" in html
    path = f"/learn/practice/scenarios/{HALL}/assessment"
    _run_id(_post(client, path, _plan(POOR_HALL)))
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id))
    db.session.refresh(enrollment)
    assert enrollment.completed_at is None  # a failed attempt does not complete it
    practice_run = _run(db, _run_id(_post(client, f"/learn/practice/scenarios/{HALL}",
                                          _plan(GOOD_HALL))))
    assert practice_run.score >= 70
    db.session.refresh(enrollment)
    assert enrollment.completed_at is None  # practice runs never count
    run = _run(db, _run_id(_post(client, path, _plan(GOOD_HALL))))
    assert run.score >= 70
    db.session.refresh(enrollment)
    assert enrollment.completed_at is not None


def test_certification_issued_when_the_scenario_requirement_is_met(
        client, login_as, db, make):
    _scenario(db, HALL)
    hr = make.user(roles={"hr"})
    cert = certification.save_certification(
        None, code="C-HALL", name_zh="营业厅排班", name_en="Hall staffing",
        description_zh="", description_en="", validity_months=24, recert_window_days=60,
        requirements=[("scenario", HALL, 75)], actor=hr)
    user = login_as("learner", locale="en")
    path = f"/learn/practice/scenarios/{HALL}/assessment"
    _run_id(_post(client, path, _plan(POOR_HALL)))
    assert db.session.scalar(select(Award).where(Award.user_id == user.id)) is None
    run = _run(db, _run_id(_post(client, path, _plan(GOOD_HALL))))
    award = db.session.scalar(select(Award).where(Award.user_id == user.id))
    assert award is not None and award.certification_id == cert.id
    evidence = award.evidence["requirements"][0]
    assert evidence["run"] == run.public_id and evidence["score"] == run.score
    # Evidence older than `since` (recertification) does not count.
    from datetime import UTC, datetime, timedelta

    from lms.core import requirements

    req = requirements.Requirement("scenario", HALL, 75)
    later = datetime.now(UTC) + timedelta(days=1)
    assert requirements.check(user.id, req, later).met is False
    assert requirements.check(user.id, req, None).met is True


def test_course_package_practice_items_import_and_export(db, tmp_path):
    from lms.catalog.models import CourseRequirement
    from lms.catalog.package import load_package
    from lms.studio import packages as course_packages

    course = _course_with_practice(tmp_path, "PRA-3", PEAK, pass_score=75, max_attempts=2)
    req = db.session.scalar(select(CourseRequirement).where(
        CourseRequirement.course_id == course.id))
    assert (req.kind, req.ref, req.pass_score, req.required) == ("scenario", PEAK, 75, True)
    assert req.extra["max_attempts"] == 2
    assert assessment_rules(scenario_by_code(PEAK)).max_attempts == 2
    out = course_packages.export_course(course, tmp_path / "out")
    manifest = yaml.safe_load((out / "course.yaml").read_text(encoding="utf-8"))
    assert manifest["practice"][0]["scenario"] == PEAK
    assert load_package(out).spec.practice[0].pass_score == 75
    # An unknown scenario stops the import of that course, changing nothing.
    folder = write_package(tmp_path / "bad", "PRA-4", lessons=1, quiz=False)
    manifest = yaml.safe_load((folder / "course.yaml").read_text(encoding="utf-8"))
    manifest["practice"] = [{"scenario": "no-such-drill", "title": {"zh": "演练", "en": "D"}}]
    (folder / "course.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    results = course_packages.import_folder(tmp_path / "bad")
    assert results[0].action == "failed" and "no-such-drill" in str(results[0].problems[0])
    assert learning.published_course("PRA-4") is None


def test_builtin_courses_attach_their_drills():
    from lms.catalog.package import load_package

    root = Path(__file__).resolve().parents[2] / "courses"
    hall = load_package(root / "sv-401-hall-service").spec.practice
    dispatch = load_package(root / "dp-501-fault-dispatch").spec.practice
    builtins = simulations.builtin_scenarios()
    for item in [*hall, *dispatch]:
        assert item.scenario in builtins and item.pass_score == 70
    assert {i.scenario for i in hall if i.required} == {PEAK}
    assert {i.scenario for i in dispatch if i.required} == {DISPATCH, "typhoon-surge"}


# --- history and trainer pages -----------------------------------------------------------

def test_history_lists_runs_with_a_score_chart(client, login_as, db):
    _scenario(db, HALL)
    login_as("learner", locale="en")
    for plan in (POOR_HALL, GOOD_HALL):
        _run_id(_post(client, f"/learn/practice/scenarios/{HALL}", _plan(plan)))
    html = client.get("/learn/practice/history").get_data(as_text=True)
    assert "Scores over time" in html and "data-chart=" in html
    assert html.count("/learn/practice/runs/") >= 2


def test_trainer_sees_score_distribution_and_common_mistakes(client, login_as, db, make):
    scenario = _scenario(db, HALL)
    for plan in (POOR_HALL, POOR_HALL, GOOD_HALL):
        run_whole_day(make.user(), scenario, {"counters_open": {"general": plan}},
                      mode="assessment")
    login_as("trainer", locale="en")
    html = client.get(f"/author/practice/{HALL}/stats").get_data(as_text=True)
    assert "Score distribution" in html and "data-chart=" in html
    mistakes = html[html.index('id="mistakes"'):]
    assert "Too few counters open at the peak hour" in mistakes
    assert re.search(r"<td>2</td><td>67%</td>", mistakes)
    listing = client.get("/author/practice/").get_data(as_text=True)
    assert HALL in listing and "0 / 3" in listing


def _variant_data(form_html: str, **changes) -> dict:
    """The variant form's values as the browser would post them."""
    data = {}
    for m in re.finditer(r'<input([^>]*)>', form_html):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', m.group(1)))
        name = attrs.get("name")
        if not name or name == "csrf_token":
            continue
        if attrs.get("type") == "checkbox":
            if "checked" in m.group(1):
                data.setdefault(name, []).append(attrs.get("value", "y"))
        else:
            data[name] = attrs.get("value", "")
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form_html, re.S):
        data[m.group(1)] = m.group(2).strip()
    for m in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', form_html, re.S):
        chosen = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected',
                           m.group(2))
        if chosen:
            data[m.group(1)] = chosen.group(1) or chosen.group(2)
    data.update(changes)
    return data


def test_trainer_variant_validation_preview_and_save(client, login_as, auth, db):
    _scenario(db, HALL)
    login_as("trainer", locale="en")
    path = f"/author/practice/{HALL}/variant"
    form_html = client.get(path).get_data(as_text=True)
    assert "Customers per hour" in form_html
    bad = _variant_data(form_html, code="Bad Code", **{"demand-arrivals": "12, x",
                                                       "go": "preview"})
    resp = _post(client, path, bad)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Use a lower-case id" in html and "one number per hour" in html
    wrong = _variant_data(form_html, code="hall-busy", **{"demand-arrivals": "10, 20, 30",
                                                          "go": "preview"})
    assert "(9 values)" in _post(client, path, wrong).get_data(as_text=True)
    engine_says = _variant_data(form_html, code="hall-busy", allow=["kiosk_share"],
                                go="preview")
    html = _post(client, path, engine_says).get_data(as_text=True)
    assert "kiosk_share needs kiosks in the scenario" in html
    huge = _variant_data(form_html, code="hall-busy", **{"demand-arrivals": "2000",
                                                         "go": "preview"})
    assert "at most 10000" in _post(client, path, huge).get_data(as_text=True)
    good = _variant_data(form_html, code="hall-busy", name_en="A busier weekday",
                         **{"demand-arrivals": "24, 40, 44, 32, 20, 28, 38, 32, 18",
                            "max-0": "8", "go": "preview"})
    resp = _post(client, path, good)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'id="preview"' in html and "with the default" in html
    assert db.session.scalar(select(Scenario).where(Scenario.code == "hall-busy")) is None
    resp = _post(client, path, {**good, "go": "save"})
    assert resp.status_code == 302
    variant = db.session.scalar(select(Scenario).where(Scenario.code == "hall-busy"))
    assert variant.source == "variant" and variant.based_on.code == HALL
    sc = engine(variant)
    assert sc.arrivals.profile[1] == 40 and sc.counters[0].limit == 8
    assert "# Variant of quiet-weekday-hall" in variant.yaml
    # Learners can practise it at once.
    auth.logout()
    login_as("learner", locale="en")
    assert client.get("/learn/practice/scenarios/hall-busy").status_code == 200


def test_variant_edit_keeps_past_runs_as_they_were(client, login_as, db, make):
    base = _scenario(db, HALL)
    trainer = make.user(roles={"trainer"})
    data = VariantInput(
        code="hall-var", name_zh="变体", name_en="Variant", description_zh="",
        description_en="", difficulty=2, demand={"arrivals": "15"},
        groups={"general": (3, 5)}, kiosks=None, standby=None,
        targets={"mean_wait_min": (10.0, None, 1.0)}, allow=["counters_open"])
    variant = save_variant(base, data, trainer)
    learner = make.user()
    run = run_whole_day(learner, variant, {})
    old_yaml = run.scenario_yaml
    data.demand = {"arrivals": "30"}
    save_variant(base, data, trainer, existing=variant)
    assert engine(variant).arrivals.rate_per_hour == 30
    assert _run(db, run.public_id).scenario_yaml == old_yaml


# --- decision mistakes (service level, no client) ----------------------------------------

def _codes(run: SimulationRun) -> set[str]:
    return {f["code"] for f in run.findings}


def test_mistakes_are_only_called_when_the_outcome_confirms_them(db, make):
    hall = _scenario(db, HALL)
    user = make.user()
    poor = run_whole_day(user, hall, {"counters_open": {"general": POOR_HALL}},
                         seed=11)
    assert {"understaffed_peak", "missed_target"} <= _codes(poor)
    peak = next(f for f in poor.findings if f["code"] == "understaffed_peak")
    assert peak["open"] == 1 and peak["needed"] >= 3 and peak["hour"] == "10:30"
    good = run_whole_day(user, hall, {"counters_open": {"general": GOOD_HALL}},
                         seed=11)
    assert good.score >= 90 and not _codes(good) & {"understaffed_peak", "understaffed_hours"}
    lavish = run_whole_day(user, hall, {"counters_open": {"general": [5] * 9}},
                           seed=11)
    assert "overstaffed_quiet" in _codes(lavish)
    assert "understaffed_peak" not in _codes(lavish)


def test_dispatch_mistakes(db, make):
    user = make.user()
    day = _scenario(db, DISPATCH)
    bare = run_whole_day(user, day, {
        "crews_on_shift": {"urban": 2, "rural": 0, "remote": 1},
        "dispatch_policy": "zone_dedicated"})
    uncovered = next(f for f in bare.findings if f["code"] == "zone_uncovered")
    assert uncovered["zones"] == ["rural"]
    storm = _scenario(db, "typhoon-surge")
    few = run_whole_day(user, storm, {})  # no standby crews called in
    assert "storm_understaffed" in _codes(few)
    found = next(f for f in few.findings if f["code"] == "storm_understaffed")
    assert found["crews"] == 7 and found["needed"] > found["max"] == 21
    text = describe_finding(found)
    assert "7" in text and str(found["needed"]) in text and "21" in text


def test_practice_pages_run_a_bounded_number_of_queries(app, client, login_as, auth, db, make):
    from tests.conftest import count_queries

    hall = _scenario(db, HALL)
    trainer = make.user(roles={"trainer"})

    def variant(code):
        return save_variant(hall, VariantInput(
            code=code, name_zh="变体", name_en="Variant", description_zh="", description_en="",
            difficulty=1, demand={"arrivals": "15"}, groups={"general": (3, 5)}, kiosks=None,
            standby=None, targets={"mean_wait_min": (10.0, None, 1.0)},
            allow=["counters_open"]), trainer)

    user = login_as("learner", locale="en")

    def counts(pages):
        out = []
        for path in pages:
            with count_queries(app) as counter:
                assert client.get(path).status_code == 200, path
            out.append(counter["n"])
        return out

    learner_pages = ["/learn/practice/", "/learn/practice/history"]
    trainer_pages = ["/author/practice/", f"/author/practice/{HALL}/stats"]
    variant("v-one")
    run_whole_day(user, hall, {}, mode="assessment")
    small = counts(learner_pages)
    auth.logout()
    login_as("trainer", locale="en")
    small_trainer = counts(trainer_pages)
    for i in range(6):
        variant(f"v-more-{i}")
        run_whole_day(user, hall, {})
        run_whole_day(make.user(), hall, {}, mode="assessment")
    assert counts(trainer_pages) == small_trainer
    auth.logout()
    auth.login(user.employee_no)
    assert counts(learner_pages) == small
