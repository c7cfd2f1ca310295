"""core/xlsx.py: one table format for every workbook, normal and streamed."""
import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from openftz.core.xlsx import Column, add_table, display_width, header_keys

COLUMNS = [Column("id", "编号", "ID", "int"), Column("name", "名称", "Name"), Column("amount", "金额", "Amount", "amount"),
           Column("on", "日期", "Date", "date")]
ROWS = [[1, "上海自贸区临港新片区管理委员会", Decimal("1234.5"), dt.date(2025, 1, 2)], [2, "x\x01y", 3, None]]


def _round_trip(write_only: bool):
    book = Workbook(write_only=write_only)
    if not write_only:
        book.remove(book.active)
    add_table(book, "t", COLUMNS, iter(ROWS))
    out = io.BytesIO()
    book.save(out)
    return load_workbook(io.BytesIO(out.getvalue()))["t"]


def test_normal_and_streamed_sheets_are_the_same_table():
    for write_only in (False, True):
        ws = _round_trip(write_only)
        assert [c.value for c in ws[1]] == ["编号 / ID", "名称 / Name", "金额 / Amount", "日期 / Date"]
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:D3"
        assert ws["C2"].value == 1234.5 and ws["C2"].number_format == "#,##0.00"
        assert ws["D2"].value == dt.datetime(2025, 1, 2) and ws["D2"].number_format == "yyyy-mm-dd"
        assert ws["B3"].value == "xy"  # control characters Excel refuses are dropped
        assert ws.column_dimensions["B"].width >= 12
    # a normal sheet's widths follow its content (a CJK character is two cells wide)
    assert _round_trip(False).column_dimensions["B"].width >= display_width(ROWS[0][1]) == 30


def test_headers_read_back_to_keys():
    assert header_keys(["编号 / ID", "Name", "金额", "on", "other "], COLUMNS) == ["id", "name", "amount", "on", "other"]
