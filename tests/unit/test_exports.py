"""Streamed CSV / Excel exports: formula injection, encodings, laziness, download headers."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from lms.core.errors import ServiceError
from lms.core.exports import (
    CSV_CHUNK_ROWS,
    XLSX_CHUNK_BYTES,
    csv_chunks,
    export_response,
    safe_cell,
    xlsx_chunks,
)

HEADER = ["工号", "姓名", "单位", "得分"]
ROWS = [
    ["E1001", "周晓燕", "城区营业厅", 92.5],
    ["E1002", "=HYPERLINK(\"http://evil.example/\",\"点我\")", "+1", -3],
    ["E1003", "-2+3", "@SUM(A1:A9)", None],
]


class Counting:
    """An iterator of n rows that remembers how many were taken."""

    def __init__(self, n: int):
        self.n, self.taken = n, 0

    def __iter__(self):
        for i in range(self.n):
            self.taken += 1
            yield [f"E{i:05d}", f"员工{i}", i]


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def read_xlsx(data: bytes):
    return load_workbook(io.BytesIO(data)).active


@pytest.mark.parametrize("value", [
    '=HYPERLINK("http://evil.example/","click")', "=1+1", "+1", "-2+3", "@SUM(A1:A2)",
    "\t=1", "\r=1",
])
def test_formula_like_text_gets_a_leading_apostrophe(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["周晓燕", "E1001", "a=b", "1+1", " =1", "", "'quoted"])
def test_ordinary_text_is_unchanged(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("value", [0, -3, 2.5, Decimal("-1.5"), True, date(2026, 1, 2)])
def test_other_types_are_unchanged(value):
    assert safe_cell(value) is value


def test_none_becomes_an_empty_cell():
    assert safe_cell(None) == ""


def test_csv_starts_with_a_bom_and_neutralises_formulas():
    text = "".join(csv_chunks(HEADER, ROWS))
    assert text.startswith("\ufeff工号,")
    rows = read_csv(text[1:])
    assert rows[0] == HEADER
    assert rows[2][1] == "'=HYPERLINK(\"http://evil.example/\",\"点我\")"
    assert rows[2][2] == "'+1"
    assert rows[2][3] == "-3"  # a number, not text: left alone
    assert rows[3][1:] == ["'-2+3", "'@SUM(A1:A9)", ""]


def test_chinese_text_round_trips_through_csv_bytes():
    rows = [["E1", "欧阳娜娜", "城区供电公司·营业厅", "含,逗号与\"引号\"\n和换行"]]
    data = "".join(csv_chunks(HEADER, rows)).encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    assert read_csv(data.decode("utf-8-sig")) == [HEADER, rows[0]]


def test_csv_is_produced_lazily_in_chunks():
    source = Counting(50_000)
    chunks = csv_chunks(["工号", "姓名", "序号"], source)
    assert source.taken == 0
    first = next(chunks)
    assert first == "\ufeff工号,姓名,序号\r\n" and source.taken == 0
    second = next(chunks)
    assert source.taken == CSV_CHUNK_ROWS < 50_000
    assert second.count("\r\n") == CSV_CHUNK_ROWS
    rest = list(chunks)
    assert source.taken == 50_000
    assert len(rest) == 50_000 // CSV_CHUNK_ROWS - 1
    assert sum(c.count("\r\n") for c in rest) + CSV_CHUNK_ROWS == 50_000


def test_xlsx_has_a_bold_header_and_the_rows():
    sheet = read_xlsx(b"".join(xlsx_chunks(HEADER, ROWS, sheet_title="成绩")))
    assert sheet.title == "成绩"
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == HEADER
    assert sheet["A1"].font.b
    assert values[1] == ["E1001", "周晓燕", "城区营业厅", 92.5]
    assert values[2][1].startswith("'=HYPERLINK(")
    assert values[2][2:] == ["'+1", -3]
    assert values[3][1:3] == ["'-2+3", "'@SUM(A1:A9)"]
    assert values[3][3] in (None, "")
    assert sheet.freeze_panes == "A2"


def test_xlsx_copes_with_what_excel_cannot_hold():
    aware = datetime(2026, 3, 1, 0, 30, tzinfo=UTC)
    rows = [["bell\x07", aware, "x" * 40_000], ["ok", date(2026, 3, 1), Decimal("1.25")]]
    sheet = read_xlsx(b"".join(xlsx_chunks(["a", "b", "c"], rows, sheet_title="a/b:c*?")))
    assert sheet.title == "a b c"
    assert sheet["A2"].value == "bell"
    assert sheet["B2"].value == datetime(2026, 3, 1, 0, 30)  # UTC without an app context
    assert len(sheet["C2"].value) == 32_767
    assert sheet["B3"].value == datetime(2026, 3, 1)
    assert float(sheet["C3"].value) == 1.25


def test_xlsx_streams_in_bounded_chunks_without_touching_rows_before_it_starts():
    source = Counting(20_000)
    chunks = xlsx_chunks(["工号", "姓名", "序号"], source)
    assert source.taken == 0
    parts = list(chunks)
    assert source.taken == 20_000
    assert len(parts) > 1 and all(len(p) <= XLSX_CHUNK_BYTES for p in parts)
    sheet = read_xlsx(b"".join(parts))
    assert sheet.max_row == 20_001
    assert sheet["B20001"].value == "员工19999"


def _today_in_shanghai() -> str:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


def test_csv_response_is_a_streamed_dated_attachment(app):
    source = Counting(1200)
    with app.test_request_context():
        response = export_response("csv", "培训记录", ["工号", "姓名", "序号"], source)
        assert response.is_streamed and source.taken == 0
        assert response.mimetype == "text/csv"
        assert response.mimetype_params["charset"] == "utf-8"
        assert response.headers["Cache-Control"] == "no-store"
        disposition = response.headers["Content-Disposition"]
        body = response.get_data()
    today = _today_in_shanghai()
    assert disposition.startswith("attachment; ")
    assert f'filename="export-{today}.csv"' in disposition
    encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
    assert unquote(encoded) == f"培训记录-{today}.csv"
    assert disposition.isascii()
    assert body.startswith(b"\xef\xbb\xbf")
    assert len(read_csv(body.decode("utf-8-sig"))) == 1201
    assert source.taken == 1200


def test_ascii_names_keep_their_name_and_mixed_ones_keep_the_ascii_part(app):
    with app.test_request_context():
        plain = export_response("xlsx", "awards", ["a"], [])
        mixed = export_response("csv", "证书 awards 2026", ["a"], [])
    today = _today_in_shanghai()
    assert plain.headers["Content-Disposition"] == f'attachment; filename="awards-{today}.xlsx"'
    assert f'filename="awards-2026-{today}.csv"' in mixed.headers["Content-Disposition"]


def test_xlsx_response_opens_in_excel(app):
    with app.test_request_context():
        response = export_response("XLSX", "成绩单", HEADER, iter(ROWS))
        assert response.mimetype == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        assert response.headers["Cache-Control"] == "no-store"
        body = response.get_data()
    assert body.startswith(b"PK")
    sheet = read_xlsx(body)
    assert sheet.title == "成绩单"
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.max_row == 1 + len(ROWS)


def test_tz_aware_datetimes_show_the_platform_time_in_excel(app):
    with app.test_request_context():
        body = export_response("xlsx", "t", ["at"],
                               [[datetime(2026, 3, 1, 0, 30, tzinfo=UTC)]]).get_data()
    assert read_xlsx(body)["A2"].value == datetime(2026, 3, 1, 8, 30)


@pytest.mark.parametrize("fmt", ["pdf", "", "csv;", "../x"])
def test_an_unknown_format_is_refused_on_the_format_field(app, fmt):
    with app.test_request_context(), pytest.raises(ServiceError) as err:
        export_response(fmt, "x", ["a"], [])
    assert err.value.field == "format"
