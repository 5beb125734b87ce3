"""Excel question banks in the common Chinese 题库 layout.

One question per row: 题型, 题干, 选项A…选项F, 答案, 解析, 标签, 难度 (English headers type,
stem/question, option A…, answer, explanation, tags, difficulty are read too), plus the
optional columns 误差 (tolerance), 单位 (unit) and 编号 (question id). A sheet 题库信息 may hold
the bank id and titles. Quirks read: a title row above the header, a merged 选项 header over
the option columns (with or without an A/B/C/D row under it), cells merged downwards (the
value fills every row of the merge; cells merged sideways stay empty), full-width letters,
answers like ABD / A,B,D / A、B, and 对/错, √/×, 正确/错误, T/F for true/false.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .common import (
    MAX_OPTIONS,
    Bank,
    ImportResult,
    Question,
    canonical_bank,
    clean_tags,
    finish,
    fmt_number,
    nfkc,
    parse_bool,
    parse_difficulty,
    parse_number,
    read_source,
    split_tags,
)

MAX_ROWS = 2000
HEADER_SCAN_ROWS = 10
META_SHEET = "题库信息"
LETTERS = "ABCDEFGH"[:MAX_OPTIONS]

_FIELDS = {
    "type": ("题型", "题目类型", "试题类型", "类型", "type", "questiontype"),
    "text": ("题干", "题目", "题目内容", "试题内容", "stem", "question", "text", "questiontext"),
    "answer": ("答案", "正确答案", "参考答案", "标准答案", "answer", "answers", "correctanswer"),
    "explanation": ("解析", "答案解析", "试题解析", "explanation", "analysis", "feedback"),
    "tags": ("标签", "知识点", "tags", "tag"),
    "difficulty": ("难度", "difficulty", "level"),
    "tolerance": ("误差", "允许误差", "容差", "tolerance"),
    "unit": ("单位", "unit"),
    "id": ("编号", "题号", "试题编号", "id", "questionid"),
}
_ALIASES = {alias: field for field, aliases in _FIELDS.items() for alias in aliases}
_OPTION_GROUP = {"选项", "options", "option", "备选项", "答案选项"}
_TYPE_WORDS = {
    "single": ("单选", "单项选择", "单选择", "single", "singlechoice", "radio"),
    "multiple": ("多选", "多项选择", "不定项选择", "不定项", "multiple", "multiplechoice", "multi",
                 "checkbox"),
    "true_false": ("判断", "是非", "对错", "truefalse", "tf", "boolean"),
    "short_text": ("填空", "shorttext", "shortanswer", "short", "fillin", "fillintheblank",
                   "blank"),
    "numeric": ("计算", "数值", "计算数值", "数值计算", "numeric", "numerical", "number",
                "calculation"),
}
_TYPES = {word: kind for kind, words in _TYPE_WORDS.items() for word in words}
_EXPORT_TYPE = {"single": "单选", "multiple": "多选", "true_false": "判断", "short_text": "填空",
                "numeric": "计算"}
_NUMBER = re.compile(r"^([-+]?\d+(?:,\d{3})*(?:\.\d+)?)\s*(?:(?:±|\+/-|\+-)\s*(\d+(?:\.\d+)?))?"
                     r"\s*(.*)$")


def _norm(value: Any) -> str:
    return re.sub(r"[\s_\-()（）*:：]+", "", nfkc(str(value or "")).casefold())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return fmt_number(value) if value.is_integer() else repr(value)
    text = str(value).replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def _header_field(value: Any) -> str | None:
    key = _norm(value)
    if key in _ALIASES:
        return _ALIASES[key]
    m = re.fullmatch(r"(?:选项|option|opt)?([a-h])", key)
    return f"opt:{m.group(1).upper()}" if m else None


class _Sheet:
    """Cell values with downward merges filled in, and the header found."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.fill: dict[tuple[int, int], Any] = {}
        self.across: dict[tuple[int, int], tuple[int, int]] = {}  # (row, col) -> merge cols
        for rng in ws.merged_cells.ranges:
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row + 1, rng.max_row + 1):
                self.fill[(r, rng.min_col)] = top
            self.across[(rng.min_row, rng.min_col)] = (rng.min_col, rng.max_col)
        self.columns: dict[str, int] = {}  # field -> column
        self.names: dict[str, str] = {}  # field -> header text
        self.first_row = 0

    def raw(self, row: int, col: int) -> Any:
        return self.ws.cell(row, col).value

    def value(self, row: int, col: int) -> Any:
        v = self.raw(row, col)
        return self.fill.get((row, col)) if v is None else v

    def find_header(self) -> bool:
        width = min(self.ws.max_column, 60)
        for row in range(1, min(self.ws.max_row, HEADER_SCAN_ROWS) + 1):
            columns: dict[str, int] = {}
            names: dict[str, str] = {}
            group: list[int] = []
            for col in range(1, width + 1):
                raw = self.raw(row, col)
                field = _header_field(raw)
                if field and field not in columns:
                    columns[field], names[field] = col, _text(raw)
                elif _norm(raw) in _OPTION_GROUP:
                    first, last = self.across.get((row, col), (col, col))
                    group = list(range(first, last + 1))
            if {"type", "text", "answer"} <= columns.keys():
                self.columns, self.names, self.first_row = columns, names, row + 1
                if group:
                    self._option_group(row, group)
                return True
        return False

    def _option_group(self, row: int, group: list[int]) -> None:
        """A merged 选项 header: its columns are A, B, C… (or as lettered in the row below)."""
        below = {c: nfkc(_text(self.raw(row + 1, c))).upper() for c in group}
        rest = [c for c in range(1, self.ws.max_column + 1) if c not in group]
        lettered = (any(below.values()) and all(v in LETTERS for v in below.values() if v)
                    and not any(_text(self.raw(row + 1, c)) for c in rest))
        if lettered:
            self.first_row = row + 2
        for i, col in enumerate(group[:len(LETTERS)]):
            letter = below[col] if lettered and below[col] else LETTERS[i]
            self.columns.setdefault(f"opt:{letter}", col)
            self.names.setdefault(f"opt:{letter}", f"选项{letter}")

    def rows(self) -> list[tuple[int, dict[str, Any]]]:
        out: list[tuple[int, dict[str, Any]]] = []
        last = min(self.ws.max_row, self.first_row + MAX_ROWS - 1)
        for row in range(self.first_row, last + 1):
            if all(_text(self.raw(row, c)) == "" for c in self.columns.values()):
                continue
            out.append((row, {f: self.value(row, c) for f, c in self.columns.items()}))
        return out


def _letters(value: Any) -> list[str] | None:
    text = re.sub(r"[\s,;、/|.。和及]+", "", nfkc(_text(value)).upper())
    if not text or not re.fullmatch(r"[A-Z]+", text):
        return None
    return list(dict.fromkeys(text))


def _choice(q: Question, row: dict[str, Any], name: dict[str, str], label: str
            ) -> str | None:
    options = [(ltr, _text(row.get(f"opt:{ltr}"))) for ltr in LETTERS]
    options = [(ltr, t) for ltr, t in options if t]
    raw = _text(row.get("answer"))
    letters = _letters(raw)
    if not options:
        return f"{label}: {name.get('opt:A', '选项A')}: a choice question needs options"
    if letters is None:
        return f"{label}: {name['answer']}: '{raw}' is not a set of option letters"
    known = {ltr for ltr, _t in options}
    for ltr in letters:
        if ltr not in known:
            return f"{label}: {name['answer']}: '{ltr}' is not an option"
    if q["type"] == "single" and len(letters) != 1:
        return f"{label}: {name['answer']}: a single-choice question takes one letter, not '{raw}'"
    if q["type"] == "multiple" and len(letters) < 2:
        return (f"{label}: {name['answer']}: a multiple-choice question needs two or more "
                f"letters, not '{raw}'")
    q["options"] = [{"text": t, "correct": ltr in letters} for ltr, t in options]
    return None


def _true_false(q: Question, row: dict[str, Any], name: dict[str, str], label: str
                ) -> str | None:
    raw = row.get("answer")
    value = parse_bool(raw)
    letter = nfkc(_text(raw)).upper()
    if value is None and letter in LETTERS and _text(row.get(f"opt:{letter}")):
        value = parse_bool(_text(row.get(f"opt:{letter}")))  # 答案 A with 选项A = 正确
    if value is None:
        return (f"{label}: {name['answer']}: '{_text(raw)}' is not true or false "
                "(对/错, √/×, 正确/错误, T/F)")
    q["answer"] = value
    return None


def _numeric(q: Question, row: dict[str, Any], name: dict[str, str], label: str
             ) -> str | None:
    raw = row.get("answer")
    tolerance: float | None = None
    unit = _text(row.get("unit"))
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value: float | None = raw
    else:
        m = _NUMBER.match(nfkc(_text(raw)))
        value = float(m.group(1).replace(",", "")) if m else None
        if m and m.group(2):
            tolerance = float(m.group(2))
        if m and m.group(3) and not unit:
            unit = m.group(3).strip()
    if value is None:
        return f"{label}: {name['answer']}: '{_text(raw)}' is not a number"
    if _text(row.get("tolerance")):
        tolerance = parse_number(row.get("tolerance"))
        if tolerance is None or tolerance < 0:
            return (f"{label}: {name['tolerance']}: '{_text(row.get('tolerance'))}' is not a "
                    "number ≥ 0")
    q["answer"] = value
    if tolerance:
        q["tolerance"] = tolerance
    if unit:
        q["unit"] = unit
    return None


def _question(row: dict[str, Any], name: dict[str, str], label: str, errors: list[str]
              ) -> Question | None:
    raw_type = _text(row.get("type"))
    kind = _TYPES.get(_norm(raw_type).replace("题", ""))
    if kind is None:
        errors.append(f"{label}: {name['type']}: '{raw_type}' is not a question type "
                      "(单选/多选/判断/填空/计算)")
        return None
    q: Question = {"id": _text(row.get("id")), "type": kind, "text": _text(row.get("text"))}
    if not q["text"]:
        errors.append(f"{label}: {name['text']}: empty")
        return None
    problem = None
    if kind in ("single", "multiple"):
        problem = _choice(q, row, name, label)
    elif kind == "true_false":
        problem = _true_false(q, row, name, label)
    elif kind == "numeric":
        problem = _numeric(q, row, name, label)
    else:
        accept = [a.strip() for a in re.split(r"[|;；\n]", _text(row.get("answer")))]
        q["accept"] = list(dict.fromkeys(a for a in accept if a))
    if problem:
        errors.append(problem)
        return None
    q["explanation"] = _text(row.get("explanation"))
    q["tags"] = clean_tags(split_tags(_text(row.get("tags"))), f"{label}: {name.get('tags')}",
                           errors)
    if _text(row.get("difficulty")):
        q["difficulty"] = parse_difficulty(row.get("difficulty"))
        if q["difficulty"] is None:
            errors.append(f"{label}: {name['difficulty']}: '{_text(row.get('difficulty'))}' "
                          "is not 1-5; dropped")
    return q


def _meta(wb: Workbook) -> tuple[str | None, dict[str, str] | None]:
    if META_SHEET not in wb.sheetnames:
        return None, None
    values: dict[str, str] = {}
    for key, value, *_rest in wb[META_SHEET].iter_rows(max_col=2, values_only=True):
        values[_norm(key)] = _text(value)
    bank_id = values.get("编号") or values.get("id") or None
    zh, en = values.get("中文标题", ""), values.get("英文标题", "")
    return bank_id, ({"zh": zh, "en": en} if zh and en else None)


def import_xlsx(source: bytes | Path | BinaryIO, *, bank_id: str | None = None,
                title: dict[str, str] | None = None) -> ImportResult:
    """Read a workbook; bank_id/title override those of its 题库信息 sheet.

    Returns (bank, errors) with one message per unusable row or dropped value. Raises
    ValueError only when the file is not a readable .xlsx workbook."""
    data = read_source(source)
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # openpyxl raises zip, XML, key and value errors for broken files
        raise ValueError("the file is not a readable .xlsx workbook") from None
    file_id, file_title = _meta(wb)
    errors: list[str] = []
    drafts: list[tuple[str, Question]] = []
    sheet = next((s for s in (_Sheet(ws) for ws in wb.worksheets if ws.title != META_SHEET)
                  if s.find_header()), None)
    if sheet is None:
        errors.append("no sheet has a header row with 题型, 题干 and 答案 "
                      f"(looked at the first {HEADER_SCAN_ROWS} rows)")
    else:
        for row_no, row in sheet.rows():
            label = f"row {row_no}"
            q = _question(row, sheet.names, label, errors)
            if q is not None:
                drafts.append((label, q))
        if sheet.ws.max_row >= sheet.first_row + MAX_ROWS:
            errors.append(f"only the first {MAX_ROWS} rows were read")
    return finish(drafts, bank_id or file_id, title or file_title, errors)


# --- writing -----------------------------------------------------------------------------

def _cell_value(value: Any) -> Any:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _answer(q: Question) -> Any:
    if q["type"] in ("single", "multiple"):
        return "".join(LETTERS[i] for i, o in enumerate(q["options"]) if o["correct"])
    if q["type"] == "true_false":
        return "对" if q["answer"] else "错"
    if q["type"] == "numeric":
        return q["answer"]
    return "|".join(q["accept"])


def write_sheet(ws: Worksheet, questions: list[Question], *, with_ids: bool) -> None:
    n_options = max([6, *(len(q.get("options") or []) for q in questions)])
    ws.append(["题型", "题干", *(f"选项{ltr}" for ltr in LETTERS[:n_options]), "答案", "解析",
               "标签", "难度", "误差", "单位", "编号"])
    for q in questions:
        options = [o["text"] for o in q.get("options") or []]
        ws.append([_cell_value(v) for v in [
            _EXPORT_TYPE[q["type"]], q["text"], *options, *[None] * (n_options - len(options)),
            _answer(q), q.get("explanation"), ", ".join(q.get("tags") or []),
            q.get("difficulty"), q.get("tolerance"), q.get("unit"),
            q["id"] if with_ids else None]])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    widths = {1: 8, 2: 50, n_options + 4: 40}  # 题型, 题干, 解析
    for col in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, 16)
    ws.freeze_panes = "C2"


def save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_xlsx(bank: Bank) -> bytes:
    """The bank as an .xlsx workbook (sheets 题目 and 题库信息) that import_xlsx reads back."""
    b = canonical_bank(bank)
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = "题目"
    write_sheet(ws, b["questions"], with_ids=True)
    meta = wb.create_sheet(META_SHEET)
    for row in (("编号", b["id"]), ("中文标题", b["title"]["zh"]), ("英文标题", b["title"]["en"])):
        meta.append([_cell_value(v) for v in row])
    meta.column_dimensions["B"].width = 50
    return save(wb)
