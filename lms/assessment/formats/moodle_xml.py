"""Moodle XML question banks: multichoice (single / multiple), truefalse, numerical,
shortanswer. Other Moodle types are reported and skipped.

Documents with a DOCTYPE or ENTITY declaration are refused before parsing (no entity
expansion, no external resources). Question text and feedback are written in Moodle's
markdown format; HTML text is read back as plain text (tags removed). The question name
and idnumber carry our id; the bank id and titles travel in the category question; the
difficulty travels in a <difficulty> element Moodle ignores.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET  # noqa: S405 - input is screened by _refuse_dtd first
from pathlib import Path
from typing import Any, BinaryIO
from xml.parsers import expat

from .common import (
    KEY,
    Bank,
    ImportResult,
    Question,
    canonical_bank,
    clean_tags,
    finish,
    fmt_number,
    number_text,
    parse_difficulty,
    parse_number,
    read_source,
)

_SUPPORTED = {"multichoice", "truefalse", "numerical", "shortanswer"}


def _refuse_dtd(data: bytes) -> None:
    """Scan with expat: refuse DOCTYPE / ENTITY declarations and malformed XML."""
    def refuse(*_args: Any) -> None:
        raise ValueError("XML with a DOCTYPE or ENTITY declaration is not accepted")

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as e:
        raise ValueError(f"the file is not well-formed XML ({e})") from None


def html_to_text(text: str) -> str:
    text = re.sub(r"(?i)<br\s*/?>|</(li|tr)>", "\n", text)
    text = re.sub(r"(?i)</(p|div|h[1-6]|ul|ol|table)>", "\n\n", text)
    text = re.sub(r"(?i)<li[^>]*>", "- ", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    lines = [line.rstrip() for line in text.replace("\xa0", " ").splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _text(el: ET.Element | None, path: str = "text") -> str:
    """The text at `path` under el, HTML turned into plain text when the format says so."""
    if el is None:
        return ""
    node = el.find(path)
    raw = (node.text or "") if node is not None else ""
    fmt = el.get("format", "html")
    return html_to_text(raw) if fmt in ("html", "moodle_auto_format") else raw.strip()


def _answers(el: ET.Element) -> list[tuple[float, str, ET.Element]]:
    out: list[tuple[float, str, ET.Element]] = []
    for a in el.findall("answer"):
        fraction = parse_number(a.get("fraction", "0"))
        out.append((fraction if fraction is not None else 0.0, _text(a), a))
    return out


def _fill(q: Question, el: ET.Element, kind: str) -> str | None:
    """Fill q from a supported question element; the reason it cannot be used, or None."""
    answers = _answers(el)
    if kind == "multichoice":
        single = (el.findtext("single") or "true").strip().lower() in ("true", "1")
        q["type"] = "single" if single else "multiple"
        q["options"] = [{"text": t, "correct": f >= 99.999 if single else f > 0}
                        for f, t, _a in answers]
        return None
    right = [(t, a) for f, t, a in answers if f >= 99.999]
    if not right:
        return "answer: no answer has fraction 100"
    if kind == "truefalse":
        q["type"] = "true_false"
        value = right[0][0].strip().lower()
        if value not in ("true", "false"):
            return f"answer: '{right[0][0]}' is not true or false"
        q["answer"] = value == "true"
    elif kind == "numerical":
        q["type"] = "numeric"
        number = parse_number(right[0][0])
        tolerance = parse_number(right[0][1].findtext("tolerance") or "0")
        if number is None:
            return f"answer: '{right[0][0]}' is not a number"
        q["answer"], q["tolerance"] = number, tolerance or 0
        units = [u for u in el.iterfind("units/unit")
                 if parse_number(u.findtext("multiplier") or "1") == 1]
        if units:
            q["unit"] = (units[0].findtext("unit_name") or "").strip()
    else:
        q["type"] = "short_text"
        q["accept"] = list(dict.fromkeys(t for t, _a in right if t))
    return None


def import_moodle_xml(source: bytes | str | Path | BinaryIO, *, bank_id: str | None = None,
                      title: dict[str, str] | None = None) -> ImportResult:
    """Read a Moodle XML export. Returns (bank, errors); raises ValueError only when the
    file is not readable XML of Moodle's <quiz> shape (or declares a DOCTYPE / ENTITY)."""
    data = read_source(source)
    _refuse_dtd(data)
    root = ET.fromstring(data)  # noqa: S314 - screened by _refuse_dtd: no DTD, no entities
    if root.tag != "quiz":
        raise ValueError(f"the root element is <{root.tag}>, not Moodle's <quiz>")
    errors: list[str] = []
    drafts: list[tuple[str, Question]] = []
    file_id: str | None = None
    file_title: dict[str, str] | None = None
    n = 0
    for el in root.findall("question"):
        kind = el.get("type", "")
        if kind == "category":
            if file_id is None:
                file_id, file_title = _category(el)
            continue
        n += 1
        name = _text(el.find("name"))
        label = f"question {n}" + (f" ({name})" if name else "")
        if kind not in _SUPPORTED:
            errors.append(f"{label}: type '{kind}' is not supported; skipped")
            continue
        idnumber = (el.findtext("idnumber") or "").strip()
        q: Question = {"id": next((c for c in (idnumber, name) if KEY.match(c)), ""),
                       "text": _text(el.find("questiontext")),
                       "explanation": _text(el.find("generalfeedback")),
                       "tags": clean_tags([t.text or "" for t in el.iterfind("tags/tag/text")],
                                          f"{label}: tags", errors)}
        difficulty = el.findtext("difficulty")
        if difficulty:
            q["difficulty"] = parse_difficulty(difficulty)
            if q["difficulty"] is None:
                errors.append(f"{label}: difficulty: '{difficulty}' is not 1-5; dropped")
        problem = _fill(q, el, kind)
        if problem:
            errors.append(f"{label}: {problem}; skipped")
        else:
            drafts.append((label, q))
    return finish(drafts, bank_id or file_id, title or file_title, errors)


def _category(el: ET.Element) -> tuple[str | None, dict[str, str] | None]:
    path = (el.findtext("category/text") or "").strip().rstrip("/")
    last = path.rsplit("/", 1)[-1].strip()
    info = _text(el.find("info"))
    titles = dict(re.findall(r"(?m)^(zh|en):\s*(.+?)\s*$", info))
    title = {"zh": titles["zh"], "en": titles["en"]} if {"zh", "en"} <= titles.keys() else None
    return (last if KEY.match(last) else None), title


# --- writing -----------------------------------------------------------------------------

def _sub_text(parent: ET.Element, tag: str, text: str, fmt: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = text
    return el


def _answer(parent: ET.Element, fraction: float, text: str) -> ET.Element:
    el = ET.SubElement(parent, "answer", {"fraction": fmt_number(fraction),
                                          "format": "plain_text"})
    ET.SubElement(el, "text").text = text
    _sub_text(el, "feedback", "", "plain_text")
    return el


def _question(quiz: ET.Element, q: Question) -> None:
    kind = {"single": "multichoice", "multiple": "multichoice", "true_false": "truefalse",
            "numeric": "numerical", "short_text": "shortanswer"}[q["type"]]
    el = ET.SubElement(quiz, "question", {"type": kind})
    _sub_text(el, "name", q["id"])
    _sub_text(el, "questiontext", q["text"], "markdown")
    _sub_text(el, "generalfeedback", q.get("explanation", ""), "markdown")
    ET.SubElement(el, "defaultgrade").text = "1"
    ET.SubElement(el, "penalty").text = "0"
    ET.SubElement(el, "hidden").text = "0"
    ET.SubElement(el, "idnumber").text = q["id"]
    if kind == "multichoice":
        opts = q["options"]
        right = sum(o["correct"] for o in opts)
        wrong = len(opts) - right
        ET.SubElement(el, "single").text = "true" if q["type"] == "single" else "false"
        ET.SubElement(el, "shuffleanswers").text = "true"
        ET.SubElement(el, "answernumbering").text = "ABCD"
        for o in opts:
            penalty = 0.0 if q["type"] == "single" or not wrong else -100 / wrong
            _answer(el, 100 / right if o["correct"] else penalty, o["text"])
    elif kind == "truefalse":
        _answer(el, 100 if q["answer"] else 0, "true")
        _answer(el, 0 if q["answer"] else 100, "false")
    elif kind == "numerical":
        a = _answer(el, 100, number_text(q["answer"]))
        ET.SubElement(a, "tolerance").text = number_text(q.get("tolerance") or 0)
        if q.get("unit"):
            unit = ET.SubElement(ET.SubElement(el, "units"), "unit")
            ET.SubElement(unit, "multiplier").text = "1"
            ET.SubElement(unit, "unit_name").text = q["unit"]
        ET.SubElement(el, "unitgradingtype").text = "0"
        ET.SubElement(el, "showunits").text = "3"
    else:
        ET.SubElement(el, "usecase").text = "0"
        for text in q["accept"]:
            _answer(el, 100, text)
    if q.get("tags"):
        tags = ET.SubElement(el, "tags")
        for tag in q["tags"]:
            _sub_text(tags, "tag", tag)
    if q.get("difficulty") is not None:
        ET.SubElement(el, "difficulty").text = str(q["difficulty"])


def export_moodle_xml(bank: Bank) -> bytes:
    """The bank as Moodle XML (UTF-8), importable into Moodle and by import_moodle_xml."""
    b = canonical_bank(bank)
    quiz = ET.Element("quiz")
    category = ET.SubElement(quiz, "question", {"type": "category"})
    _sub_text(category, "category", f"$course$/top/{b['id']}")
    _sub_text(category, "info", f"zh: {b['title']['zh']}\nen: {b['title']['en']}", "plain_text")
    for q in b["questions"]:
        _question(quiz, q)
    ET.indent(quiz)
    data: bytes = ET.tostring(quiz, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
