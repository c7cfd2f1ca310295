"""Every write of the tracker goes through a use case of services.py: history, validation, the data version."""
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from openftz.core.errors import InvalidInput
from openftz.tracker import services
from openftz.tracker.excel import export_workbook, import_workbook
from openftz.tracker.models import Change, DataVersion, Milestone, Risk
from openftz.core.xlsx import header_keys
from openftz.tracker.excel import MILESTONE_COLUMNS
from openftz.tracker.permissions import Forbidden

pytestmark = pytest.mark.django_db


def _edit_milestone(data: bytes, milestone_id: int, **values) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    ws = wb["milestones"]
    header = header_keys([c.value for c in ws[1]], MILESTONE_COLUMNS)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == milestone_id)
    for column, value in values.items():
        ws.cell(row, header.index(column) + 1, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def milestone(people, own_task):
    return services.milestone_add(actor=people["officer"], task=own_task, title="起草细则", due_on=dt.date(2025, 3, 31))


def test_a_milestone_edited_in_excel_keeps_its_history_and_moves_the_data_version(people, milestone):
    coordinator = people["coordinator"]
    data = _edit_milestone(export_workbook(viewer=coordinator), milestone.pk, title="印发细则", due_on="2025-06-30")
    version = DataVersion.current()
    result = import_workbook(actor=coordinator, data=data)
    assert result.milestones == 1
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_on) == ("印发细则", dt.date(2025, 6, 30))
    changes = {c.field: (c.old, c.new) for c in Change.objects.filter(entity="milestone", entity_id=milestone.pk, note="Excel import")}
    assert changes == {"title": ("起草细则", "印发细则"), "due_on": ("2025-03-31", "2025-06-30")}
    assert DataVersion.current() != version, "cached pages and roll-ups refresh"


def test_a_milestone_edited_in_excel_is_validated_and_nothing_is_written(people, milestone):
    coordinator = people["coordinator"]
    data = _edit_milestone(export_workbook(viewer=coordinator), milestone.pk, title="很长" * 150)
    changes = Change.objects.count()
    with pytest.raises(InvalidInput):
        import_workbook(actor=coordinator, data=data)
    milestone.refresh_from_db()
    assert milestone.title == "起草细则" and Change.objects.count() == changes


def test_milestone_update_checks_both_tasks(people, milestone, other_task, own_task):
    with pytest.raises(Forbidden):
        services.milestone_update(actor=people["officer"], milestone=milestone, task=other_task, title="x", due_on=milestone.due_on,
                                  done_on=None)
    with pytest.raises(Forbidden):
        services.milestone_update(actor=people["other_officer"], milestone=milestone, task=own_task, title="x",
                                  due_on=milestone.due_on, done_on=None)
    assert Milestone.objects.get(pk=milestone.pk).title == "起草细则"
    moved = services.milestone_update(actor=people["coordinator"], milestone=milestone, task=other_task, title="起草细则",
                                      due_on=milestone.due_on, done_on=dt.date(2025, 3, 1))
    assert moved.task_id == other_task.pk and moved.done_on == dt.date(2025, 3, 1)
    assert Change.objects.filter(entity="milestone", entity_id=milestone.pk, field="task", task=other_task).exists()


def test_resuming_a_measure_records_the_risks_it_changes(people, own_task):
    coordinator = people["coordinator"]
    risk = services.risk_raise(actor=coordinator, measure=own_task.measure, title="风险", likelihood=4, impact=4)
    services.risk_dispose(actor=coordinator, risk=risk, disposition="suspend", reason="评估")
    services.measure_resume(actor=coordinator, measure=own_task.measure, reason="风险已消除")
    risk.refresh_from_db()
    assert (risk.disposition, risk.disposition_reason) == ("adjust", "风险已消除")
    assert Change.objects.filter(entity="risk", entity_id=risk.pk, field="disposition", old="suspend", new="adjust").exists()
    assert Risk.objects.count() == 1
