"""The quiz engine: drawing questions, autosaving answers, grading once, statistics.

Rules that make scores trustworthy:
- the questions and option order of an attempt are frozen when it starts;
- answers are saved as the learner works; saves after the deadline or after submission are
  refused, so a late submit is graded on what was saved in time;
- submission is a conditional UPDATE (`submitted_at IS NULL`): of any number of concurrent
  submits exactly one grades the attempt;
- nobody but the attempt's owner can open it, and the key is shown only after submission.
"""

from __future__ import annotations

import math
import random
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError

from lms.assessment.models import Attempt, Question, QuestionBank, Quiz, Response
from lms.catalog.models import Course
from lms.catalog.progress import refresh_completion
from lms.core import events, requirements
from lms.core.clock import as_utc
from lms.core.errors import ServiceError
from lms.extensions import db
from lms.people.models import User

MAX_TEXT_ANSWER = 500
GRACE = timedelta(seconds=5)  # network latency allowance on the deadline


def now() -> datetime:
    return datetime.now(UTC)


# --- finding ---------------------------------------------------------------------------

def quiz_by_public_id(public_id: str) -> Quiz | None:
    return db.session.scalar(select(Quiz).where(Quiz.public_id == public_id,
                                                Quiz.active.is_(True)))


def attempt_for(user: User, public_id: str) -> Attempt | None:
    """The attempt with this id if it belongs to `user` (anyone else gets None → 404)."""
    return db.session.scalar(select(Attempt).where(Attempt.public_id == public_id,
                                                   Attempt.user_id == user.id))


def attempts_of(user: User, quiz: Quiz) -> list[Attempt]:
    return list(db.session.scalars(select(Attempt).where(
        Attempt.user_id == user.id, Attempt.quiz_id == quiz.id).order_by(Attempt.number)))


def course_quizzes(course: Course) -> list[Quiz]:
    return list(db.session.scalars(select(Quiz).where(Quiz.course_id == course.id)
                                   .order_by(Quiz.key)))


def is_expired(attempt: Attempt, at: datetime | None = None) -> bool:
    return attempt.deadline_at is not None and (at or now()) > as_utc(attempt.deadline_at) + GRACE


# --- starting --------------------------------------------------------------------------

def _draw(quiz: Quiz, rng: random.Random) -> list[dict[str, Any]]:
    bank_keys = {rule["bank"] for rule in quiz.draw}
    banks = {b.key: b for b in db.session.scalars(select(QuestionBank).where(
        QuestionBank.key.in_(bank_keys)))}
    chosen: list[Question] = []
    taken: set[int] = set()
    for rule in quiz.draw:
        bank = banks.get(rule["bank"])
        pool = [q for q in (bank.questions if bank else []) if q.active and q.id not in taken
                and (not rule.get("tag") or rule["tag"] in (q.tags or []))]
        if len(pool) < rule["count"]:
            raise ServiceError(_l("This quiz cannot be started: its question bank has too "
                                  "few questions. Please tell your trainer."))
        picked = rng.sample(pool, rule["count"])
        chosen.extend(picked)
        taken.update(q.id for q in picked)
    rng.shuffle(chosen)
    layout = []
    for q in chosen:
        option_ids = [o["id"] for o in q.options]
        rng.shuffle(option_ids)
        layout.append({"q": q.id, "o": option_ids})
    return layout


def cycle_start(user: User, quiz: Quiz) -> datetime | None:
    """When the learner's current attempt allowance began (a renewal window of a held
    certification that requires this quiz gives a fresh allowance); None = attempts count
    from the beginning."""
    return requirements.allowance_start(user.id, "quiz", f"{quiz.course.code}/{quiz.key}",
                                        now())


def attempts_used(user: User, quiz: Quiz, attempts: list[Attempt]) -> int:
    since = cycle_start(user, quiz)
    return sum(1 for a in attempts if since is None or as_utc(a.started_at) >= since)


def allowed(user: User, quiz: Quiz) -> int:
    """The person's attempt limit: the quiz's, plus extra attempts granted within the current
    allowance (0 = unlimited)."""
    if not quiz.max_attempts:
        return 0
    return quiz.max_attempts + requirements.extra_attempts(
        user.id, "quiz", f"{quiz.course.code}/{quiz.key}", cycle_start(user, quiz))


def attempts_left(quiz: Quiz, used: int, limit: int | None = None) -> int | None:
    limit = quiz.max_attempts if limit is None else limit
    return None if not limit else max(0, limit - used)


def start_or_resume(user: User, quiz: Quiz) -> Attempt:
    """The learner's open attempt, or a new one if the attempt limit allows."""
    if quiz.course.status != "published":
        raise ServiceError(_l("This quiz is not available."))
    attempts = attempts_of(user, quiz)
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    if open_attempt is not None:
        if not is_expired(open_attempt):
            return open_attempt
        submit(user, open_attempt)  # time ran out while away: grade what was saved
    limit = allowed(user, quiz)
    if limit and attempts_used(user, quiz, attempts) >= limit:
        raise ServiceError(_l("You have used all %(n)d attempts for this quiz.", n=limit))
    started = now()
    attempt = Attempt(quiz_id=quiz.id, user_id=user.id, number=len(attempts) + 1,
                      layout=_draw(quiz, random.Random(secrets.randbits(64))),  # noqa: S311
                      started_at=started,
                      deadline_at=started + timedelta(minutes=quiz.time_limit_min)
                      if quiz.time_limit_min else None)
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:  # two tabs pressed "start" together; use the one that won
        db.session.rollback()
        attempt = next(a for a in attempts_of(user, quiz) if a.submitted_at is None)
    return attempt


# --- answers ---------------------------------------------------------------------------

@dataclass
class Item:
    """One question of an attempt as the page shows it (no answer key inside)."""

    index: int
    question: Question
    option_ids: list[str]
    answer: Any
    correct: bool | None = None

    @property
    def options(self) -> list[dict[str, Any]]:
        by_id = {o["id"]: o for o in self.question.options}
        return [by_id[i] for i in self.option_ids if i in by_id]


def items(attempt: Attempt) -> list[Item]:
    ids = [entry["q"] for entry in attempt.layout]
    questions = {q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(ids)))}
    saved = {r.question_id: r for r in db.session.scalars(select(Response).where(
        Response.attempt_id == attempt.id))}
    out = []
    for i, entry in enumerate(attempt.layout):
        r = saved.get(entry["q"])
        out.append(Item(i, questions[entry["q"]], entry["o"], r.answer if r else None,
                        r.correct if r else None))
    return out


def _clean(question: Question, option_ids: list[str], raw: Any) -> Any:
    """Turn what the form sent into a stored answer; None for 'no answer'."""
    kind = question.type
    if raw in (None, "", []):
        return None
    if kind == "single":
        value = raw[0] if isinstance(raw, list) else raw
        if value not in option_ids:
            raise ServiceError(_l("That option is not part of this question."))
        return value
    if kind == "multiple":
        values = raw if isinstance(raw, list) else [raw]
        if any(v not in option_ids for v in values):
            raise ServiceError(_l("That option is not part of this question."))
        return sorted(set(values))
    if kind == "true_false":
        value = raw[0] if isinstance(raw, list) else raw
        if value not in ("true", "false", True, False):
            raise ServiceError(_l("Answer true or false."))
        return value in ("true", True)
    text = (raw[0] if isinstance(raw, list) else str(raw)).strip()
    if kind == "numeric":
        try:
            number = float(unicodedata.normalize("NFKC", text).replace(",", ""))
        except ValueError:
            raise ServiceError(_l("Enter a number, e.g. 128.5")) from None
        if not math.isfinite(number):
            raise ServiceError(_l("Enter a number, e.g. 128.5"))
        return number
    if len(text) > MAX_TEXT_ANSWER:
        raise ServiceError(_l("The answer is too long."))
    return text


def save_answers(user: User, attempt: Attempt, answers: dict[int, Any]) -> datetime:
    """Autosave: store answers keyed by item index. Refused after the deadline or submit."""
    if attempt.user_id != user.id:
        raise ServiceError(_l("This attempt is not yours."))
    if attempt.submitted_at is not None:
        raise ServiceError(_l("This attempt has been submitted and can no longer change."))
    if is_expired(attempt):
        raise ServiceError(_l("Time is up: answers can no longer be saved."))
    layout = attempt.layout
    questions = {q.id: q for q in db.session.scalars(select(Question).where(
        Question.id.in_([layout[i]["q"] for i in answers if 0 <= i < len(layout)])))}
    existing = {r.question_id: r for r in db.session.scalars(select(Response).where(
        Response.attempt_id == attempt.id))}
    stamp = now()
    for index, raw in answers.items():
        if not 0 <= index < len(layout):
            raise ServiceError(_l("Unknown question."))
        entry = layout[index]
        value = _clean(questions[entry["q"]], entry["o"], raw)
        row = existing.get(entry["q"])
        if row is None:
            row = Response(attempt_id=attempt.id, question_id=entry["q"])
            db.session.add(row)
            existing[entry["q"]] = row
        row.answer, row.saved_at = value, stamp
    try:
        db.session.commit()
    except IntegrityError:  # the same answer saved from two tabs at once: save again
        db.session.rollback()
        return save_answers(user, attempt, answers)
    return stamp


# --- grading ---------------------------------------------------------------------------

def normalise_text(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def is_correct(question: Question, answer: Any) -> bool:
    if answer is None:
        return False
    kind, key = question.type, question.answer
    if kind == "single":
        return any(o["id"] == answer and o["correct"] for o in question.options)
    if kind == "multiple":
        right = sorted(o["id"] for o in question.options if o["correct"])
        return sorted(answer) == right
    if kind == "true_false":
        return bool(answer) == bool(key["value"])
    if kind == "numeric":
        return abs(float(answer) - float(key["value"])) <= float(key.get("tolerance") or 0) + 1e-9
    if kind == "short_text":
        return normalise_text(str(answer)) in {normalise_text(a) for a in key["accept"]}
    return False


def submit(user: User, attempt: Attempt, answers: dict[int, Any] | None = None) -> Attempt:
    """Submit once. Repeated or concurrent submits return the already graded attempt."""
    if attempt.user_id != user.id:
        raise ServiceError(_l("This attempt is not yours."))
    if answers and attempt.submitted_at is None and not is_expired(attempt):
        try:
            save_answers(user, attempt, answers)
        except ServiceError:
            db.session.rollback()  # a bad last-moment value: grade what was saved before
    stamp = now()
    # An UPDATE's result is a CursorResult (it has the row count); `execute` is typed for any
    # statement, so it says only Result.
    claimed = cast(CursorResult[Any], db.session.execute(
        update(Attempt).where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=stamp))).rowcount
    if claimed != 1:
        db.session.rollback()
        db.session.refresh(attempt)
        return attempt
    graded = items(attempt)
    rows = {r.question_id: r for r in db.session.scalars(select(Response).where(
        Response.attempt_id == attempt.id))}
    right = 0
    for item in graded:
        ok = is_correct(item.question, item.answer)
        right += ok
        row = rows.get(item.question.id)
        if row is None:
            row = Response(attempt_id=attempt.id, question_id=item.question.id, answer=None,
                           saved_at=stamp)
            db.session.add(row)
        row.correct = ok
    quiz = attempt.quiz
    score = round(100.0 * right / len(graded), 1) if graded else 0.0
    db.session.execute(update(Attempt).where(Attempt.id == attempt.id).values(
        score=score, passed=score >= quiz.pass_mark))
    db.session.flush()
    db.session.refresh(attempt)
    refresh_completion(user.id, quiz.course)
    events.stage("quiz_submitted", user_id=user.id, attempt=attempt)
    db.session.commit()
    return attempt


# --- statistics for trainers -----------------------------------------------------------

@dataclass
class QuestionStat:
    question: Question
    answered: int
    difficulty: float | None  # share correct
    discrimination: float | None  # point-biserial correlation with the total score


@dataclass
class QuizStats:
    attempts: int
    learners: int
    pass_rate: float | None
    mean_score: float | None
    histogram: list[int]  # counts per 10-point band, 0–9 … 90–100
    questions: list[QuestionStat]


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / math.sqrt(sxx * syy)


def stats(quiz: Quiz) -> QuizStats:
    graded = db.session.execute(select(Attempt.id, Attempt.user_id, Attempt.score,
                                       Attempt.passed).where(
        Attempt.quiz_id == quiz.id, Attempt.submitted_at.is_not(None))).all()
    histogram = [0] * 10
    for _id, _uid, score, _p in graded:
        histogram[min(9, int((score or 0) // 10))] += 1
    scores = {aid: float(score or 0) for aid, _u, score, _p in graded}
    responses = db.session.execute(select(Response.attempt_id, Response.question_id,
                                          Response.correct).join(
        Attempt, Attempt.id == Response.attempt_id).where(
        Attempt.quiz_id == quiz.id, Attempt.submitted_at.is_not(None))).all()
    per_q: dict[int, list[tuple[float, float]]] = {}
    for aid, qid, ok in responses:
        per_q.setdefault(qid, []).append((1.0 if ok else 0.0, scores.get(aid, 0.0)))
    questions = {q.id: q for q in db.session.scalars(select(Question).where(
        Question.id.in_(list(per_q))))} if per_q else {}
    qstats = []
    for qid, pairs in per_q.items():
        xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
        qstats.append(QuestionStat(questions[qid], len(pairs), sum(xs) / len(xs),
                                   _pearson(xs, ys)))
    qstats.sort(key=lambda s: (s.question.bank_id, s.question.position))
    n = len(graded)
    return QuizStats(
        attempts=n, learners=len({u for _a, u, _s, _p in graded}),
        pass_rate=(sum(1 for *_x, p in graded if p) / n) if n else None,
        mean_score=(sum(scores.values()) / n) if n else None,
        histogram=histogram, questions=qstats)


def attempt_count(quiz: Quiz) -> int:
    return db.session.scalar(select(func.count(Attempt.id)).where(
        Attempt.quiz_id == quiz.id)) or 0
