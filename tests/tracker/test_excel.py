"""Excel: export → edit → import reproduces the data; one bad row changes nothing."""
import io

import pytest
from openpyxl import load_workbook

from openftz.core.errors import InvalidInput
from openftz.tracker import services
from openftz.core.xlsx import header_keys
from openftz.tracker.excel import (
    EDITABLE, FEEDBACK_COLUMNS, REPORT_COLUMNS, TASK_COLUMNS, export_workbook, import_workbook,
)
from openftz.tracker.models import Change, Milestone, Risk, Task
from openftz.tracker.permissions import Forbidden

pytestmark = pytest.mark.django_db
ALL = {"reports": REPORT_COLUMNS, "feedback": FEEDBACK_COLUMNS}


def _sheet_rows(data: bytes, name: str):
    """A sheet's rows, its header row read back to the column keys."""
    rows = [list(r) for r in load_workbook(io.BytesIO(data), read_only=True)[name].iter_rows(values_only=True)]
    return [header_keys(rows[0], EDITABLE[name] if name in EDITABLE else ALL[name])] + rows[1:]


def _edit(data: bytes, edits) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    for sheet, row, column, value in edits:
        ws = wb[sheet]
        header = header_keys([c.value for c in ws[1]], EDITABLE[sheet])
        ws.cell(row=row, column=header.index(column) + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_round_trip(people, tasks):
    services.risk_raise(actor=people["coordinator"], measure=tasks[0].measure, title="r", likelihood=2, impact=3)
    exported = export_workbook(viewer=people["coordinator"])
    edited = _edit(exported, [
        ("tasks", 2, "status", "drafting_rules"), ("tasks", 2, "progress", 35), ("tasks", 3, "due", "2025-03-31"),
        ("risks", 2, "impact", 5), ("risks", 2, "disposition", "adjust"), ("risks", 2, "disposition_reason", "扩大试点"),
        ("milestones", 2, "task_id", tasks[0].pk), ("milestones", 2, "title", "报送细则"), ("milestones", 2, "due_on", "2025-01-15"),
    ])
    result = import_workbook(actor=people["coordinator"], data=edited)
    assert (result.tasks, result.risks, result.milestones) == (2, 1, 1)
    again = export_workbook(viewer=people["coordinator"])
    for sheet in ("tasks", "risks"):
        before, after = _sheet_rows(edited, sheet), _sheet_rows(again, sheet)
        skip = {"rag", "next_report_due", "early_warning"}
        header = before[0]
        keep = [i for i, h in enumerate(header) if h not in skip]
        norm = lambda rows: [[str(r[i])[:10] if r[i] is not None else None for i in keep] for r in rows]  # noqa: E731
        assert norm(after) == norm(before), sheet
    assert Milestone.objects.get().title == "报送细则"
    assert Risk.objects.get().disposition == "adjust"
    first = Task.objects.get(pk=_sheet_rows(edited, "tasks")[1][0])
    assert (first.status, first.progress) == ("drafting_rules", 35)
    assert Change.objects.filter(task=first, note="Excel import").exists()


def test_one_bad_row_changes_nothing(people, tasks):
    exported = export_workbook(viewer=people["coordinator"])
    edited = _edit(exported, [("tasks", 2, "progress", 55), ("tasks", 3, "status", "finished"), ("tasks", 4, "progress", 140)])
    before = list(Task.objects.order_by("pk").values_list("status", "progress"))
    changes = Change.objects.count()
    with pytest.raises(InvalidInput) as raised:
        import_workbook(actor=people["coordinator"], data=edited)
    errors = raised.value.details
    assert [(e["sheet"], e["row"], e["column"]) for e in errors] == [("tasks", 3, "status"), ("tasks", 4, "progress")]
    assert all(e["message_zh"] and e["message_en"] for e in errors)
    assert list(Task.objects.order_by("pk").values_list("status", "progress")) == before
    assert Change.objects.count() == changes


def test_only_the_coordinator_imports_and_garbage_is_refused(people, tasks):
    with pytest.raises(Forbidden):
        import_workbook(actor=people["officer"], data=export_workbook(viewer=people["coordinator"]))
    with pytest.raises(InvalidInput, match="not a valid Excel"):
        import_workbook(actor=people["coordinator"], data=b"not a workbook")


def test_every_sheet_is_a_typed_bilingual_table(people, tasks):
    """Headers "中文 / English", numbers and dates as typed cells with their formats, widths, a frozen and
    auto-filtered header row."""
    import datetime as dt

    services.report_submit(actor=people["coordinator"], task=tasks[0], narrative="进展", progress=30, status="drafting_rules")
    services.task_update(actor=people["coordinator"], task=tasks[0], due=dt.date(2025, 3, 31))
    wb = load_workbook(io.BytesIO(export_workbook(viewer=people["coordinator"])))
    assert wb.sheetnames == ["README", "tasks", "milestones", "risks", "reports", "feedback"]
    for ws in wb.worksheets:
        header = [c.value for c in ws[1]]
        assert all(" / " in h and h.split(" / ")[0] != h.split(" / ")[1] for h in header), (ws.title, header)
        assert all(c.font.b for c in ws[1])
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=len(header)).column_letter}{ws.max_row}"
        assert all((ws.column_dimensions[c.column_letter].width or 0) >= 8 for c in ws[1])
    tasks_ws = wb["tasks"]
    assert tasks_ws["A1"].value == "任务编号 / Task ID" and [c.header for c in TASK_COLUMNS][5] == "进度 / Progress"
    keys = header_keys([c.value for c in tasks_ws[1]], TASK_COLUMNS)
    row = next(r for r in ({k: c for k, c in zip(keys, cells)} for cells in tasks_ws.iter_rows(min_row=2))
               if r["task_id"].value == tasks[0].pk)
    assert isinstance(row["task_id"].value, int) and row["task_id"].number_format == "#,##0"
    assert isinstance(row["progress"].value, int) and row["progress"].number_format == '0"%"'
    assert isinstance(row["due"].value, dt.datetime) and row["due"].number_format == "yyyy-mm-dd"
    assert row["lead"].data_type == "b"
    report = {key: cell for key, cell in zip(header_keys([c.value for c in wb["reports"][1]], REPORT_COLUMNS), wb["reports"][2])}
    assert isinstance(report["submitted_at"].value, dt.datetime) and report["submitted_at"].number_format == "yyyy-mm-dd hh:mm"
    assert wb["reports"].column_dimensions["J"].width >= 40  # the narrative column is wide
