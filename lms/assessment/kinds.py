"""Requirement kind "quiz": the best submitted attempt scores at least the mark (the
requirement's `min_score`, else the quiz's pass mark). Also the parts a course's required
quizzes add to its completion."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.assessment.models import Attempt, Quiz
from lms.catalog.models import Course
from lms.core.clock import as_utc
from lms.core.requirements import CoursePart, Key, Kind, Outcome, Requirement, register
from lms.extensions import db
from lms.i18n import localized


def split_ref(ref: str) -> tuple[str, str]:
    code, _sep, key = ref.partition("/")
    return code, key


def ref_of(quiz: Quiz) -> str:
    return f"{quiz.course.code}/{quiz.key}"


def _outcome(req: Requirement, quiz: Quiz | None, best: Attempt | None) -> Outcome:
    if quiz is None:
        return Outcome(False, _l("quiz %(q)s does not exist", q=req.ref))
    mark = req.min_score if req.min_score is not None else quiz.pass_mark
    if best is None:
        return Outcome(False, _l("quiz %(q)s not taken", q=req.ref))
    score = best.score or 0
    if score < mark:
        return Outcome(False, _l("quiz %(q)s: best score %(s)g < %(m)g", q=req.ref, s=score,
                                 m=mark), score=score, started=True)
    return Outcome(True, _l("quiz %(q)s: %(s)g ≥ %(m)g", q=req.ref, s=score, m=mark),
                   {"quiz": req.ref, "attempt": best.public_id, "score": best.score,
                    "submitted_at": as_utc(best.submitted_at).isoformat()
                    if best.submitted_at else None}, score=score, started=True)


def _quizzes(refs: set[str]) -> dict[str, Quiz]:
    if not refs:
        return {}
    codes = {split_ref(r)[0] for r in refs}
    found = db.session.scalars(select(Quiz).join(Course).where(Course.code.in_(codes)))
    return {ref_of(q): q for q in found if ref_of(q) in refs}


class QuizKind(Kind):
    name = "quiz"
    label = _l("Quiz score (COURSE/quiz)")

    def exists(self, ref: str) -> bool:
        return bool(_quizzes({ref}))

    def check(self, user_id: int, req: Requirement, since: datetime | None = None) -> Outcome:
        quiz = _quizzes({req.ref}).get(req.ref)
        if quiz is None:
            return _outcome(req, None, None)
        stmt = select(Attempt).where(Attempt.user_id == user_id, Attempt.quiz_id == quiz.id,
                                     Attempt.submitted_at.is_not(None))
        if since is not None:
            stmt = stmt.where(Attempt.submitted_at >= since)
        best = db.session.scalar(stmt.order_by(Attempt.score.desc(), Attempt.id).limit(1))
        return _outcome(req, quiz, best)

    def check_many(self, user_ids: list[int], reqs: list[Requirement],
                   since: datetime | None = None) -> dict[Key, Outcome]:
        quizzes = _quizzes({r.ref for r in reqs})
        best: dict[tuple[int, int], Attempt] = {}
        if quizzes:
            ranked = select(Attempt.id, func.row_number().over(
                partition_by=(Attempt.user_id, Attempt.quiz_id),
                order_by=(Attempt.score.desc(), Attempt.id)).label("rank")).where(
                Attempt.user_id.in_(user_ids),
                Attempt.quiz_id.in_([q.id for q in quizzes.values()]),
                Attempt.submitted_at.is_not(None))
            if since is not None:
                ranked = ranked.where(Attempt.submitted_at >= since)
            sub = ranked.subquery()
            for attempt in db.session.scalars(select(Attempt).join(sub, sub.c.id == Attempt.id)
                                              .where(sub.c.rank == 1)):
                best[(attempt.user_id, attempt.quiz_id)] = attempt
        out: dict[Key, Outcome] = {}
        for req in reqs:
            quiz = quizzes.get(req.ref)
            for uid in user_ids:
                out[(uid, req)] = _outcome(req, quiz, best.get((uid, quiz.id)) if quiz else None)
        return out

    def course_parts(self, course_ids: list[int]) -> dict[int, list[CoursePart]]:
        out: dict[int, list[CoursePart]] = {}
        for quiz in db.session.scalars(select(Quiz).where(
                Quiz.course_id.in_(course_ids), Quiz.required.is_(True)).order_by(Quiz.key)):
            out.setdefault(quiz.course_id, []).append(CoursePart(
                Requirement("quiz", ref_of(quiz)), localized(quiz, "title"), True, quiz))
        return out


register(QuizKind())
