"""The bank importers' messages (English, from `lms.assessment.formats`) in the interface
language: "row 7: 答案: 'E' is not an option" → "第 7 行 · 答案：“E” 不是一个选项（已跳过）".

A message is "<where>: [<field>: ]<reason>[; <outcome>]". The field is a column header of the
trainer's own file (答案, 选项A) or a key of the format (answer, options) and is shown as it is,
the key translated. A reason this module does not know stays in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l

_WHERE: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Any]]] = [
    (re.compile(r"row (\d+)"), lambda m: _l("Row %(n)s", n=m[1])),
    (re.compile(r"question (\d+) \(line (\d+)\)"),
     lambda m: _l("Question %(n)s (line %(l)s)", n=m[1], l=m[2])),
    (re.compile(r"question (\d+) \((.+)\)"),
     lambda m: _l("Question %(n)s (%(name)s)", n=m[1], name=m[2])),
    (re.compile(r"question (\d+)"), lambda m: _l("Question %(n)s", n=m[1])),
]
_OUTCOMES = {"skipped": _l("skipped"), "dropped": _l("left out"),
             "a new one is given": _l("a new one is given")}
_FIELDS = {"answer": _l("Answer"), "options": _l("Options"), "text": _l("Question text"),
           "type": _l("Type"), "id": _l("Id"), "tolerance": _l("Tolerance"), "unit": _l("Unit"),
           "difficulty": _l("Difficulty"), "tags": _l("Tags")}
_REASONS: list[tuple[str, Callable[[re.Match[str]], Any]]] = [
    # whole files
    (r"the file cannot be read \((.*)\)", lambda m: _l("the file cannot be read (%(d)s)",
                                                        d=m[1])),
    (r"the file is larger than (\d+) MB", lambda m: _l("the file is larger than %(n)s MB",
                                                       n=m[1])),
    (r"the file is not UTF-8 text", lambda m: _l("the file is not UTF-8 text")),
    (r"XML with a DOCTYPE or ENTITY declaration is not accepted",
     lambda m: _l("XML with a DOCTYPE or ENTITY declaration is not accepted")),
    (r"the file is not well-formed XML \((.*)\)",
     lambda m: _l("the file is not well-formed XML (%(d)s)", d=m[1])),
    (r"the root element is <(.*)>, not Moodle's <quiz>",
     lambda m: _l("the root element is <%(t)s>, not Moodle's <quiz>", t=m[1])),
    (r"the file is not a readable \.xlsx workbook",
     lambda m: _l("the file is not a readable Excel workbook")),
    (r"no sheet has a header row with 题型, 题干 and 答案 \(looked at the first (\d+) rows\)",
     lambda m: _l("no sheet has a header row with 题型, 题干 and 答案 (looked at the first "
                  "%(n)s rows); download the template to see the layout", n=m[1])),
    (r"only the first (\d+) rows were read",
     lambda m: _l("only the first %(n)s rows were read", n=m[1])),
    # questions
    (r"'(.*)' is not a valid tag .*", lambda m: _l("“%(t)s” is not a valid tag (use a-z, 0-9, "
                                                    "'-' and '_')", t=m[1])),
    (r"'(.*)' is not supported", lambda m: _l("the type “%(t)s” is not supported", t=m[1])),
    (r"type '(.*)' is not supported", lambda m: _l("the type “%(t)s” is not supported",
                                                   t=m[1])),
    (r"the stem is empty|empty", lambda m: _l("empty")),
    (r"a choice question needs (\d+) to (\d+) options",
     lambda m: _l("a choice question needs %(a)s to %(b)s options", a=m[1], b=m[2])),
    (r"a choice question needs options", lambda m: _l("a choice question needs options")),
    (r"an option has no text", lambda m: _l("an option has no text")),
    (r"two options have the same text", lambda m: _l("two options have the same text")),
    (r"a single-choice question needs exactly one correct option \((\d+)\)",
     lambda m: _l("a single-choice question needs exactly one correct option (%(n)s marked)",
                  n=m[1])),
    (r"a multiple-choice question needs two or more correct options \((\d+)\)",
     lambda m: _l("a multiple-choice question needs two or more correct options "
                  "(%(n)s marked)", n=m[1])),
    (r"a true/false question needs true or false",
     lambda m: _l("a true/false question needs true or false")),
    (r"a numeric question needs a number", lambda m: _l("a numeric question needs a number")),
    (r"must not be negative", lambda m: _l("must not be negative")),
    (r"longer than (\d+) characters", lambda m: _l("longer than %(n)s characters", n=m[1])),
    (r"a short-text question needs at least one accepted answer",
     lambda m: _l("a short-text question needs at least one accepted answer")),
    (r"'(.*)' is not a valid id", lambda m: _l("“%(x)s” is not a valid id", x=m[1])),
    (r"'(.*)' is used twice", lambda m: _l("“%(x)s” is used twice", x=m[1])),
    (r"'(.*)' is not 1-5", lambda m: _l("“%(x)s” is not a difficulty from 1 to 5", x=m[1])),
    (r"'(.*)' is not a set of option letters",
     lambda m: _l("“%(x)s” is not a set of option letters", x=m[1])),
    (r"'(.*)' is not an option", lambda m: _l("“%(x)s” is not an option", x=m[1])),
    (r"a single-choice question takes one letter, not '(.*)'",
     lambda m: _l("a single-choice question takes one letter, not “%(x)s”", x=m[1])),
    (r"a multiple-choice question needs two or more letters, not '(.*)'",
     lambda m: _l("a multiple-choice question needs two or more letters, not “%(x)s”",
                  x=m[1])),
    (r"'(.*)' is not true or false.*",
     lambda m: _l("“%(x)s” is not true or false (对/错, √/×, 正确/错误, T/F)", x=m[1])),
    (r"'(.*)' is not a number ≥ 0", lambda m: _l("“%(x)s” is not a number ≥ 0", x=m[1])),
    (r"'(.*)' is not a number range", lambda m: _l("“%(x)s” is not a number range", x=m[1])),
    (r"'(.*)' is not a number with an optional :tolerance",
     lambda m: _l("“%(x)s” is not a number with an optional :tolerance", x=m[1])),
    (r"'(.*)' is not a number", lambda m: _l("“%(x)s” is not a number", x=m[1])),
    (r"'(.*)' is not a question type.*",
     lambda m: _l("“%(x)s” is not a question type (单选/多选/判断/填空/计算)", x=m[1])),
    (r"'(.*)' does not start with = or ~",
     lambda m: _l("“%(x)s” does not start with = or ~", x=m[1])),
    (r"no fully correct numeric answer", lambda m: _l("no fully correct numeric answer")),
    (r"no answers", lambda m: _l("no answers")),
    (r"no answer has fraction 100", lambda m: _l("no answer is marked fully correct")),
    (r"no answer block \{…\} \(descriptions are not supported\)",
     lambda m: _l("no answer block {…} (descriptions are not supported)")),
    (r"essay questions are not supported", lambda m: _l("essay questions are not supported")),
    (r"matching questions are not supported",
     lambda m: _l("matching questions are not supported")),
]
_REASONS_RE = [(re.compile(p), f) for p, f in _REASONS]


def _reason(text: str) -> str:
    for pattern, message in _REASONS_RE:
        m = pattern.fullmatch(text)
        if m:
            return str(message(m))
    return text


def row_error(message: str) -> str:
    """One importer message in the interface language."""
    rest = message.strip()
    where = ""
    for pattern, label in _WHERE:
        m = pattern.match(rest)
        if m and rest[m.end():m.end() + 2] == ": ":
            where, rest = str(label(m)), rest[m.end() + 2:]
            break
    outcome = ""
    for key, said in _OUTCOMES.items():
        if rest.endswith(f"; {key}"):
            rest, outcome = rest[:-len(key) - 2], str(said)
            break
    if where and not outcome:
        outcome = str(_OUTCOMES["skipped"])
    field = ""
    head, sep, tail = rest.partition(": ")
    if sep and head and len(head) <= 30 and "'" not in head and _reason(rest) == rest:
        field, rest = str(_FIELDS.get(head, head)), tail
    said = _reason(rest)
    parts = [p for p in (where, field) if p]
    text = f"{' · '.join(parts)}: {said}" if parts else said
    return str(_l("%(text)s (%(outcome)s)", text=text, outcome=outcome)) if outcome else text
