"""Streamed CSV and Excel exports of any list, safe against spreadsheet formula injection.

Rows arrive as any iterable (best a generator over a `yield_per` query) and leave as chunks,
so an export of 50,000 rows never holds them all in memory: CSV is written 500 rows at a
time; an Excel workbook is written by openpyxl's write-only mode into a spooled temporary
file (in memory while small, on disk beyond a few MB) and then sent in 64 KiB pieces.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from flask import Response, stream_with_context
from flask_babel import lazy_gettext as _l

from lms.core.errors import ServiceError

FORMATS = ("csv", "xlsx")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CSV_CHUNK_ROWS = 500
XLSX_CHUNK_BYTES = 64 * 1024
XLSX_SPOOL_BYTES = 4 * 1024 * 1024
XLSX_MAX_CELL_CHARS = 32_767  # Excel's limit per cell

# A cell starting with one of these is read as a formula by Excel, LibreOffice or WPS.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters an .xlsx file cannot hold (openpyxl refuses them).
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


def safe_cell(value: Any) -> Any:
    """The value with spreadsheet formula injection neutralised.

    A string that a spreadsheet would run as a formula gets a leading apostrophe (shown as
    text, not evaluated); None becomes ""; every other value is returned unchanged.
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    """A value openpyxl can write, neutralised: str, number, bool, date or naive datetime."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | date | time):
        if isinstance(value, datetime) and value.tzinfo is not None:
            # Excel has no time zones: show the wall-clock time of the platform's zone.
            try:
                from flask_babel import to_user_timezone

                value = to_user_timezone(value)
            except RuntimeError:  # no app context: keep UTC
                value = value.astimezone(UTC)
            return value.replace(tzinfo=None)
        return value
    text = _XLSX_ILLEGAL.sub("", str(value))[:XLSX_MAX_CELL_CHARS]
    return safe_cell(text)


# --- CSV ---------------------------------------------------------------------------------

def csv_chunks(header: list[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """CSV text in chunks: the UTF-8 BOM and the header first, then every 500 rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    buffer.write("\ufeff")  # Excel (and WPS) then read the file as UTF-8, not GBK
    writer.writerow([safe_cell(str(h)) for h in header])
    yield take()
    count = 0
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
        count += 1
        if count % CSV_CHUNK_ROWS == 0:
            yield take()
    rest = take()
    if rest:
        yield rest


# --- Excel -------------------------------------------------------------------------------

def _sheet_title(title: str) -> str:
    title = _SHEET_TITLE_BAD.sub(" ", _XLSX_ILLEGAL.sub("", title or "")).strip(" '")
    return title[:31] or "export"


def xlsx_chunks(header: list[str], rows: Iterable[Sequence],
                sheet_title: str = "export") -> Iterator[bytes]:
    """An .xlsx workbook with one sheet (bold header row, then `rows`) in 64 KiB chunks."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))
    sheet.freeze_panes = "A2"  # must precede the first row in write-only mode
    bold = Font(bold=True)
    header_cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=_plain(str(name)))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_plain(v) for v in row])
    with tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES) as spool:
        workbook.save(spool)
        spool.seek(0)
        while chunk := spool.read(XLSX_CHUNK_BYTES):
            yield chunk


# --- HTTP response -----------------------------------------------------------------------

def _today() -> date:
    try:
        from flask_babel import to_user_timezone

        return to_user_timezone(datetime.now(UTC)).date()
    except RuntimeError:  # outside an app context
        return datetime.now(UTC).date()


def _ascii_stem(stem: str) -> str:
    folded = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"[^A-Za-z0-9._-]+", "-", folded).strip("-._")
    return folded or "export"


def content_disposition(filename: str, fallback: str | None = None) -> str:
    """`attachment` with an ASCII fallback name and the real name per RFC 5987 / 6266."""
    if fallback is None:
        stem, dot, ext = filename.rpartition(".")
        if not dot:
            stem, ext = filename, ""
        fallback = _ascii_stem(stem) + (f".{_ascii_stem(ext)}" if ext else "")
    value = f'attachment; filename="{fallback}"'
    if fallback != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


def export_response(fmt: str, filename_stem: str, header: list[str],
                    rows: Iterable[Sequence]) -> Response:
    """A streamed download of `rows` as CSV or Excel, named `<stem>-<YYYY-MM-DD>.<fmt>`.

    `rows` is consumed while the response is sent (inside the request context), so it may
    be a generator over a database query; give the query `yield_per` for big lists.
    """
    fmt = (fmt or "").strip().lower()
    if fmt not in FORMATS:
        raise ServiceError(_l("Unknown export format: choose CSV or Excel."), field="format")
    stem = re.sub(r"[\x00-\x1f\x7f/\\\"]+", "-", filename_stem or "").strip(" -.") or "export"
    day = _today().isoformat()
    filename = f"{stem}-{day}.{fmt}"
    if fmt == "csv":
        body: Iterator[bytes] = (chunk.encode("utf-8") for chunk in csv_chunks(header, rows))
    else:
        body = xlsx_chunks(header, rows, sheet_title=stem)
    response = Response(stream_with_context(body), content_type=MIMETYPES[fmt])
    response.headers["Content-Disposition"] = content_disposition(
        filename, fallback=f"{_ascii_stem(stem)}-{day}.{fmt}")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


__all__ = ["FORMATS", "MIMETYPES", "content_disposition", "csv_chunks", "export_response",
           "safe_cell", "xlsx_chunks"]
