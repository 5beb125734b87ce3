"""The package validator's reasons (English, for the CLI) and the change list that
`apply_package` writes, in the interface language — for the studio's pages."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

_KEY_HINT = _l("Use lower-case letters, digits, '-' and '_' (start with a letter or digit, "
               "at most 64).")
# The package validator's reasons (English, for the CLI) → the interface language.
_REASONS: list[tuple[str, Any]] = [
    (r"String should have at least 1 character", lambda m: _l("Required.")),
    (r"Field required", lambda m: _l("Required.")),
    (r"String should have at most (\d+) characters?",
     lambda m: _l("At most %(n)s characters.", n=m[1])),
    (r"String should match pattern .*", lambda m: _KEY_HINT),
    (r"Input should be greater than or equal to (\S+)",
     lambda m: _l("Must be at least %(n)s.", n=m[1])),
    (r"Input should be less than or equal to (\S+)",
     lambda m: _l("Must be at most %(n)s.", n=m[1])),
    (r"Input should be a valid (number|integer).*", lambda m: _l("Enter a number.")),
    (r"Input should be a valid boolean.*", lambda m: _l("Choose yes or no.")),
    (r"List should have at least (\d+) items?.*",
     lambda m: _l("Add at least %(n)s.", n=m[1])),
    (r"List should have at most (\d+) items?.*",
     lambda m: _l("At most %(n)s entries.", n=m[1])),
    (r"Input should be (('[^']*'(, | or )?)+)", lambda m: _l("Choose one of %(v)s.", v=m[1])),
    (r"Extra inputs are not permitted", lambda m: _l("This field is not part of the format.")),
    (r"a choice question needs 2 to 8 options",
     lambda m: _l("A choice question needs 2 to 8 options.")),
    (r"a single-choice question needs exactly one correct option \(found (\d+)\)",
     lambda m: _l("A single-choice question needs exactly one correct option (%(n)s marked).",
                  n=m[1])),
    (r"a multiple-choice question needs at least two correct options \(found (\d+)\)",
     lambda m: _l("A multiple-choice question needs at least two correct options "
                  "(%(n)s marked).", n=m[1])),
    (r"two options have the same text", lambda m: _l("Two options have the same text.")),
    (r"a choice question takes options, not answer/accept",
     lambda m: _l("A choice question takes options, not an answer.")),
    (r"answer: a true/false question needs answer: true or false|"
     r"a true/false question needs answer: true or false",
     lambda m: _l("Choose whether the statement is true or false.")),
    (r"a numeric question needs a number", lambda m: _l("Enter the correct number.")),
    (r"a short-text question needs at least one answer",
     lambda m: _l("Enter at least one accepted answer.")),
    (r"a (\S+) question takes no options",
     lambda m: _l("This type of question takes no options.")),
    (r"file not found", lambda m: _l("File not found.")),
    (r"no bank (\S+) in this package",
     lambda m: _l("There is no question bank %(b)s in this course.", b=m[1])),
    (r"asks for (\d+) questions but the bank has (\d+)",
     lambda m: _l("Asks for %(n)s questions but the bank has %(m)s.", n=m[1], m=m[2])),
    (r"two lessons have the same file name",
     lambda m: _l("Two lessons have the same file name.")),
    (r"two quizzes have the same id", lambda m: _l("Two quizzes have the same id.")),
    (r"the id (\S+) is used twice", lambda m: _l("The id %(id)s is used twice.", id=m[1])),
    (r"is not valid YAML \((.*)\)", lambda m: _l("Not valid YAML (%(d)s).", d=m[1])),
    (r"must be a YAML mapping", lambda m: _l("Must be a YAML mapping.")),
    (r"points outside the package", lambda m: _l("Points outside the package.")),
    (r"larger than (\d+) kB", lambda m: _l("Larger than %(n)s kB.", n=m[1])),
    (r"is not UTF-8 text", lambda m: _l("Not UTF-8 text.")),
    # the change list apply_package writes
    (r"lesson (\S+) added", lambda m: _l("Lesson %(x)s added", x=m[1])),
    (r"lesson (\S+) changed", lambda m: _l("Lesson %(x)s changed", x=m[1])),
    (r"lesson (\S+) removed", lambda m: _l("Lesson %(x)s removed", x=m[1])),
    (r"bank (\S+) added", lambda m: _l("Question bank %(x)s added", x=m[1])),
    (r"bank (\S+) retired", lambda m: _l("Question bank %(x)s retired", x=m[1])),
    (r"question (\S+) added", lambda m: _l("Question %(x)s added", x=m[1])),
    (r"question (\S+) changed", lambda m: _l("Question %(x)s changed", x=m[1])),
    (r"question (\S+) retired", lambda m: _l("Question %(x)s retired", x=m[1])),
    (r"quiz (\S+) added", lambda m: _l("Quiz %(x)s added", x=m[1])),
    (r"quiz (\S+) retired",
     lambda m: _l("Quiz %(x)s retired", x=m[1])),
    # zip files
    (r"is encrypted", lambda m: _l("Is encrypted.")),
    (r"is a symbolic link", lambda m: _l("Is a symbolic link; links are not accepted.")),
    (r"is not a regular file", lambda m: _l("Is not a regular file.")),
    (r"has an absolute or non-portable path",
     lambda m: _l("Has an absolute or non-portable path.")),
    (r"is not a zip file", lambda m: _l("Is not a zip file.")),
    (r"is damaged", lambda m: _l("Is damaged.")),
    (r"larger than (\d+) MB", lambda m: _l("Larger than %(n)s MB.", n=m[1])),
    (r"holds more than (\d+) files", lambda m: _l("Holds more than %(n)s files.", n=m[1])),
    (r"unpacks to more than (\d+) MB", lambda m: _l("Unpacks to more than %(n)s MB.", n=m[1])),
    (r"is larger than its header says", lambda m: _l("Is larger than its header says.")),
    (r"no course.yaml found.*",
     lambda m: _l("No course.yaml found (at the top of the zip or in one folder).")),
    (r"holds more than one course.*",
     lambda m: _l("Holds more than one course; import them one by one.")),
    (r"bank id (\S+) belongs to another course",
     lambda m: _l("The question bank %(b)s belongs to another course.", b=m[1])),
]
_REASONS_RE = [(re.compile(p), f) for p, f in _REASONS]


def explain(reason: str, loc: str = "") -> str:
    """A validator reason in the interface language (the English text when unknown)."""
    if loc == "code" and reason.startswith("String should match pattern"):
        return str(_l("Use capital letters, digits and '-' (2 to 32 characters)."))
    for pattern, message in _REASONS_RE:
        m = pattern.fullmatch(reason)
        if m:
            return str(message(m))
    inner = re.fullmatch(r"([a-z_]+): (.+)", reason)  # "options: …" under a nested field
    if inner:
        said = explain(inner[2])
        return f"{inner[1]}: {said}" if said != inner[2] else reason
    return reason
