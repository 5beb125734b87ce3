"""GIFT text question banks (Moodle's format), the subset for our five types:

    // comment lines; Moodle's [id:…] and [tag:…] markers are read, and so are our
    // [difficulty:…] and [unit:…] markers and "// title-zh: …" / "// title-en: …" lines
    $CATEGORY: $course$/top/bank-id
    ::q01::[markdown]Stem {=right ~wrong #feedback ~wrong ####general feedback}
    ::q02::Multiple {~%50%right ~%50%right ~%-100%wrong}
    ::q03::True or false {TRUE}          ({T}, {F}, {FALSE}; {T#wrong fb#right fb})
    ::q04::Numeric {#1730.4:0.1}          ({#1730.3..1730.5}, {#=1730.4:0.1 =…})
    ::q05::Short text {=集中器 =采集集中器}

Questions are separated by blank lines; \\~ \\= \\# \\{ \\} \\: \\\\ and \\n are escapes. General
feedback (####) is the explanation; per-answer feedback is read only as a fallback for it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import BinaryIO

from .common import (
    KEY,
    Bank,
    ImportResult,
    Question,
    canonical_bank,
    clean_tags,
    decode_text,
    finish,
    fmt_number,
    number_text,
    parse_difficulty,
    parse_number,
    read_source,
)
from .moodle_xml import html_to_text

_ESCAPES = {"\\\\": "\ue000", "\\~": "\ue001", "\\=": "\ue002", "\\#": "\ue003",
            "\\{": "\ue004", "\\}": "\ue005", "\\:": "\ue006", "\\n": "\ue007"}
_RESTORE = str.maketrans({"\ue000": "\\", "\ue001": "~", "\ue002": "=", "\ue003": "#",
                          "\ue004": "{", "\ue005": "}", "\ue006": ":", "\ue007": "\n"})
_MARKER = re.compile(r"\[(id|tag|difficulty|unit):([^\]]*)\]")
_TITLE = re.compile(r"^\s*//\s*title-(zh|en):\s*(.*?)\s*$")
_WEIGHT = re.compile(r"\s*%(-?\d+(?:\.\d+)?)%")


def _protect(text: str) -> str:
    return re.sub(r"\\[\\~=#{}:n]", lambda m: _ESCAPES[m.group(0)], text)


def _restore(text: str) -> str:
    return text.translate(_RESTORE).strip()


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for no, line in enumerate(text.splitlines(), 1):
        if line.strip():
            if not current:
                start = no
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _answer_token(token: str) -> tuple[str, float | None, str, str]:
    """'=%50%text#feedback' -> ('=', 50.0, 'text', 'feedback') on protected text."""
    mark, body = token[0], token[1:]
    weight: float | None = None
    m = _WEIGHT.match(body)
    if m:
        weight, body = float(m.group(1)), body[m.end():]
    text, _sep, feedback = body.partition("#")
    return mark, weight, _restore(text), _restore(feedback)


def _numeric(q: Question, spec: str) -> str | None:
    tokens = [t for t in re.split(r"(?=[=~])", spec) if t.strip()]
    if tokens and tokens[0][0] in "=~":
        parsed = [_answer_token(t) for t in tokens]
        chosen = next((t for m, w, t, _f in parsed if m == "=" and w in (None, 100.0)), None)
    else:
        chosen = _restore(spec.partition("#")[0])
    if chosen is None:
        return "answer: no fully correct numeric answer"
    value, tolerance = chosen, "0"
    if ".." in chosen:
        low, high = (parse_number(x) for x in chosen.split("..", 1))
        if low is None or high is None:
            return f"answer: '{chosen}' is not a number range"
        q["answer"], q["tolerance"] = (low + high) / 2, (high - low) / 2
        return None
    if ":" in chosen:
        value, tolerance = chosen.split(":", 1)
    number, tol = parse_number(value), parse_number(tolerance)
    if number is None or tol is None or tol < 0:
        return f"answer: '{chosen}' is not a number with an optional :tolerance"
    q["answer"], q["tolerance"] = number, tol
    return None


def _choices(q: Question, spec: str) -> str | None:
    tokens = re.split(r"(?=[=~])", spec)
    if tokens[0].strip():
        return f"answer: '{_restore(tokens[0])}' does not start with = or ~"
    parsed = [_answer_token(t) for t in tokens[1:]]
    if not parsed:
        return "answer: no answers"
    if all(m == "=" for m, _w, _t, _f in parsed):
        q["type"] = "short_text"
        q["accept"] = list(dict.fromkeys(t for _m, w, t, _f in parsed if w in (None, 100.0)))
    elif any(m == "=" for m, _w, _t, _f in parsed):
        q["type"] = "single"
        q["options"] = [{"text": t, "correct": m == "="} for m, _w, t, _f in parsed]
    else:
        q["type"] = "multiple"
        q["options"] = [{"text": t, "correct": (w or 0) > 0} for _m, w, t, _f in parsed]
    if not q.get("explanation"):
        right = [f for m, w, _t, f in parsed if f and (m == "=" or (w or 0) > 0)]
        q["explanation"] = right[0] if right else ""
    return None


def _parse(body: str, q: Question) -> str | None:
    """Fill q from a question's (protected) text; the reason it cannot be used, or None."""
    rest = body.strip()
    if rest.startswith("::") and "::" in rest[2:]:
        _title, rest = rest[2:].split("::", 1)
        q.setdefault("title", _restore(_title))
    fmt = re.match(r"\s*\[(html|moodle|plain|markdown)\]", rest)
    if fmt:
        rest = rest[fmt.end():]
    opening, closing = rest.find("{"), rest.find("}", rest.find("{") + 1)
    if opening < 0 or closing < 0:
        return "no answer block {…} (descriptions are not supported)"
    after = rest[closing + 1:].strip()
    stem = rest[:opening].strip() + (f" _____ {after}" if after else "")
    q["text"] = html_to_text(_restore(stem)) if fmt and fmt.group(1) == "html" \
        else _restore(stem)
    spec, _sep, general = rest[opening + 1:closing].partition("####")
    q["explanation"] = _restore(general)
    spec = spec.strip()
    if not spec:
        return "essay questions are not supported"
    if all("->" in t for t in re.split(r"(?=[=~])", spec) if t.strip()):
        return "matching questions are not supported"  # every answer is "a -> b"
    if spec.startswith("#"):
        q["type"] = "numeric"
        return _numeric(q, spec[1:])
    tf = re.fullmatch(r"(T|TRUE|F|FALSE)\s*(#.*)?", spec, re.S)
    if tf:
        q["type"], q["answer"] = "true_false", tf.group(1).startswith("T")
        return None
    return _choices(q, spec)


def import_gift(source: bytes | str | Path | BinaryIO, *, bank_id: str | None = None,
                title: dict[str, str] | None = None) -> ImportResult:
    """Read GIFT text. Returns (bank, errors); raises ValueError only when the file cannot
    be read as UTF-8 text."""
    text = decode_text(read_source(source))
    errors: list[str] = []
    drafts: list[tuple[str, Question]] = []
    file_id: str | None = None
    titles: dict[str, str] = {}
    n = 0
    for line_no, lines in _blocks(text):
        meta: list[tuple[str, str]] = []
        body: list[str] = []
        for line in lines:
            if line.lstrip().startswith("//"):
                meta.extend(_MARKER.findall(line))
                if m := _TITLE.match(line):
                    titles[m.group(1)] = m.group(2)
            elif line.strip().startswith("$CATEGORY:"):
                last = line.split(":", 1)[1].strip().rstrip("/").rsplit("/", 1)[-1].strip()
                file_id = file_id or (last if KEY.match(last) else None)
            else:
                body.append(line)
        if not body:
            continue
        n += 1
        label = f"question {n} (line {line_no})"
        q: Question = {}
        problem = _parse(_protect("\n".join(body)), q)
        if problem:
            errors.append(f"{label}: {problem}; skipped")
            continue
        _apply_meta(q, meta, label, errors)
        drafts.append((label, q))
    bank_title = {"zh": titles["zh"], "en": titles["en"]} if len(titles) == 2 else None
    return finish(drafts, bank_id or file_id, title or bank_title, errors)


def _apply_meta(q: Question, meta: list[tuple[str, str]], label: str,
                errors: list[str]) -> None:
    name = str(q.pop("title", ""))
    ids = [v.strip() for k, v in meta if k == "id"]
    q["id"] = ids[0] if ids else (name if KEY.match(name) else "")
    q["tags"] = clean_tags([v for k, v in meta if k == "tag"], f"{label}: tag", errors)
    for key, value in meta:
        if key == "unit" and q["type"] == "numeric":
            q["unit"] = value.strip()
        elif key == "difficulty":
            q["difficulty"] = parse_difficulty(value)
            if q["difficulty"] is None:
                errors.append(f"{label}: difficulty: '{value}' is not 1-5; dropped")


# --- writing -----------------------------------------------------------------------------

def escape(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\\", "\\\\")
    for ch in "~=#{}:":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", "\\n")


def _answers(q: Question) -> list[str]:
    kind = q["type"]
    if kind == "single":
        return [("=" if o["correct"] else "~") + escape(o["text"]) for o in q["options"]]
    if kind == "multiple":
        right = sum(o["correct"] for o in q["options"])
        wrong = len(q["options"]) - right
        return [f"~%{fmt_number(100 / right if o['correct'] else -100 / wrong)}%"
                + escape(o["text"]) for o in q["options"]]
    if kind == "true_false":
        return ["TRUE" if q["answer"] else "FALSE"]
    if kind == "numeric":
        tolerance = f":{number_text(q['tolerance'])}" if q.get("tolerance") else ""
        return [f"#{number_text(q['answer'])}{tolerance}"]
    return ["=" + escape(a) for a in q["accept"]]


def _question(q: Question) -> str:
    lines = [f"// [id:{q['id']}]"]
    lines += [f"// [tag:{t}]" for t in q.get("tags") or []]
    if q.get("difficulty") is not None:
        lines.append(f"// [difficulty:{q['difficulty']}]")
    if q.get("unit"):
        lines.append(f"// [unit:{q['unit']}]")
    lines.append(f"::{q['id']}::[markdown]{escape(q['text'])} {{")
    lines += _answers(q)
    if q.get("explanation"):
        lines.append("####" + escape(q["explanation"]))
    lines.append("}")
    return "\n".join(lines)


def export_gift(bank: Bank) -> str:
    """The bank as GIFT text (UTF-8 when saved), importable into Moodle and by import_gift."""
    b = canonical_bank(bank)
    head = [f"// Question bank {b['id']}",
            f"// title-zh: {b['title']['zh']}", f"// title-en: {b['title']['en']}", "",
            f"$CATEGORY: $course$/top/{b['id']}"]
    return "\n\n".join(["\n".join(head), *(_question(q) for q in b["questions"])]) + "\n"
