"""Checks of a course folder as a whole: its lessons (reading time against the stated
minutes, the first heading), their topics against the banks' tags and the quizzes' draw
rules, and every bank and quiz it lists (see `lms.assessment.bank_checks` for the rules and
thresholds)."""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lms.assessment.bank_checks import Finding, check_bank, err, id_list, normalise, warn
from lms.assessment.quiz_checks import as_int, check_quiz, questions_of, tags_of

TOPIC_MIN_QUESTIONS = 6
MINUTES_INFLATION = 1.5
CJK_CHARS_PER_MIN = 300
LATIN_WORDS_PER_MIN = 200
EXAMPLE_MINUTES = 2
EXAMPLE_HEADING_WORDS = ("工作示例", "案例", "练习")
DEFAULT_LESSON_MINUTES = 10  # as in the package format


class CourseReadError(ValueError):
    """A course folder that cannot be read at all (no course.yaml, invalid YAML)."""


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
    stated = as_int(ref.get("minutes", DEFAULT_LESSON_MINUTES))
    if stated is not None and stated > MINUTES_INFLATION * reading.minutes:
        out.append(warn("minutes-inflated", where,
                        f"states {stated} minutes but measures {reading.minutes:.1f} "
                        f"({reading.cjk_chars} CJK characters, {reading.latin_words} latin "
                        f"words, {reading.examples} worked examples/exercises); at most "
                        f"{int(MINUTES_INFLATION * reading.minutes)} minutes allowed",
                        stated=stated, measured=f"{reading.minutes:.1f}",
                        allowed=int(MINUTES_INFLATION * reading.minutes)))
    heads = _headings(body)
    if heads and normalise(heads[0]) in _titles(ref.get("title")):
        out.append(warn("title-repeated", where,
                        f"the first heading “{heads[0]}” repeats the lesson title; "
                        "start with ## 学习目标", heading=heads[0]))
    return out


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
            findings.append(err("file-missing", "course", f"quiz bank file {file!r} not found"))
            continue
        bank = _load_yaml(path)
        findings.extend(check_bank(bank))
        if isinstance(bank, Mapping):
            bank_id = str(bank.get("id"))
            if bank_id in banks:
                findings.append(err("duplicate-bank-id", f"bank {bank_id}",
                                    f"two bank files use the id {bank_id}", bank=bank_id))
            banks[bank_id] = bank
    return banks


def _drawn_tags(quizzes: Iterable[Mapping[str, Any]]) -> set[str]:
    return {str(r["tag"]) for q in quizzes for r in _list_of_maps(q.get("draw"))
            if r.get("tag") is not None}


def check_topics(lessons: list[Mapping[str, Any]], quizzes: list[Mapping[str, Any]],
                 banks: Mapping[str, Mapping[str, Any]]) -> list[Finding]:
    """Lesson topics against the banks' tags and the quizzes' draw rules."""
    out: list[Finding] = []
    topics: dict[str, str] = {}
    for ref in lessons:
        if ref.get("topic"):
            topics.setdefault(str(ref["topic"]), str(ref.get("file")))
        else:
            out.append(warn("lesson-without-topic", f"lesson {ref.get('file')}",
                            "the lesson has no `topic:` (the bank tag that tests it)"))
    if not topics:
        return out
    per_tag: Counter[str] = Counter()
    for bank_id, bank in banks.items():
        untopical: list[str] = []
        for q in questions_of(bank):
            tags = set(tags_of(q))
            per_tag.update(tags)
            if not tags & topics.keys():
                untopical.append(str(q.get("id")))
        if untopical:
            out.append(warn("question-without-topic", f"bank {bank_id}",
                            f"{len(untopical)} questions carry no lesson topic as a tag: "
                            f"{id_list(untopical)}", n=len(untopical), ids=id_list(untopical)))
    required = [q for q in quizzes if q.get("required", True) is not False]
    drawn_required = _drawn_tags(required)
    for topic, file in topics.items():
        where = f"lesson {file}"
        if per_tag[topic] < TOPIC_MIN_QUESTIONS:
            out.append(warn("topic-too-few-questions", where,
                            f"the topic {topic} has {per_tag[topic]} questions; at least "
                            f"{TOPIC_MIN_QUESTIONS} needed", topic=topic, n=per_tag[topic],
                            min=TOPIC_MIN_QUESTIONS))
        if required and topic not in drawn_required:
            out.append(warn("topic-not-drawn", where,
                            f"no required quiz has a draw rule with tag {topic}", topic=topic))
    for quiz in quizzes:
        for tag in sorted(_drawn_tags([quiz]) - topics.keys()):
            out.append(warn("tag-without-lesson", f"quiz {quiz.get('id') or '?'}",
                            f"draws the tag {tag}, which is no lesson's topic", tag=tag))
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
            findings.append(err("file-missing", f"lesson {file}", "lesson file not found"))
            continue
        try:
            body = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            findings.append(err("file-unreadable", f"lesson {file}", "not readable UTF-8"))
            continue
        findings.extend(check_lesson(ref, body))
    findings.extend(check_topics(lessons, quizzes, banks))
    return findings


def course_folders(arg: str) -> list[Path]:
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
    """The command line: check course folders, print every finding; exit 1 on findings."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        print("usage: python -m lms.assessment.course_checks PATH [PATH...]")
        return 2
    results: list[tuple[Path, list[Finding]]] = []
    try:
        folders = [f for arg in args for f in course_folders(arg)]
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
