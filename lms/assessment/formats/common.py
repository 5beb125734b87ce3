"""What every bank format shares: the canonical bank dict, validation and small parsers.

The canonical bank dict is the YAML bank shape of courses/FORMAT.md with empty optional
fields left out, `correct` present on every option, a numeric `tolerance` only when it is
not zero, and an optional `difficulty` (int 1-5) that exists only in the dict.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

Bank = dict[str, Any]
Question = dict[str, Any]
ImportResult = tuple[Bank, list[str]]  # (bank, one message per problem row/question)

TYPES = ("single", "multiple", "true_false", "numeric", "short_text")
KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_OPTIONS = 8
MAX_IMPORT_BYTES = 20_000_000
DEFAULT_BANK_ID = "imported"
DEFAULT_TITLE = {"zh": "导入的题库", "en": "Imported question bank"}

_TRUE = {"对", "正确", "是", "√", "✓", "✔", "t", "true", "y", "yes", "1", "对的", "right"}
_FALSE = {"错", "错误", "否", "×", "✗", "✘", "x", "f", "false", "n", "no", "0", "错的", "wrong"}
_DIFFICULTY_WORDS = {"容易": 1, "简单": 1, "易": 1, "较易": 2, "较简单": 2, "中": 3, "中等": 3,
                     "一般": 3, "适中": 3, "较难": 4, "难": 5, "困难": 5, "easy": 1,
                     "medium": 3, "hard": 5}


def nfkc(text: str) -> str:
    """Full-width letters, digits and punctuation to their ASCII forms (Ａ -> A, ， -> ,)."""
    return unicodedata.normalize("NFKC", text)


def read_source(source: bytes | str | Path | BinaryIO) -> bytes:
    """The bytes of an upload: bytes as they are, str as UTF-8 text, a path or a file object.

    Raises ValueError when the source cannot be read or is too large."""
    try:
        if isinstance(source, bytes):
            data = source
        elif isinstance(source, str):
            data = source.encode("utf-8")
        elif isinstance(source, Path):
            data = source.read_bytes()
        else:
            data = source.read(MAX_IMPORT_BYTES + 1)
    except OSError as e:
        raise ValueError(f"the file cannot be read ({e.strerror or e})") from None
    if len(data) > MAX_IMPORT_BYTES:
        raise ValueError(f"the file is larger than {MAX_IMPORT_BYTES // 1_000_000} MB")
    return data


def decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("the file is not UTF-8 text") from None


def fmt_number(value: float) -> str:
    """1730.4 -> '1730.4', 5.0 -> '5', 33.333333 -> '33.33333' (Moodle grade style)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.5f}".rstrip("0").rstrip(".") if abs(value) < 1e15 else repr(value)


def number_text(value: float) -> str:
    """Exact text of a number: 5.0 -> '5', 0.1 -> '0.1', 1e-07 -> '1e-07'."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return {1: True, 0: False}.get(int(value)) if float(value).is_integer() else None
    word = nfkc(str(value)).strip().casefold()
    return True if word in _TRUE else False if word in _FALSE else None


def parse_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = nfkc(str(value)).strip()
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    try:
        return float(text)
    except ValueError:
        return None


def parse_difficulty(value: Any) -> int | None:
    """1-5 from a number or a word (易 / 中等 / 难 ...); None when it is not one."""
    if isinstance(value, str):
        word = nfkc(value).strip().casefold()
        if word in _DIFFICULTY_WORDS:
            return _DIFFICULTY_WORDS[word]
    number = parse_number(value)
    if number is not None and number.is_integer() and 1 <= number <= 5:
        return int(number)
    return None


def split_tags(raw: str) -> list[str]:
    return [t for t in re.split(r"[\s,，、;；]+", nfkc(raw).strip()) if t]


def clean_tags(tags: list[str], where: str, errors: list[str]) -> list[str]:
    """Lower-cased tags that are valid keys; an error for each invalid one (dropped)."""
    out: list[str] = []
    for tag in tags:
        key = tag.strip().lower()
        if KEY.match(key):
            if key not in out:
                out.append(key)
        else:
            errors.append(f"{where}: '{tag}' is not a valid tag (use a-z, 0-9, '-' and '_'); "
                          "dropped")
    return out


def canonical_question(q: Mapping[str, Any]) -> Question:
    """One question in canonical form (keys in a fixed order, empty optionals left out)."""
    kind = q.get("type")
    out: Question = {"id": str(q.get("id", "")), "type": kind,
                     "text": str(q.get("text", "")).strip()}
    if q.get("tags"):
        out["tags"] = [str(t) for t in q["tags"]]
    if kind in ("single", "multiple"):
        out["options"] = [{"text": str(o.get("text", "")).strip(),
                           "correct": o.get("correct") is True} for o in q.get("options") or []]
    elif kind == "true_false":
        out["answer"] = q.get("answer")
    elif kind == "numeric":
        out["answer"] = q.get("answer")
        if q.get("tolerance"):
            out["tolerance"] = q["tolerance"]
        if q.get("unit"):
            out["unit"] = str(q["unit"]).strip()
    elif kind == "short_text":
        out["accept"] = [str(a).strip() for a in q.get("accept") or []]
    if str(q.get("explanation") or "").strip():
        out["explanation"] = str(q["explanation"]).strip()
    if q.get("difficulty") is not None:
        out["difficulty"] = q["difficulty"]
    return out


def canonical_bank(bank: Mapping[str, Any]) -> Bank:
    title = bank.get("title")
    if isinstance(title, Mapping):
        title = {"zh": str(title.get("zh", "")), "en": str(title.get("en", ""))}
    else:
        title = dict(DEFAULT_TITLE)
    return {"id": str(bank.get("id") or DEFAULT_BANK_ID), "title": title,
            "questions": [canonical_question(q) for q in bank.get("questions") or []]}


def shape_error(q: Question) -> str | None:
    """Why a question cannot be used (mirrors the package validator), or None."""
    kind = q["type"]
    if kind not in TYPES:
        return f"type: '{kind}' is not supported"
    if not q.get("text"):
        return "text: the stem is empty"
    if kind in ("single", "multiple"):
        opts = q.get("options") or []
        right = sum(o["correct"] for o in opts)
        if not 2 <= len(opts) <= MAX_OPTIONS:
            return f"options: a choice question needs 2 to {MAX_OPTIONS} options"
        if not all(o["text"] for o in opts):
            return "options: an option has no text"
        if len({o["text"] for o in opts}) != len(opts):
            return "options: two options have the same text"
        if kind == "single" and right != 1:
            return f"answer: a single-choice question needs exactly one correct option ({right})"
        if kind == "multiple" and right < 2:
            return f"answer: a multiple-choice question needs two or more correct options ({right})"
    elif kind == "true_false" and not isinstance(q.get("answer"), bool):
        return "answer: a true/false question needs true or false"
    elif kind == "numeric":
        if isinstance(q.get("answer"), bool) or not isinstance(q.get("answer"), int | float):
            return "answer: a numeric question needs a number"
        if float(q.get("tolerance") or 0) < 0:
            return "tolerance: must not be negative"
        if len(str(q.get("unit") or "")) > 20:
            return "unit: longer than 20 characters"
    elif kind == "short_text" and not q.get("accept"):
        return "answer: a short-text question needs at least one accepted answer"
    return None


def finish(drafts: list[tuple[str, Question]], bank_id: str | None, title: Mapping[str, str]
           | None, errors: list[str]) -> ImportResult:
    """Validate the drafted questions, give ids to those without one, build the bank.

    `drafts` holds (label, question) pairs; questions with a shape error are dropped."""
    kept: list[tuple[str, Question]] = []
    for label, q in drafts:
        problem = shape_error(q)
        if problem:
            errors.append(f"{label}: {problem}; skipped")
        else:
            kept.append((label, q))
    used: set[str] = set()
    for label, q in kept:
        qid = str(q.get("id") or "")
        if qid and not KEY.match(qid):
            errors.append(f"{label}: id: '{qid}' is not a valid id; a new one is given")
            qid = ""
        elif qid and qid in used:
            errors.append(f"{label}: id: '{qid}' is used twice; a new one is given")
            qid = ""
        q["id"] = qid
        if qid:
            used.add(qid)
    width = max(2, len(str(len(kept))))
    counter = 0
    for _label, q in kept:
        while not q["id"]:
            counter += 1
            candidate = f"q{counter:0{width}d}"
            if candidate not in used:
                q["id"] = candidate
                used.add(candidate)
    bank = {"id": bank_id if bank_id and KEY.match(bank_id) else DEFAULT_BANK_ID,
            "title": dict(title) if title else dict(DEFAULT_TITLE),
            "questions": [canonical_question(q) for _label, q in kept]}
    return bank, errors
