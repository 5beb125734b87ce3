"""Learning records as xAPI statements: produced by real actions, listed and exported through
the API, and forwarded to an external LRS (a real HTTP server on 127.0.0.1) with retry."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from lms.assessment import quizzes
from lms.assessment.models import Question, Quiz
from lms.catalog import learning
from lms.catalog.models import Lesson
from lms.certification import rules as certs
from lms.integration import xapi
from lms.integration.models import XapiStatement

ADL = "http://adlnet.gov/expapi/verbs/"


def _right_answers(db, attempt) -> dict[int, object]:
    answers: dict[int, object] = {}
    for i, entry in enumerate(attempt.layout):
        q = db.session.get(Question, entry["q"])
        if q.type == "single":
            answers[i] = next(o["id"] for o in q.options if o["correct"])
        elif q.type == "multiple":
            answers[i] = [o["id"] for o in q.options if o["correct"]]
        elif q.type == "true_false":
            answers[i] = q.answer["value"]
        elif q.type == "numeric":
            answers[i] = str(q.answer["value"])
        else:
            answers[i] = q.answer["accept"][0]
    return answers


def _statements(db) -> list[XapiStatement]:
    db.session.expire_all()
    return list(db.session.scalars(select(XapiStatement).order_by(XapiStatement.id)))


@pytest.fixture()
def learner_course(make, db):
    user = make.user(employee_no="E1001")
    course = make.course("XA-1", lessons=2)
    lessons = list(db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)
                                      .order_by(Lesson.position)))
    quiz = db.session.scalar(select(Quiz).where(Quiz.course_id == course.id))
    return user, course, lessons, quiz


def test_lesson_quiz_course_and_award_each_make_a_statement(app, db, make, learner_course):
    user, course, lessons, quiz = learner_course
    hr = make.user(roles={"hr"})
    certs.save_certification(None, code="XA-CERT", name_zh="采集运维认证", name_en="Collection ops",
                             description_zh="", description_en="", validity_months=24,
                             recert_window_days=60, requirements=[("course", "XA-1", None)],
                             actor=hr)
    base = app.config["BASE_URL"].rstrip("/")

    learning.complete_lesson(user, course, lessons[0])
    [st] = _statements(db)
    data = xapi.as_statement(st)
    assert data["verb"]["id"] == ADL + "completed"
    assert data["actor"] == {"objectType": "Agent", "name": user.name,
                             "account": {"homePage": base, "name": "E1001"}}
    assert data["object"]["id"] == f"{base}/xapi/activities/lesson/XA-1/{lessons[0].slug}"
    assert data["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/lesson"
    assert data["context"]["contextActivities"]["parent"][0]["id"] == \
        f"{base}/xapi/activities/course/XA-1"
    assert data["timestamp"].endswith("Z") and len(data["id"]) == 36

    # A failed attempt, then a passed one.
    attempt = quizzes.start_or_resume(user, quiz)
    quizzes.submit(user, attempt, {})
    attempt = quizzes.start_or_resume(user, quiz)
    quizzes.submit(user, attempt, _right_answers(db, attempt))
    learning.complete_lesson(user, course, lessons[1])  # completes the course → award

    rows = _statements(db)
    verbs = [r.verb.rsplit("/", 1)[-1] for r in rows]
    assert verbs == ["completed", "failed", "passed", "completed", "completed", "earned"]
    failed, passed = (xapi.as_statement(r) for r in rows[1:3])
    assert failed["result"]["success"] is False and failed["result"]["score"]["raw"] == 0
    assert passed["result"] == {"score": {"scaled": 1.0, "raw": 100.0, "min": 0.0,
                                          "max": 100.0},
                                "success": True, "completion": True,
                                "duration": passed["result"]["duration"]}
    assert passed["object"]["id"] == f"{base}/xapi/activities/quiz/XA-1/{quiz.key}"
    course_done = xapi.as_statement(rows[4])
    assert course_done["object"]["id"] == f"{base}/xapi/activities/course/XA-1"
    earned = xapi.as_statement(rows[5])
    award = certs.current_award(user.id, "XA-CERT")
    assert earned["verb"]["id"] == "http://specification.openbadges.org/xapi/verbs/earned"
    assert earned["object"]["id"] == f"{base}/badges/classes/XA-CERT.json"
    assert earned["result"]["extensions"][xapi.OB_ASSERTION_EXT]["@id"] == \
        f"{base}/badges/assertions/{award.verification_code}.json"


def test_practice_runs_make_statements(db, make):
    from lms.practice.runs import run_whole_day
    from lms.practice.scenarios import import_builtins, scenario_by_code

    import_builtins()
    user = make.user()
    scenario = scenario_by_code("quiet-weekday-hall")
    run = run_whole_day(user, scenario, {}, mode="practice", seed=7)
    [st] = _statements(db)
    data = xapi.as_statement(st)
    assert data["verb"]["id"] == ADL + "attempted"
    assert data["object"]["definition"]["type"] == \
        "http://adlnet.gov/expapi/activities/simulation"
    assert data["result"]["score"]["raw"] == pytest.approx(run.score)
    assert data["context"]["extensions"].popitem()[1] == "practice"

    run_whole_day(user, scenario, {}, mode="assessment")
    rows = _statements(db)
    assert [r.verb for r in rows] == [ADL + "attempted", ADL + "scored"]
    assert isinstance(rows[1].result["success"], bool)


def test_statements_are_listed_filtered_and_paginated(api, db, learner_course):
    user, course, lessons, quiz = learner_course
    for lesson in lessons:
        learning.complete_lesson(user, course, lesson)
    quizzes.submit(user, quizzes.start_or_resume(user, quiz), {})

    resp = api.get("/api/v1/xapi/statements?per_page=2")
    body = resp.json
    assert resp.status_code == 200 and body["total"] == 3 and len(body["items"]) == 2
    assert body["next"] == "/api/v1/xapi/statements?per_page=2&page=2"
    assert api.get(body["next"]).json["items"][0]["verb"]["id"] == ADL + "failed"

    completed = api.get("/api/v1/xapi/statements?verb=completed").json
    assert completed["total"] == 2
    assert all("result" in s and "stored" in s for s in completed["items"])
    assert api.get("/api/v1/xapi/statements?employee_no=NOBODY").json["total"] == 0
    later = (xapi.now() + timedelta(hours=1)).isoformat()
    assert api.get("/api/v1/xapi/statements", query_string={"since": later}).json["total"] == 0

    bad = api.get("/api/v1/xapi/statements?since=yesterday")
    assert bad.status_code == 422 and bad.json["error"]["field"] == "since"


def test_export_is_a_json_lines_file(api, db, learner_course):
    user, course, lessons, _quiz = learner_course
    for lesson in lessons:
        learning.complete_lesson(user, course, lesson)
    resp = api.get("/api/v1/xapi/statements/export")
    assert resp.status_code == 200
    assert resp.mimetype == "application/x-ndjson"
    assert "attachment" in resp.headers["Content-Disposition"]
    assert ".jsonl" in resp.headers["Content-Disposition"]
    lines = resp.get_data(as_text=True).splitlines()
    assert len(lines) == 2
    statements = [json.loads(line) for line in lines]
    assert {s["verb"]["id"] for s in statements} == {ADL + "completed"}
    assert statements[0]["actor"]["account"]["name"] == "E1001"

    only = api.get("/api/v1/xapi/statements/export?verb=passed")
    assert only.status_code == 200 and only.get_data() == b""


# --- forwarding to an LRS -------------------------------------------------------------------

class FakeLrs:
    """A real HTTP server on 127.0.0.1 standing in for a Learning Record Store: it fails the
    first `fail` requests with 503, then stores what it is sent."""

    def __init__(self, fail: int = 0):
        self.fail = fail
        self.requests: list[dict] = []
        self.statements: list[dict] = []
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                lrs.requests.append({"path": self.path, "headers": self.headers,
                                     "body": body})
                if len(lrs.requests) <= lrs.fail:
                    self.send_response(503)
                    self.end_headers()
                    self.wfile.write(b"LRS busy")
                    return
                batch = json.loads(body)
                lrs.statements.extend(batch)
                answer = json.dumps([s["id"] for s in batch]).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/xapi/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def lrs_config(app):
    saved = {k: app.config.get(k) for k in ("LRS_URL", "LRS_AUTH")}
    yield app.config
    app.config.update(saved)


def test_forwarding_retries_with_backoff_until_the_lrs_accepts(db, lrs_config,
                                                               learner_course):
    user, course, lessons, _quiz = learner_course
    for lesson in lessons:
        learning.complete_lesson(user, course, lesson)
    with FakeLrs(fail=1) as lrs:
        lrs_config.update(LRS_URL=lrs.url, LRS_AUTH="Basic bHJzOnNlY3JldA==")
        t0 = xapi.now()
        first = xapi.forward_pending(at=t0)
        assert (first.sent, first.failed) == (0, 2) and "503" in first.error
        rows = _statements(db)
        assert all(r.forwarded_at is None and r.forward_attempts == 1 for r in rows)
        assert all("HTTP 503" in r.last_error for r in rows)

        # Not due again before the backoff has passed: no request is made.
        assert xapi.forward_pending(at=t0 + timedelta(seconds=5)).sent == 0
        assert len(lrs.requests) == 1

        later = xapi.forward_pending(at=t0 + xapi.backoff(1) + timedelta(seconds=1))
        assert (later.sent, later.failed) == (2, 0)
        assert len(lrs.requests) == 2
        sent = lrs.requests[-1]
        assert sent["path"] == "/xapi/statements"
        assert sent["headers"]["X-Experience-API-Version"] == "1.0.3"
        assert sent["headers"]["Authorization"] == "Basic bHJzOnNlY3JldA=="
        assert [s["id"] for s in lrs.statements] == [r.statement_id for r in rows]
        assert all("stored" not in s for s in lrs.statements)  # the LRS sets it
        rows = _statements(db)
        assert all(r.forwarded_at is not None and r.last_error == "" for r in rows)
        # Nothing is sent twice.
        assert xapi.forward_pending().sent == 0 and len(lrs.requests) == 2


def test_backoff_grows_and_is_capped():
    waits = [xapi.backoff(n) for n in range(1, 20)]
    assert waits[0] == timedelta(seconds=30) and waits[1] == timedelta(minutes=1)
    assert waits == sorted(waits) and waits[-1] == timedelta(hours=6)


def test_an_unreachable_lrs_never_blocks_the_learner(db, lrs_config, learner_course):
    """With LRS_URL set to a closed port, finishing a lesson still works at once: the
    statement waits in the database for `forward-xapi`."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    lrs_config.update(LRS_URL=f"http://127.0.0.1:{port}/xapi")
    user, course, lessons, _quiz = learner_course
    learning.complete_lesson(user, course, lessons[0])
    [row] = _statements(db)
    assert row.forwarded_at is None and row.forward_attempts == 0
    result = xapi.forward_pending()
    assert result.failed == 1 and "cannot reach the LRS" in result.error


def test_forward_command(runner, db, lrs_config, learner_course):
    user, course, lessons, _quiz = learner_course
    learning.complete_lesson(user, course, lessons[0])
    lrs_config.update(LRS_URL=None)
    out = runner.invoke(args=["lms", "forward-xapi"])
    assert out.exit_code == 1 and "LRS_URL is not set" in out.output
    with FakeLrs(fail=1) as lrs:
        lrs_config.update(LRS_URL=lrs.url)
        out = runner.invoke(args=["lms", "forward-xapi"])
        assert out.exit_code == 1 and "1 failed" in out.output and "will retry" in out.output
        db.session.execute(XapiStatement.__table__.update().values(next_attempt_at=None))
        db.session.commit()
        out = runner.invoke(args=["lms", "forward-xapi"])
        assert out.exit_code == 0, out.output
        assert "Forwarded 1 statement(s); 0 failed; 0 waiting." in out.output
    assert db.session.scalar(select(func.count(XapiStatement.id)).where(
        XapiStatement.forwarded_at.is_not(None))) == 1
