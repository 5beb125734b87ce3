"""Anti-guessing and consistency checks for question banks, quizzes and course folders.

Pure: imports only the standard library and PyYAML, so it runs in CI, from the command line
(``python -m lms.assessment.course_checks PATH [PATH...]``, or ``flask lms check-banks``) and
inside the app alike. This module holds the findings and the bank rules; the quiz rules live
in `lms.assessment.quiz_checks`, lessons, course folders and the command line in
`lms.assessment.course_checks`.

Every finding has a level ("error" or "warning"), a stable ``code`` (for translation in a
UI), a ``where`` ("bank B", "B/q07", "quiz final", "lesson lessons/01-x.md", "course") and
an English message.

Thresholds (constants of the module that applies the rule: this one for banks,
`quiz_checks` for quizzes, `course_checks` for lessons and topics):

=========================  ==========  =========================================================
constant                   value       rule (code)
=========================  ==========  =========================================================
BANK_MIN_QUESTIONS         40          fewer questions in a bank -> bank-too-small
LENGTH_BIAS_SHARE          0.30        correct option uniquely longest in more than this share of
LENGTH_BIAS_MIN_SINGLE     5           single questions (judged from 5 singles on) -> length-bias
LONG_CORRECT_RATIO         1.3         correct option longer than 1.3 x the longest distractor
LONG_CORRECT_MIN_EXTRA     6           and at least 6 characters longer -> long-correct-option
POSITION_BIAS_SHARE        0.35        one position holds the correct option in more than this
POSITION_BIAS_MIN_SINGLE   8           share of singles (from 8 singles on) -> position-bias
TF_TRUE_RANGE              0.4-0.6     share of `answer: true` outside it (from 5 true/false
TF_MIN                     5           questions on) -> true-false-balance
ALL_BUT_ONE_SHARE          0.25        multiple questions with all options but one correct
                                       in more than this share -> all-but-one-correct
ANSWER_IN_STEM_MIN_CHARS   4           a correct option this long appearing verbatim in the stem
                                       (short_text: any accepted answer) -> answer-in-stem
NEAR_DUPLICATE_RATIO       0.85        difflib ratio of normalised stems -> near-duplicate
EXPOSURE_MAX               0.6         expected share of the eligible pool seen over all
                                       attempts -> high-exposure
TOPIC_MIN_QUESTIONS        6           questions per lesson topic -> topic-too-few-questions
MINUTES_INFLATION          1.5         stated minutes > 1.5 x measured -> minutes-inflated
CJK_CHARS_PER_MIN          300         measured minutes = Han characters / 300
LATIN_WORDS_PER_MIN        200           + latin words / 200
EXAMPLE_MINUTES            2             + 2 per heading with 工作示例 / 案例 / 练习
=========================  ==========  =========================================================

Errors: bank-invalid, question-invalid, duplicate-id, all-options-correct, quiz-invalid,
unknown-bank, tag-without-questions, too-few-questions, duplicate-bank-id, file-missing,
file-unreadable. Warnings: everything else, plus lesson-without-topic, topic-not-drawn (a
lesson topic no required quiz draws by tag), tag-without-lesson (a quiz draws a tag that is
no lesson's topic) and question-without-topic (questions carrying no lesson topic).

Exposure: a draw rule taking k of its n eligible questions, over a attempts, leaves each of
them unseen with probability (1 - k/n)^a; a question eligible for several rules multiplies
those. Exposure is the mean over the whole eligible pool of 1 - P(unseen); unlimited attempts
(max_attempts 0) count as exposure 1.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

BANK_MIN_QUESTIONS = 40
LENGTH_BIAS_SHARE = 0.30
LENGTH_BIAS_MIN_SINGLE = 5
LONG_CORRECT_RATIO = 1.3
LONG_CORRECT_MIN_EXTRA = 6
POSITION_BIAS_SHARE = 0.35
POSITION_BIAS_MIN_SINGLE = 8
TF_TRUE_RANGE = (0.4, 0.6)
TF_MIN = 5
ALL_BUT_ONE_SHARE = 0.25
ANSWER_IN_STEM_MIN_CHARS = 4
NEAR_DUPLICATE_RATIO = 0.85
TYPES = ("single", "multiple", "true_false", "numeric", "short_text")
_MAX_IDS_LISTED = 12


@dataclass
class Finding:
    level: str  # "error" | "warning"
    code: str  # stable, e.g. "length-bias"
    where: str  # "bank B", "B/q07", "quiz final", "lesson lessons/01-x.md", "course"
    message: str  # English
    # The values the message names, for a translated text in a UI (see lms/studio/checks.py)
    args: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.level.upper()} {self.code} {self.where}: {self.message}"


def err(code: str, where: str, message: str, **args: Any) -> Finding:
    return Finding("error", code, where, message, args)


def warn(code: str, where: str, message: str, **args: Any) -> Finding:
    return Finding("warning", code, where, message, args)


def normalise(text: str) -> str:
    """As the grader compares answers: NFKC, case-folded, without any whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def pct(x: float) -> str:
    return f"{round(x * 100)}%"


def id_list(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:_MAX_IDS_LISTED])
    return shown + (f" and {len(ids) - _MAX_IDS_LISTED} more" if len(ids) > _MAX_IDS_LISTED
                    else "")


@dataclass
class _Choice:
    qid: str
    texts: list[str]
    correct: list[int]


def _choice(q: Mapping[str, Any], qid: str, where: str,
            findings: list[Finding]) -> _Choice | None:
    opts = q.get("options")
    if not isinstance(opts, list) or len(opts) < 2 or not all(
            isinstance(o, Mapping) and str(o.get("text", "")).strip() for o in opts):
        findings.append(err("question-invalid", where,
                            "a choice question needs at least two options, each with text",
                            detail="options"))
        return None
    texts = [str(o["text"]).strip() for o in opts]
    correct = [i for i, o in enumerate(opts) if o.get("correct") is True]
    if q.get("type") == "single" and len(correct) != 1:
        findings.append(err("question-invalid", where, "a single-choice question needs "
                            f"exactly one correct option (found {len(correct)})",
                            detail="single", n=len(correct)))
        return None
    if q.get("type") == "multiple" and len(correct) < 2:
        findings.append(err("question-invalid", where, "a multiple-choice question needs "
                            f"at least two correct options (found {len(correct)})",
                            detail="multiple", n=len(correct)))
        return None
    return _Choice(qid, texts, correct)


def _single_rules(bank_where: str, bank_id: str, singles: list[_Choice]) -> list[Finding]:
    out: list[Finding] = []
    longest: list[str] = []
    positions: Counter[int] = Counter()
    for c in singles:
        right = c.correct[0]
        positions[right] += 1
        lengths = [len(t) for t in c.texts]
        others = [n for i, n in enumerate(lengths) if i != right]
        if lengths[right] > max(others):
            longest.append(c.qid)
        if lengths[right] > LONG_CORRECT_RATIO * max(others) and \
                lengths[right] - max(others) >= LONG_CORRECT_MIN_EXTRA:
            out.append(warn("long-correct-option", f"{bank_id}/{c.qid}",
                            f"the correct option has {lengths[right]} characters, the longest "
                            f"distractor {max(others)} (more than {LONG_CORRECT_RATIO}x and "
                            f"{LONG_CORRECT_MIN_EXTRA}+ characters longer)",
                            correct=lengths[right], longest=max(others)))
    n = len(singles)
    if n >= LENGTH_BIAS_MIN_SINGLE and len(longest) / n > LENGTH_BIAS_SHARE:
        out.append(warn("length-bias", bank_where,
                        f"the correct option is the longest in {len(longest)} of {n} single-"
                        f"choice questions ({pct(len(longest) / n)}, at most "
                        f"{pct(LENGTH_BIAS_SHARE)} allowed): {id_list(longest)}",
                        count=len(longest), total=n, share=pct(len(longest) / n),
                        max=pct(LENGTH_BIAS_SHARE), ids=id_list(longest)))
    if n >= POSITION_BIAS_MIN_SINGLE:
        for pos, count in sorted(positions.items()):
            if count / n > POSITION_BIAS_SHARE:
                out.append(warn("position-bias", bank_where,
                                f"option {chr(ord('A') + pos)} is the correct one in {count} "
                                f"of {n} single-choice questions ({pct(count / n)}, at most "
                                f"{pct(POSITION_BIAS_SHARE)} per position)",
                                option=chr(ord('A') + pos), count=count, total=n,
                                share=pct(count / n), max=pct(POSITION_BIAS_SHARE)))
    return out


def _answer_in_stem(q: Mapping[str, Any], where: str, choice: _Choice | None) -> list[Finding]:
    stem = str(q.get("text", ""))
    if choice is not None:
        for i in choice.correct:
            t = choice.texts[i]
            if len(t) >= ANSWER_IN_STEM_MIN_CHARS and t in stem:
                return [warn("answer-in-stem", where,
                             f"the correct option “{t}” appears verbatim in the stem",
                             text=t)]
    if q.get("type") == "short_text" and isinstance(q.get("accept"), list):
        nstem = normalise(stem)
        for a in q["accept"]:
            na = normalise(str(a))
            if na and na in nstem:
                return [warn("answer-in-stem", where,
                             f"the accepted answer “{a}” appears in the stem", text=str(a))]
    return []


def _near_duplicates(bank_id: str, stems: list[tuple[str, str]]) -> list[Finding]:
    out: list[Finding] = []
    matcher = difflib.SequenceMatcher(autojunk=False)
    for j, (qid_b, b) in enumerate(stems):
        matcher.set_seq2(b)
        for qid_a, a in stems[:j]:
            matcher.set_seq1(a)
            if (matcher.real_quick_ratio() >= NEAR_DUPLICATE_RATIO
                    and matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO):
                ratio = matcher.ratio()
                if ratio >= NEAR_DUPLICATE_RATIO:
                    out.append(warn("near-duplicate", f"{bank_id}/{qid_b}",
                                    f"the stem is {pct(ratio)} similar to {qid_a}",
                                    share=pct(ratio), other=qid_a))
                    break
    return out


def check_bank(bank: Mapping[str, Any]) -> list[Finding]:
    """Check one bank as parsed from YAML (see courses/FORMAT.md)."""
    if not isinstance(bank, Mapping):
        return [err("bank-invalid", "bank ?", "a bank must be a mapping", detail="mapping")]
    bank_id = str(bank.get("id") or "?")
    bank_where = f"bank {bank_id}"
    raw = bank.get("questions")
    if not isinstance(raw, list) or not raw:
        return [err("bank-invalid", bank_where, "the bank has no list of questions",
                    detail="questions")]
    findings: list[Finding] = []
    seen: set[str] = set()
    singles: list[_Choice] = []
    multiples: list[_Choice] = []
    tf_answers: list[bool] = []
    stems: list[tuple[str, str]] = []
    for n, q in enumerate(raw, 1):
        if not isinstance(q, Mapping):
            findings.append(err("question-invalid", f"{bank_id}/#{n}",
                                "a question must be a mapping", detail="mapping"))
            continue
        qid = str(q.get("id") or f"#{n}")
        where = f"{bank_id}/{qid}"
        if qid in seen:
            findings.append(err("duplicate-id", where, f"the id {qid} is used twice", id=qid))
        seen.add(qid)
        kind = q.get("type")
        if kind not in TYPES:
            findings.append(err("question-invalid", where, f"unknown type {kind!r}",
                                detail="type", type=str(kind)))
            continue
        if not str(q.get("text") or "").strip():
            findings.append(err("question-invalid", where, "the stem is empty", detail="stem"))
            continue
        stems.append((qid, normalise(str(q["text"]))))
        choice = _choice(q, qid, where, findings) if kind in ("single", "multiple") else None
        if kind == "single" and choice is not None:
            singles.append(choice)
        elif kind == "multiple" and choice is not None:
            multiples.append(choice)
            if len(choice.correct) == len(choice.texts):
                findings.append(err("all-options-correct", where,
                                    "every option is correct; learners can tick all"))
        elif kind == "true_false" and isinstance(q.get("answer"), bool):
            tf_answers.append(q["answer"])
        findings.extend(_answer_in_stem(q, where, choice))
    total = len(raw)
    if total < BANK_MIN_QUESTIONS:
        findings.append(warn("bank-too-small", bank_where,
                             f"{total} questions; at least {BANK_MIN_QUESTIONS} needed",
                             n=total, min=BANK_MIN_QUESTIONS))
    findings.extend(_single_rules(bank_where, bank_id, singles))
    if len(tf_answers) >= TF_MIN:
        share = sum(tf_answers) / len(tf_answers)
        low, high = TF_TRUE_RANGE
        if not low <= share <= high:
            findings.append(warn("true-false-balance", bank_where,
                                 f"{sum(tf_answers)} of {len(tf_answers)} true/false questions "
                                 f"are true ({pct(share)}; keep between {pct(low)} and "
                                 f"{pct(high)})", true=sum(tf_answers), total=len(tf_answers),
                                 share=pct(share), low=pct(low), high=pct(high)))
    abo = [c.qid for c in multiples if len(c.correct) == len(c.texts) - 1]
    if multiples and len(abo) / len(multiples) > ALL_BUT_ONE_SHARE:
        findings.append(warn("all-but-one-correct", bank_where,
                             f"all options but one are correct in {len(abo)} of "
                             f"{len(multiples)} multiple-choice questions "
                             f"({pct(len(abo) / len(multiples))}, at most "
                             f"{pct(ALL_BUT_ONE_SHARE)}): {id_list(abo)}", count=len(abo),
                             total=len(multiples), share=pct(len(abo) / len(multiples)),
                             max=pct(ALL_BUT_ONE_SHARE), ids=id_list(abo)))
    findings.extend(_near_duplicates(bank_id, stems))
    return findings
