"""The quiz engine through the pages: autosave, resume, submit once, review, limits, privacy."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

from sqlalchemy import func, select, update

from lms.assessment import quizzes
from lms.assessment.models import Attempt, Question, Quiz, Response
from lms.catalog import learning
from lms.catalog.models import Lesson
from lms.core import events
from tests.conftest import Auth, csrf_from


def _quiz(db, course) -> Quiz:
    return db.session.scalar(select(Quiz).where(Quiz.course_id == course.id))


def _start(client, auth, quiz) -> str:
    resp = auth.post(f"/learn/quizzes/{quiz.public_id}/start",
                     form_page=f"/learn/quizzes/{quiz.public_id}")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return resp.headers["Location"].rsplit("/", 1)[-1]


def _right_answers(db, attempt_id: str) -> dict[str, object]:
    """Form data answering every question of the attempt correctly (from the answer key)."""
    attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == attempt_id))
    data: dict[str, object] = {}
    for i, entry in enumerate(attempt.layout):
        q = db.session.get(Question, entry["q"])
        if q.type == "single":
            data[f"q{i}"] = next(o["id"] for o in q.options if o["correct"])
        elif q.type == "multiple":
            data[f"q{i}"] = [o["id"] for o in q.options if o["correct"]]
        elif q.type == "true_false":
            data[f"q{i}"] = "true" if q.answer["value"] else "false"
        elif q.type == "numeric":
            data[f"q{i}"] = str(q.answer["value"] + q.answer["tolerance"] / 2)
        else:
            data[f"q{i}"] = " " + q.answer["accept"][-1].upper() + " "
    return data


def _post(client, path, page, data, **kw):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data}, **kw)


def test_answer_key_is_not_on_the_page_before_submitting(client, make, login_as, auth, db):
    course = make.course("QZ-1")
    login_as("learner")
    attempt_id = _start(client, auth, _quiz(db, course))
    html = client.get(f"/learn/attempts/{attempt_id}").get_data(as_text=True)
    assert html.count("<fieldset") == 5
    assert "因为对" not in html  # explanation
    assert "集中器" not in html and "128.5" not in html and "correct" not in html


def test_autosave_and_reload_keep_every_answer(client, make, login_as, auth, db):
    course = make.course("QZ-2")
    login_as("learner")
    attempt_id = _start(client, auth, _quiz(db, course))
    page = f"/learn/attempts/{attempt_id}"
    answers = _right_answers(db, attempt_id)
    resp = _post(client, f"{page}/save", page, answers, headers={"Accept": "application/json"})
    assert resp.status_code == 200 and resp.json["saved"] is True and resp.json["answered"] == 5
    html = client.get(page).get_data(as_text=True)  # "reload"
    for name, value in answers.items():
        if isinstance(value, list):
            for v in value:
                assert re.search(rf'name="{name}" id="{name}-{v}" value="{v}"\s+checked', html)
        elif name and value in ("true", "false") or str(value).startswith("o"):
            assert re.search(rf'id="{name}-{value}" value="{value}"\s*checked', html), name
        else:
            assert f'value="{str(value).strip() if "." not in str(value) else ""}' in html \
                or str(value).strip() in html
    # Starting again resumes the same attempt rather than drawing a new one.
    assert _start(client, auth, _quiz(db, course)) == attempt_id


def test_submit_grades_all_question_types_and_completes_the_course(client, make, login_as,
                                                                    auth, db):
    course = make.course("QZ-3")
    user = login_as("learner")
    for lesson in db.session.scalars(select(Lesson).where(Lesson.course_id == course.id)):
        learning.complete_lesson(user, course, lesson)
    attempt_id = _start(client, auth, _quiz(db, course))
    page = f"/learn/attempts/{attempt_id}"
    resp = _post(client, f"{page}/submit", page, _right_answers(db, attempt_id))
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/result")
    html = client.get(f"{page}/result").get_data(as_text=True)
    assert 'id="score">100<' in html and "因为对" in html  # explanations shown after
    enrollment = learning.get_enrollment(user.id, course.id)
    db.session.refresh(enrollment)
    assert enrollment.completed_at is not None


def test_wrong_answers_score_and_fail(client, make, login_as, auth, db):
    course = make.course("QZ-4")
    login_as("learner")
    attempt_id = _start(client, auth, _quiz(db, course))
    page = f"/learn/attempts/{attempt_id}"
    answers = _right_answers(db, attempt_id)
    # Break two answers: one multiple choice missing an option, the numeric out of tolerance.
    attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == attempt_id))
    for i, entry in enumerate(attempt.layout):
        q = db.session.get(Question, entry["q"])
        if q.type == "multiple":
            answers[f"q{i}"] = answers[f"q{i}"][:1]
        if q.type == "numeric":
            answers[f"q{i}"] = "130"
    _post(client, f"{page}/submit", page, answers)
    db.session.refresh(attempt)
    assert attempt.score == 60.0 and attempt.passed is False


def test_double_submit_and_later_changes_are_refused(client, make, login_as, auth, db):
    course = make.course("QZ-5")
    login_as("learner")
    attempt_id = _start(client, auth, _quiz(db, course))
    page = f"/learn/attempts/{attempt_id}"
    answers = _right_answers(db, attempt_id)
    token = csrf_from(client.get(page).get_data(as_text=True))
    first = client.post(f"{page}/submit", data={"csrf_token": token, **answers})
    second = client.post(f"{page}/submit", data={"csrf_token": token})  # empty answers now
    assert first.status_code == second.status_code == 302
    attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == attempt_id))
    assert attempt.score == 100.0
    late = client.post(f"{page}/save", data={"csrf_token": token, "q0": "o1"},
                       headers={"Accept": "application/json"})
    assert late.status_code == 409 and late.json["saved"] is False


def test_concurrent_submits_grade_exactly_once(app, make, db):
    """Several tabs submit at the same instant: one graded attempt, one event."""
    course = make.course("QZ-6")
    user = make.user()
    quiz = _quiz(db, course)
    attempt = quizzes.start_or_resume(user, quiz)
    clients = [app.test_client() for _ in range(4)]
    for c in clients:
        Auth(c).login(user.employee_no)
    page = f"/learn/attempts/{attempt.public_id}"
    tokens = [csrf_from(c.get(page).get_data(as_text=True)) for c in clients]
    answers = _right_answers(db, attempt.public_id)
    graded: list[int] = []
    listener = events.on("quiz_submitted")(lambda **kw: graded.append(kw["attempt"].id))
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def go(c, token):
        barrier.wait()
        statuses.append(c.post(f"{page}/submit", data={"csrf_token": token, **answers})
                        .status_code)

    try:
        threads = [threading.Thread(target=go, args=pair) for pair in zip(clients, tokens,
                                                                            strict=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    finally:
        events.off("quiz_submitted", listener)
    assert statuses == [302] * 4
    assert graded == [attempt.id]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Attempt.id)).where(
        Attempt.submitted_at.is_not(None))) == 1
    assert db.session.scalar(select(func.count(Response.id)).where(
        Response.attempt_id == attempt.id)) == 5


def test_time_limit_is_enforced_by_the_server(client, make, login_as, auth, db):
    course = make.course("QZ-7", quiz_settings={"time_limit_min": 10})
    login_as("learner")
    attempt_id = _start(client, auth, _quiz(db, course))
    page = f"/learn/attempts/{attempt_id}"
    html = client.get(page).get_data(as_text=True)
    assert 'id="countdown"' in html
    answers = _right_answers(db, attempt_id)
    first_two = dict(list(answers.items())[:2])
    assert _post(client, f"{page}/save", page, first_two,
                 headers={"Accept": "application/json"}).status_code == 200
    token = csrf_from(html)
    # The clock runs out (moved back rather than waited for).
    db.session.execute(update(Attempt).where(Attempt.public_id == attempt_id).values(
        deadline_at=quizzes.now() - timedelta(minutes=1)))
    db.session.commit()
    late = client.post(f"{page}/save", data={"csrf_token": token, **answers},
                       headers={"Accept": "application/json"})
    assert late.status_code == 409
    client.post(f"{page}/submit", data={"csrf_token": token, **answers})
    attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == attempt_id))
    db.session.refresh(attempt)
    assert attempt.score == 40.0  # graded on the two answers saved in time


def test_attempt_limit(client, make, login_as, auth, db):
    course = make.course("QZ-8", quiz_settings={"max_attempts": 1})
    login_as("learner")
    quiz = _quiz(db, course)
    attempt_id = _start(client, auth, quiz)
    page = f"/learn/attempts/{attempt_id}"
    _post(client, f"{page}/submit", page, {})
    resp = auth.post(f"/learn/quizzes/{quiz.public_id}/start",
                     form_page=f"/learn/quizzes/{quiz.public_id}", follow_redirects=True)
    assert "已用完" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Attempt.id))) == 1


def test_other_users_cannot_open_an_attempt(client, make, login_as, auth, db, app):
    course = make.course("QZ-9")
    owner = make.user()
    attempt = quizzes.start_or_resume(owner, _quiz(db, course))
    login_as("learner")
    base = f"/learn/attempts/{attempt.public_id}"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/result").status_code == 404
    token = csrf_from(client.get("/learn/").get_data(as_text=True))
    assert client.post(f"{base}/save", data={"csrf_token": token}).status_code == 404
    assert client.post(f"{base}/submit", data={"csrf_token": token}).status_code == 404
    db.session.refresh(attempt)
    assert attempt.submitted_at is None


def test_score_only_review_hides_the_key(client, make, login_as, auth, db):
    course = make.course("QZ-10", quiz_settings={"review": "score"})
    login_as("learner")
    attempt_id = _start(client, auth, _quiz(db, course))
    page = f"/learn/attempts/{attempt_id}"
    _post(client, f"{page}/submit", page, {})
    html = client.get(f"{page}/result").get_data(as_text=True)
    assert 'id="score">0<' in html and "集中器" not in html and "因为对" not in html


def test_bad_answer_values_are_refused_cleanly(client, make, login_as, auth, db):
    course = make.course("QZ-11")
    login_as("learner")
    attempt_id = _start(client, auth, _quiz(db, course))
    page = f"/learn/attempts/{attempt_id}"
    attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == attempt_id))
    numeric = next(i for i, e in enumerate(attempt.layout)
                   if db.session.get(Question, e["q"]).type == "numeric")
    resp = _post(client, f"{page}/save", page, {f"q{numeric}": "一百"},
                 headers={"Accept": "application/json"})
    assert resp.status_code == 409 and "数字" in resp.json["error"]
    single = next(i for i, e in enumerate(attempt.layout)
                  if db.session.get(Question, e["q"]).type == "single")
    resp = _post(client, f"{page}/save", page, {f"q{single}": "o99"},
                 headers={"Accept": "application/json"})
    assert resp.status_code == 409


def test_trainer_sees_statistics(client, make, login_as, db):
    course = make.course("QZ-12")
    quiz = _quiz(db, course)
    for i in range(4):
        learner = make.user()
        attempt = quizzes.start_or_resume(learner, quiz)
        answers = {int(k[1:]): v for k, v in _right_answers(db, attempt.public_id).items()}
        if i % 2:  # half of them get the true/false question wrong
            for idx, entry in enumerate(attempt.layout):
                if db.session.get(Question, entry["q"]).type == "true_false":
                    answers[idx] = "true"
        quizzes.submit(learner, attempt, answers)
    login_as("trainer")
    html = client.get(f"/author/quizzes/{quiz.public_id}/stats").get_data(as_text=True)
    assert "data-values='[0, 0, 0, 0, 0, 0, 0, 0, 2, 2]'" in html
    assert "50%" in html  # pass rate and the true/false item's difficulty
    s = quizzes.stats(quiz)
    tf = next(q for q in s.questions if q.question.type == "true_false")
    assert tf.difficulty == 0.5 and tf.discrimination == 1.0


def test_options_are_shuffled_per_attempt_and_kept_for_review(client, make, login_as, auth, db):
    """Each attempt draws its own option order; the attempt page and its review show that
    order, whatever the bank's order is."""
    options = ["甲方案", "乙方案", "丙方案", "丁方案", "戊方案", "己方案"]
    question = {"id": "q1", "type": "single", "text": "选哪一个方案？",
                "options": [{"text": t, "correct": i == 2} for i, t in enumerate(options)]}
    course = make.course("QZ-SH", questions=[question], quiz_settings={"max_attempts": 0})
    login_as("learner")
    quiz = _quiz(db, course)
    orders = []
    for _ in range(6):
        attempt_id = _start(client, auth, quiz)
        page = f"/learn/attempts/{attempt_id}"
        shown = re.findall(r"[甲乙丙丁戊己]方案", client.get(page).get_data(as_text=True))
        attempt = db.session.scalar(select(Attempt).where(Attempt.public_id == attempt_id))
        q = db.session.get(Question, attempt.layout[0]["q"])
        by_id = {o["id"]: o["text"] for o in q.options}
        stored = [by_id[i] for i in attempt.layout[0]["o"]]
        assert shown == stored  # the page shows the attempt's own order
        _post(client, f"{page}/submit", page, _right_answers(db, attempt_id))
        review = client.get(f"{page}/result").get_data(as_text=True)
        assert re.findall(r"[甲乙丙丁戊己]方案", review) == stored  # kept for review
        orders.append(tuple(stored))
    # 6 options: 720 orders; six attempts in the same order would be chance 1 in 720^5.
    assert len(set(orders)) > 1
    assert any(list(o) != options for o in orders)
