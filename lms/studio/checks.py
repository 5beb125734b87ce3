"""The question-bank checks on a course draft, as the studio shows them: every finding in the
interface language, in words, filed under the bank, question, quiz or lesson it concerns.

The rules and thresholds are `lms.assessment.bank_checks` (banks), `quiz_checks` (draw rules
and exposure) and `course_checks` (lessons and topics) — the same the CLI
(`flask lms check-banks`) and CI run over courses/. The draft is the course package as data
(`lms.studio.drafts`), so it is checked as it stands, before it is a package. Warnings never
block saving or publishing; errors block publishing (`lms.studio.publishing.publish`).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l

from lms.assessment.bank_checks import Finding, check_bank
from lms.assessment.course_checks import check_lesson, check_topics
from lms.assessment.quiz_checks import check_quiz


def _maps(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _lesson_refs(draft: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [ref for module in _maps(draft["manifest"].get("modules"))
            for ref in _maps(module.get("lessons"))]


_CACHE_SIZE = 64
_bank_cache: OrderedDict[str, list[Finding]] = OrderedDict()
_bank_cache_lock = threading.Lock()


def bank_findings(bank: Mapping[str, Any]) -> list[Finding]:
    """`check_bank`, remembered per bank content: the near-duplicate rule compares every pair
    of stems (seconds for a bank of 500), and every page of a draft shows the findings."""
    key = hashlib.sha256(json.dumps(bank, sort_keys=True, ensure_ascii=False, default=str)
                         .encode()).hexdigest()
    with _bank_cache_lock:
        found = _bank_cache.get(key)
        if found is not None:
            _bank_cache.move_to_end(key)
            return list(found)
    found = check_bank(bank)
    with _bank_cache_lock:
        _bank_cache[key] = found
        while len(_bank_cache) > _CACHE_SIZE:
            _bank_cache.popitem(last=False)
    return list(found)


def draft_findings(draft: Mapping[str, Any]) -> list[Finding]:
    """Every finding of the bank, quiz, lesson and topic checks on a draft dict."""
    banks = _maps(draft.get("banks"))
    by_id = {str(b.get("id")): b for b in banks}
    quizzes = _maps(draft["manifest"].get("quizzes"))
    lessons = _lesson_refs(draft)
    findings: list[Finding] = []
    for bank in banks:
        findings.extend(bank_findings(bank))
    for quiz in quizzes:
        findings.extend(check_quiz(quiz, by_id))
    bodies = draft.get("lessons") or {}
    for ref in lessons:
        findings.extend(check_lesson(ref, str(bodies.get(Path(str(ref.get("file"))).stem, ""))))
    findings.extend(check_topics(lessons, quizzes, by_id))
    return findings


# --- in words, in the interface language ------------------------------------------------

_DETAILS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "options": lambda a: _l("A choice question needs at least two options, each with text."),
    "single": lambda a: _l("A single-choice question needs exactly one correct option "
                           "(%(n)s marked).", n=a.get("n")),
    "multiple": lambda a: _l("A multiple-choice question needs at least two correct options "
                             "(%(n)s marked).", n=a.get("n")),
    "mapping": lambda a: _l("This entry is not in the course package format."),
    "questions": lambda a: _l("The bank has no questions yet."),
    "type": lambda a: _l("Unknown question type “%(t)s”.", t=a.get("type")),
    "stem": lambda a: _l("The question text is empty."),
    "draw": lambda a: _l("The quiz has no draw rules."),
    "attempts": lambda a: _l("The number of attempts must be a whole number, 0 or more."),
    "rule": lambda a: _l("Draw rule %(r)s is not in the course package format.", r=a.get("rule")),
    "count": lambda a: _l("Draw rule %(r)s must draw at least one question.", r=a.get("rule")),
}

_TEXTS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "bank-too-small": lambda a: _l(
        "%(n)s questions; a bank needs at least %(min)s so that learners cannot learn the "
        "answers by heart.", n=a["n"], min=a["min"]),
    "long-correct-option": lambda a: _l(
        "The correct option is much longer than the others (%(c)s characters, the longest "
        "distractor %(d)s): learners can guess it by its length.",
        c=a["correct"], d=a["longest"]),
    "length-bias": lambda a: _l(
        "The correct option is the longest in %(count)s of %(total)s single-choice questions "
        "(%(share)s; at most %(max)s): %(ids)s.", **a),
    "position-bias": lambda a: _l(
        "Option %(option)s is the correct one in %(count)s of %(total)s single-choice questions "
        "(%(share)s; at most %(max)s per position).", **a),
    "answer-in-stem": lambda a: _l("The answer “%(t)s” appears in the question text.",
                                   t=a["text"]),
    "near-duplicate": lambda a: _l("The question text is %(share)s similar to question "
                                   "%(other)s.", **a),
    "duplicate-id": lambda a: _l("The id %(id)s is used twice.", id=a["id"]),
    "all-options-correct": lambda a: _l(
        "Every option is correct: a learner who ticks all of them scores."),
    "true-false-balance": lambda a: _l(
        "%(true)s of %(total)s true/false statements are true (%(share)s); keep between "
        "%(low)s and %(high)s so that guessing does not pay.", **a),
    "all-but-one-correct": lambda a: _l(
        "All options but one are correct in %(count)s of %(total)s multiple-choice questions "
        "(%(share)s; at most %(max)s): %(ids)s.", **a),
    "unknown-bank": lambda a: _l("Draw rule %(r)s: there is no question bank %(b)s in this "
                                 "course.", r=a["rule"], b=a["bank"]),
    "tag-without-questions": lambda a: _l(
        "Draw rule %(r)s: no question of bank %(b)s carries the tag %(t)s.",
        r=a["rule"], b=a["bank"], t=a["tag"]),
    "too-few-questions": lambda a: _l(
        "Draw rule %(r)s asks for %(c)s questions but only %(n)s can be drawn.",
        r=a["rule"], c=a["count"], n=a["n"]),
    "high-exposure": lambda a: (_l(
        "Over %(n)s attempts a learner sees about %(share)s of the questions (at most "
        "%(max)s): add questions, draw fewer or allow fewer attempts.",
        n=a["attempts"], share=a["share"], max=a["max"]) if a.get("attempts") else _l(
        "With unlimited attempts a learner sees about %(share)s of the questions (at most "
        "%(max)s): limit the attempts or add questions.", share=a["share"], max=a["max"])),
    "minutes-inflated": lambda a: _l(
        "States %(s)s minutes but reads in about %(m)s (text and worked examples); at most "
        "%(a)s minutes may be stated.", s=a["stated"], m=a["measured"], a=a["allowed"]),
    "title-repeated": lambda a: _l(
        "The first heading “%(h)s” repeats the lesson title; start with the learning goals.",
        h=a["heading"]),
    "lesson-without-topic": lambda a: _l(
        "The lesson has no topic: give it the question tag that tests it."),
    "question-without-topic": lambda a: _l(
        "%(n)s question(s) carry no lesson topic as a tag: %(ids)s.", n=a["n"], ids=a["ids"]),
    "topic-too-few-questions": lambda a: _l(
        "The topic %(t)s has %(n)s question(s); at least %(min)s are needed.",
        t=a["topic"], n=a["n"], min=a["min"]),
    "topic-not-drawn": lambda a: _l(
        "No required quiz draws questions with the tag %(t)s, so this lesson may go untested.",
        t=a["topic"]),
    "tag-without-lesson": lambda a: _l("Draws the tag %(t)s, which is no lesson's topic.",
                                       t=a["tag"]),
    "duplicate-bank-id": lambda a: _l("Two question banks use the id %(b)s.", b=a["bank"]),
}


def _ids(ids: Any) -> str:
    """"q1, q2 and 3 more" (bank_checks.id_list) in the interface language."""
    m = re.fullmatch(r"(.*) and (\d+) more", str(ids))
    return str(_l("%(ids)s and %(n)s more", ids=m[1], n=m[2])) if m else str(ids)


def in_words(finding: Finding) -> str:
    """The finding in the interface language (its English message when it has no text)."""
    args = dict(finding.args)
    if "ids" in args:
        args["ids"] = _ids(args["ids"])
    try:
        if "detail" in args and args["detail"] in _DETAILS:
            return str(_DETAILS[args["detail"]](args))
        if finding.code in _TEXTS:
            return str(_TEXTS[finding.code](args))
    except KeyError:
        pass
    return finding.message


@dataclass
class Shown:
    level: str  # "error" | "warning"
    code: str
    text: str
    question: str | None = None  # the question's id, for findings about one question


@dataclass
class DraftChecks:
    """The findings of a draft, filed under what they concern."""

    course: list[Shown] = field(default_factory=list)
    banks: dict[str, list[Shown]] = field(default_factory=dict)
    quizzes: dict[str, list[Shown]] = field(default_factory=dict)
    lessons: dict[str, list[Shown]] = field(default_factory=dict)  # by slug

    @property
    def all(self) -> list[Shown]:
        return [*self.course, *(s for group in (self.banks, self.quizzes, self.lessons)
                                for shown in group.values() for s in shown)]

    @property
    def errors(self) -> int:
        return sum(s.level == "error" for s in self.all)

    @property
    def warnings(self) -> int:
        return sum(s.level == "warning" for s in self.all)

    def questions(self, bank_id: str) -> dict[str, list[Shown]]:
        """A bank's findings about single questions, by question id."""
        out: dict[str, list[Shown]] = {}
        for s in self.banks.get(bank_id, []):
            if s.question:
                out.setdefault(s.question, []).append(s)
        return out


def file_findings(findings: list[Finding]) -> DraftChecks:
    out = DraftChecks()
    for f in findings:
        kind, _sep, rest = f.where.partition(" ")
        shown = Shown(f.level, f.code, in_words(f))
        if kind == "bank" and rest:
            out.banks.setdefault(rest, []).append(shown)
        elif kind == "quiz" and rest:
            out.quizzes.setdefault(rest, []).append(shown)
        elif kind == "lesson" and rest:
            out.lessons.setdefault(Path(rest).stem, []).append(shown)
        elif "/" in f.where and " " not in f.where:
            bank_id, _slash, qid = f.where.partition("/")
            shown.question = qid
            out.banks.setdefault(bank_id, []).append(shown)
        else:
            out.course.append(shown)
    return out


def check_draft(draft: Mapping[str, Any]) -> DraftChecks:
    return file_findings(draft_findings(draft))
