"""Every Excel workbook OpenFTZ writes, one way: a sheet is a table with a bilingual header row ("中文 / English"),
typed cells (numbers as numbers, dates as dates, each with its number format), column widths that fit, and a
frozen, auto-filtered header row.

``add_table(book, title, columns, rows)`` writes one such sheet into an openpyxl ``Workbook`` (normal or
write-only). An import reads a header cell back to its column's key with ``header_keys`` (the bilingual header,
the English part alone or the bare key are all understood), so a workbook written here can be edited and read again.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMATS = {
    "int": "#,##0",
    "number": "#,##0.00",
    "amount": "#,##0.00",
    "percent": '0"%"',
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "text": "@",
    "bool": "General",
}
WIDTHS = {"int": 10, "number": 14, "amount": 16, "percent": 9, "date": 12, "datetime": 17, "text": 24, "bool": 8}
MAX_WIDTH = 60
SEPARATOR = " / "
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="EEF1F5")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    """One column: ``key`` (what an import reads it as), its Chinese and English names, the kind of its cells
    (int, number, amount, percent, date, datetime, bool, text) and, optionally, a width in characters."""

    key: str
    zh: str
    en: str
    kind: str = "text"
    width: int | None = None

    @property
    def header(self) -> str:
        return f"{self.zh}{SEPARATOR}{self.en}"


def display_width(value) -> int:
    """How many character cells ``value`` takes in a spreadsheet column (a CJK character takes two)."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    longest = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def clean(value):
    """A value as a cell takes it: control characters (which Excel refuses) removed from text, time zones dropped
    from datetimes (Excel has none: the local time is written), Decimals as floats."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    return value


def header_keys(cells: Iterable, columns: Sequence[Column]) -> list[str]:
    """The keys of a header row read back: "中文 / English", "English", "中文" or the bare key all name a column;
    any other header is kept as written (stripped)."""
    names: dict[str, str] = {}
    for c in columns:
        for name in (c.header, c.en, c.zh, c.key):
            names[name.strip().casefold()] = c.key
    out = []
    for cell in cells:
        text = "" if cell is None else str(cell).strip()
        out.append(names.get(text.casefold(), text))
    return out


def add_table(book, title: str, columns: Sequence[Column], rows: Iterable[Sequence]):
    """Write a sheet ``title`` of ``rows`` under ``columns`` into ``book``; returns the worksheet."""
    ws = book.create_sheet(title)
    streaming = isinstance(ws, WriteOnlyWorksheet)
    widths = [max(c.width or WIDTHS.get(c.kind, 16), min(display_width(c.header), 30) + 2) for c in columns]
    if streaming:  # a streamed sheet takes its column widths before its first row
        _set_widths(ws, widths)
    ws.freeze_panes = "A2"
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=c.header)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGN
        header.append(cell)
    ws.append(header)
    count = 0
    for row in rows:
        cells = []
        for i, (column, value) in enumerate(zip(columns, row)):
            value = clean(value)
            cell = WriteOnlyCell(ws, value=value)
            if value is not None:
                cell.number_format = FORMATS.get(column.kind, "General")
            if column.kind == "text" and isinstance(value, str) and "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            cells.append(cell)
            if not streaming and column.width is None:
                widths[i] = max(widths[i], min(display_width(value) + 2, MAX_WIDTH))
        ws.append(cells)
        count += 1
    if not streaming:
        _set_widths(ws, widths)
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}{count + 1}"
    return ws


def _set_widths(ws, widths: Sequence[int]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
