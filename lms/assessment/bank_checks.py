"""Anti-guessing and consistency checks for question banks, quizzes and course folders.

Pure: imports only the standard library and PyYAML, so it runs in CI, from the command line
(``python -m lms.assessment.bank_checks PATH [PATH...]``) and inside the app alike.

Every finding has a level ("error" or "warning"), a stable ``code`` (for translation in a
UI), a ``where`` ("bank B", "B/q07", "quiz final", "lesson lessons/01-x.md", "course") and
an English message.

Thresholds (module constants below):

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
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

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
EXPOSURE_MAX = 0.6
TOPIC_MIN_QUESTIONS = 6
MINUTES_INFLATION = 1.5
CJK_CHARS_PER_MIN = 300
LATIN_WORDS_PER_MIN = 200
EXAMPLE_MINUTES = 2
EXAMPLE_HEADING_WORDS = ("工作示例", "案例", "练习")
DEFAULT_LESSON_MINUTES = 10  # as in the package format
TYPES = ("single", "multiple", "true_false", "numeric", "short_text")
_MAX_IDS_LISTED = 12


@dataclass
class Finding:
    level: str  # "error" | "warning"
    code: str  # stable, e.g. "length-bias"
    where: str  # "bank B", "B/q07", "quiz final", "lesson lessons/01-x.md", "course"
    message: str  # English

    def __str__(self) -> str:
        return f"{self.level.upper()} {self.code} {self.where}: {self.message}"


class CourseReadError(ValueError):
    """A course folder that cannot be read at all (no course.yaml, invalid YAML)."""


def _err(code: str, where: str, message: str) -> Finding:
    return Finding("error", code, where, message)


def _warn(code: str, where: str, message: str) -> Finding:
    return Finding("warning", code, where, message)


def normalise(text: str) -> str:
    """As the grader compares answers: NFKC, case-folded, without any whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def _pct(x: float) -> str:
    return f"{round(x * 100)}%"


def _ids(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:_MAX_IDS_LISTED])
    return shown + (f" and {len(ids) - _MAX_IDS_LISTED} more" if len(ids) > _MAX_IDS_LISTED
                    else "")


def _tags(q: Mapping[str, Any]) -> list[str]:
    tags = q.get("tags")
    return [str(t) for t in tags] if isinstance(tags, list) else []


def _questions(bank: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    qs = bank.get("questions")
    return [q for q in qs if isinstance(q, Mapping)] if isinstance(qs, list) else []


# --- banks -------------------------------------------------------------------------------

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
        findings.append(_err("question-invalid", where,
                             "a choice question needs at least two options, each with text"))
        return None
    texts = [str(o["text"]).strip() for o in opts]
    correct = [i for i, o in enumerate(opts) if o.get("correct") is True]
    if q.get("type") == "single" and len(correct) != 1:
        findings.append(_err("question-invalid", where, "a single-choice question needs "
                             f"exactly one correct option (found {len(correct)})"))
        return None
    if q.get("type") == "multiple" and len(correct) < 2:
        findings.append(_err("question-invalid", where, "a multiple-choice question needs "
                             f"at least two correct options (found {len(correct)})"))
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
            out.append(_warn("long-correct-option", f"{bank_id}/{c.qid}",
                             f"the correct option has {lengths[right]} characters, the longest "
                             f"distractor {max(others)} (more than {LONG_CORRECT_RATIO}x and "
                             f"{LONG_CORRECT_MIN_EXTRA}+ characters longer)"))
    n = len(singles)
    if n >= LENGTH_BIAS_MIN_SINGLE and len(longest) / n > LENGTH_BIAS_SHARE:
        out.append(_warn("length-bias", bank_where,
                         f"the correct option is the longest in {len(longest)} of {n} single-"
                         f"choice questions ({_pct(len(longest) / n)}, at most "
                         f"{_pct(LENGTH_BIAS_SHARE)} allowed): {_ids(longest)}"))
    if n >= POSITION_BIAS_MIN_SINGLE:
        for pos, count in sorted(positions.items()):
            if count / n > POSITION_BIAS_SHARE:
                out.append(_warn("position-bias", bank_where,
                                 f"option {chr(ord('A') + pos)} is the correct one in {count} "
                                 f"of {n} single-choice questions ({_pct(count / n)}, at most "
                                 f"{_pct(POSITION_BIAS_SHARE)} per position)"))
    return out


def _answer_in_stem(q: Mapping[str, Any], where: str, choice: _Choice | None) -> list[Finding]:
    stem = str(q.get("text", ""))
    if choice is not None:
        for i in choice.correct:
            t = choice.texts[i]
            if len(t) >= ANSWER_IN_STEM_MIN_CHARS and t in stem:
                return [_warn("answer-in-stem", where,
                              f"the correct option “{t}” appears verbatim in the stem")]
    if q.get("type") == "short_text" and isinstance(q.get("accept"), list):
        nstem = normalise(stem)
        for a in q["accept"]:
            na = normalise(str(a))
            if na and na in nstem:
                return [_warn("answer-in-stem", where,
                              f"the accepted answer “{a}” appears in the stem")]
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
                    out.append(_warn("near-duplicate", f"{bank_id}/{qid_b}",
                                     f"the stem is {_pct(ratio)} similar to {qid_a}"))
                    break
    return out


def check_bank(bank: Mapping[str, Any]) -> list[Finding]:
    """Check one bank as parsed from YAML (see courses/FORMAT.md)."""
    if not isinstance(bank, Mapping):
        return [_err("bank-invalid", "bank ?", "a bank must be a mapping")]
    bank_id = str(bank.get("id") or "?")
    bank_where = f"bank {bank_id}"
    raw = bank.get("questions")
    if not isinstance(raw, list) or not raw:
        return [_err("bank-invalid", bank_where, "the bank has no list of questions")]
    findings: list[Finding] = []
    seen: set[str] = set()
    singles: list[_Choice] = []
    multiples: list[_Choice] = []
    tf_answers: list[bool] = []
    stems: list[tuple[str, str]] = []
    for n, q in enumerate(raw, 1):
        if not isinstance(q, Mapping):
            findings.append(_err("question-invalid", f"{bank_id}/#{n}",
                                 "a question must be a mapping"))
            continue
        qid = str(q.get("id") or f"#{n}")
        where = f"{bank_id}/{qid}"
        if qid in seen:
            findings.append(_err("duplicate-id", where, f"the id {qid} is used twice"))
        seen.add(qid)
        kind = q.get("type")
        if kind not in TYPES:
            findings.append(_err("question-invalid", where, f"unknown type {kind!r}"))
            continue
        if not str(q.get("text") or "").strip():
            findings.append(_err("question-invalid", where, "the stem is empty"))
            continue
        stems.append((qid, normalise(str(q["text"]))))
        choice = _choice(q, qid, where, findings) if kind in ("single", "multiple") else None
        if kind == "single" and choice is not None:
            singles.append(choice)
        elif kind == "multiple" and choice is not None:
            multiples.append(choice)
            if len(choice.correct) == len(choice.texts):
                findings.append(_err("all-options-correct", where,
                                     "every option is correct; learners can tick all"))
        elif kind == "true_false" and isinstance(q.get("answer"), bool):
            tf_answers.append(q["answer"])
        findings.extend(_answer_in_stem(q, where, choice))
    total = len(raw)
    if total < BANK_MIN_QUESTIONS:
        findings.append(_warn("bank-too-small", bank_where,
                              f"{total} questions; at least {BANK_MIN_QUESTIONS} needed"))
    findings.extend(_single_rules(bank_where, bank_id, singles))
    if len(tf_answers) >= TF_MIN:
        share = sum(tf_answers) / len(tf_answers)
        low, high = TF_TRUE_RANGE
        if not low <= share <= high:
            findings.append(_warn("true-false-balance", bank_where,
                                  f"{sum(tf_answers)} of {len(tf_answers)} true/false questions "
                                  f"are true ({_pct(share)}; keep between {_pct(low)} and "
                                  f"{_pct(high)})"))
    abo = [c.qid for c in multiples if len(c.correct) == len(c.texts) - 1]
    if multiples and len(abo) / len(multiples) > ALL_BUT_ONE_SHARE:
        findings.append(_warn("all-but-one-correct", bank_where,
                              f"all options but one are correct in {len(abo)} of "
                              f"{len(multiples)} multiple-choice questions "
                              f"({_pct(len(abo) / len(multiples))}, at most "
                              f"{_pct(ALL_BUT_ONE_SHARE)}): {_ids(abo)}"))
    findings.extend(_near_duplicates(bank_id, stems))
    return findings


# --- quizzes -----------------------------------------------------------------------------

def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def quiz_exposure(quiz: Mapping[str, Any], banks: Mapping[str, Mapping[str, Any]]
                  ) -> float | None:
    """Expected share of the eligible pool a learner sees over all attempts (None: no pool)."""
    attempts = _int(quiz.get("max_attempts", 0))
    unseen: dict[tuple[str, str], float] = {}
    for rule in quiz.get("draw") or []:
        if not isinstance(rule, Mapping):
            continue
        bank = banks.get(str(rule.get("bank")))
        count = _int(rule.get("count"))
        if bank is None or count is None or count < 1:
            continue
        tag = rule.get("tag")
        pool = [q for q in _questions(bank) if tag is None or tag in _tags(q)]
        if not pool:
            continue
        k, n = min(count, len(pool)), len(pool)
        miss = 0.0 if not attempts else (1 - k / n) ** attempts
        for i, q in enumerate(pool):
            key = (str(rule.get("bank")), str(q.get("id", f"#{i}")))
            unseen[key] = unseen.get(key, 1.0) * miss
    if not unseen:
        return None
    return 1 - sum(unseen.values()) / len(unseen)


def check_quiz(quiz: Mapping[str, Any], banks: Mapping[str, Mapping[str, Any]]
               ) -> list[Finding]:
    """Check a quiz's draw rules against the banks (keyed by bank id) and its exposure."""
    if not isinstance(quiz, Mapping):
        return [_err("quiz-invalid", "quiz ?", "a quiz must be a mapping")]
    where = f"quiz {quiz.get('id') or '?'}"
    draws = quiz.get("draw")
    if not isinstance(draws, list) or not draws:
        return [_err("quiz-invalid", where, "the quiz has no draw rules")]
    attempts = _int(quiz.get("max_attempts", 0))
    if attempts is None or attempts < 0:
        return [_err("quiz-invalid", where, "max_attempts must be a whole number ≥ 0")]
    findings: list[Finding] = []
    for i, rule in enumerate(draws, 1):
        if not isinstance(rule, Mapping):
            findings.append(_err("quiz-invalid", where, f"draw rule {i} is not a mapping"))
            continue
        bank_id, tag, count = rule.get("bank"), rule.get("tag"), _int(rule.get("count"))
        label = f"draw rule {i} ({bank_id}" + (f", tag {tag})" if tag else ")")
        if count is None or count < 1:
            findings.append(_err("quiz-invalid", where, f"{label}: count must be ≥ 1"))
            continue
        bank = banks.get(str(bank_id))
        if bank is None:
            findings.append(_err("unknown-bank", where, f"{label}: no bank {bank_id}"))
            continue
        pool = [q for q in _questions(bank) if tag is None or tag in _tags(q)]
        if tag is not None and not pool:
            findings.append(_err("tag-without-questions", where,
                                 f"{label}: no question in {bank_id} carries the tag {tag}"))
        elif len(pool) < count:
            findings.append(_err("too-few-questions", where,
                                 f"{label}: asks for {count} questions but only {len(pool)} "
                                 "are eligible"))
    exposure = quiz_exposure(quiz, banks)
    if exposure is not None and exposure > EXPOSURE_MAX:
        tries = f"over {attempts} attempts" if attempts else "with unlimited attempts"
        findings.append(_warn("high-exposure", where,
                              f"{tries} a learner sees about {_pct(exposure)} of the eligible "
                              f"questions (at most {_pct(EXPOSURE_MAX)}); add questions, "
                              "draw fewer or allow fewer attempts"))
    return findings


# --- lessons -----------------------------------------------------------------------------

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.\-][A-Za-z0-9]+)*")


@dataclass
class Reading:
    cjk_chars: int
    latin_words: int
    examples: int

    @property
    def minutes(self) -> float:
        return (self.cjk_chars / CJK_CHARS_PER_MIN + self.latin_words / LATIN_WORDS_PER_MIN
                + EXAMPLE_MINUTES * self.examples)


def _headings(markdown: str) -> list[str]:
    out: list[str] = []
    fenced = False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (m := _HEADING.match(line)):
            out.append(m.group(2))
    return out


def plain_text(markdown: str) -> str:
    """Markdown without syntax that is not read: link targets, URLs, fences, # * | > ` _ ~."""
    text = re.sub(r"<!--.*?-->", " ", markdown, flags=re.S)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<https?://[^>]*>|https?://\S+", " ", text)
    text = re.sub(r"^ {0,3}(```|~~~).*$", " ", text, flags=re.M)
    return re.sub(r"[#*|>`_~]", " ", text)


def measure_reading(markdown: str) -> Reading:
    text = plain_text(markdown)
    examples = sum(any(w in h for w in EXAMPLE_HEADING_WORDS) for h in _headings(markdown))
    return Reading(len(_CJK.findall(text)), len(_WORD.findall(text)), examples)


def _titles(title: Any) -> set[str]:
    if isinstance(title, Mapping):
        return {normalise(str(v)) for v in title.values() if v}
    return {normalise(str(title))} if title else set()


def check_lesson(ref: Mapping[str, Any], body: str) -> list[Finding]:
    """Minutes honesty and first-heading rules for one lesson (ref = its course.yaml entry)."""
    where = f"lesson {ref.get('file')}"
    out: list[Finding] = []
    reading = measure_reading(body)
    stated = _int(ref.get("minutes", DEFAULT_LESSON_MINUTES))
    if stated is not None and stated > MINUTES_INFLATION * reading.minutes:
        out.append(_warn("minutes-inflated", where,
                         f"states {stated} minutes but measures {reading.minutes:.1f} "
                         f"({reading.cjk_chars} CJK characters, {reading.latin_words} latin "
                         f"words, {reading.examples} worked examples/exercises); at most "
                         f"{int(MINUTES_INFLATION * reading.minutes)} minutes allowed"))
    heads = _headings(body)
    if heads and normalise(heads[0]) in _titles(ref.get("title")):
        out.append(_warn("title-repeated", where,
                         f"the first heading “{heads[0]}” repeats the lesson title; "
                         "start with ## 学习目标"))
    return out


# --- course folders ----------------------------------------------------------------------

def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise CourseReadError(f"{path}: cannot be read ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise CourseReadError(f"{path}: is not UTF-8 text") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        reason = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise CourseReadError(f"{path}: invalid YAML{at} ({reason})") from None


def _lesson_refs(course: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    refs: list[Mapping[str, Any]] = []
    for module in course.get("modules") or []:
        if isinstance(module, Mapping):
            refs.extend(r for r in module.get("lessons") or [] if isinstance(r, Mapping))
    return refs


def _list_of_maps(value: Any) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _load_banks(folder: Path, course: Mapping[str, Any],
                findings: list[Finding]) -> dict[str, Mapping[str, Any]]:
    banks: dict[str, Mapping[str, Any]] = {}
    for ref in _list_of_maps(course.get("quiz_banks")):
        file = str(ref.get("file", ""))
        path = folder / file
        if not file or not path.is_file():
            findings.append(_err("file-missing", "course", f"quiz bank file {file!r} not found"))
            continue
        bank = _load_yaml(path)
        findings.extend(check_bank(bank))
        if isinstance(bank, Mapping):
            bank_id = str(bank.get("id"))
            if bank_id in banks:
                findings.append(_err("duplicate-bank-id", f"bank {bank_id}",
                                     f"two bank files use the id {bank_id}"))
            banks[bank_id] = bank
    return banks


def _drawn_tags(quizzes: Iterable[Mapping[str, Any]]) -> set[str]:
    return {str(r["tag"]) for q in quizzes for r in _list_of_maps(q.get("draw"))
            if r.get("tag") is not None}


def _topic_findings(lessons: list[Mapping[str, Any]], quizzes: list[Mapping[str, Any]],
                    banks: Mapping[str, Mapping[str, Any]]) -> list[Finding]:
    out: list[Finding] = []
    topics: dict[str, str] = {}
    for ref in lessons:
        if ref.get("topic"):
            topics.setdefault(str(ref["topic"]), str(ref.get("file")))
        else:
            out.append(_warn("lesson-without-topic", f"lesson {ref.get('file')}",
                             "the lesson has no `topic:` (the bank tag that tests it)"))
    if not topics:
        return out
    per_tag: Counter[str] = Counter()
    for bank_id, bank in banks.items():
        untopical: list[str] = []
        for q in _questions(bank):
            tags = set(_tags(q))
            per_tag.update(tags)
            if not tags & topics.keys():
                untopical.append(str(q.get("id")))
        if untopical:
            out.append(_warn("question-without-topic", f"bank {bank_id}",
                             f"{len(untopical)} questions carry no lesson topic as a tag: "
                             f"{_ids(untopical)}"))
    required = [q for q in quizzes if q.get("required", True) is not False]
    drawn_required = _drawn_tags(required)
    for topic, file in topics.items():
        where = f"lesson {file}"
        if per_tag[topic] < TOPIC_MIN_QUESTIONS:
            out.append(_warn("topic-too-few-questions", where,
                             f"the topic {topic} has {per_tag[topic]} questions; at least "
                             f"{TOPIC_MIN_QUESTIONS} needed"))
        if required and topic not in drawn_required:
            out.append(_warn("topic-not-drawn", where,
                             f"no required quiz has a draw rule with tag {topic}"))
    for quiz in quizzes:
        for tag in sorted(_drawn_tags([quiz]) - topics.keys()):
            out.append(_warn("tag-without-lesson", f"quiz {quiz.get('id') or '?'}",
                             f"draws the tag {tag}, which is no lesson's topic"))
    return out


def check_course_folder(folder: Path) -> list[Finding]:
    """All checks for one course folder. Raises CourseReadError when it cannot be read."""
    folder = Path(folder)
    course = _load_yaml(folder / "course.yaml")
    if not isinstance(course, Mapping):
        raise CourseReadError(f"{folder / 'course.yaml'}: is not a YAML mapping")
    findings: list[Finding] = []
    banks = _load_banks(folder, course, findings)
    quizzes = _list_of_maps(course.get("quizzes"))
    for quiz in quizzes:
        findings.extend(check_quiz(quiz, banks))
    lessons = _lesson_refs(course)
    for ref in lessons:
        file = str(ref.get("file", ""))
        path = folder / file
        if not file or not path.is_file():
            findings.append(_err("file-missing", f"lesson {file}", "lesson file not found"))
            continue
        try:
            body = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            findings.append(_err("file-unreadable", f"lesson {file}", "not readable UTF-8"))
            continue
        findings.extend(check_lesson(ref, body))
    findings.extend(_topic_findings(lessons, quizzes, banks))
    return findings


# --- command line ------------------------------------------------------------------------

def _course_folders(arg: str) -> list[Path]:
    path = Path(arg)
    if not path.is_dir():
        raise CourseReadError(f"{arg}: no such folder")
    if (path / "course.yaml").is_file():
        return [path]
    found = sorted(p.parent for p in path.glob("*/course.yaml"))
    if not found:
        raise CourseReadError(f"{arg}: no course.yaml in it or in its sub-folders")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m lms.assessment.bank_checks PATH [PATH...]")
        return 2
    results: list[tuple[Path, list[Finding]]] = []
    try:
        folders = [f for arg in args for f in _course_folders(arg)]
        for folder in folders:
            results.append((folder, check_course_folder(folder)))
    except CourseReadError as e:
        print(f"ERROR unreadable {e}")
        return 2
    errors = warnings = 0
    for folder, findings in results:
        for f in findings:
            print(f"{f.level.upper()} {f.code} {folder.name} {f.where}: {f.message}")
            errors += f.level == "error"
            warnings += f.level == "warning"
    print(f"{len(results)} course folder(s) checked: {errors} error(s), {warnings} warning(s)")
    return 1 if errors or warnings else 0


if __name__ == "__main__":
    sys.exit(main())
