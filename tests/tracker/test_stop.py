"""Suspending and terminating a task are the coordinator's risk dispositions (SC-75): no unit officer does either,
nor resumes a stopped task, through the API, the pages, a report, or the Excel import."""
import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from openftz.tracker import rules, services
from openftz.core.xlsx import header_keys
from openftz.tracker.excel import TASK_COLUMNS, export_workbook, import_workbook
from openftz.tracker.models import Change, Report, Task
from openftz.tracker.permissions import Forbidden

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("status", ["suspended", "terminated"])
def test_officer_cannot_stop_its_own_task_over_the_api(people, own_task, status):
    changes = Change.objects.count()
    response = _client(people["officer"]).patch(f"/api/tracker/tasks/{own_task.pk}", data=json.dumps({"status": status}),
                                                content_type="application/json")
    assert response.status_code == 403, response.content
    body = response.json()
    assert body["code"] == "forbidden" and "SC-75" in body["message_en"] and body["message_zh"]
    assert Task.objects.get(pk=own_task.pk).status == "not_started" and Change.objects.count() == changes


def test_officer_still_moves_its_task_forward(people, own_task):
    response = _client(people["officer"]).patch(f"/api/tracker/tasks/{own_task.pk}", data=json.dumps({"status": "drafting_rules"}),
                                                content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "drafting_rules"


def test_officer_cannot_resume_a_stopped_task(people, own_task):
    services.task_update(actor=people["coordinator"], task=own_task, status="suspended", note="risk")
    with pytest.raises(Forbidden):
        services.task_update(actor=people["officer"], task=own_task, status="drafting_rules")
    assert Task.objects.get(pk=own_task.pk).status == "suspended"
    services.task_update(actor=people["officer"], task=own_task, status="suspended", progress=40)  # same status: progress only
    assert Task.objects.get(pk=own_task.pk).progress == 40


def test_coordinator_may_stop_a_task(people, own_task):
    response = _client(people["coordinator"]).patch(f"/api/tracker/tasks/{own_task.pk}", data=json.dumps({"status": "terminated"}),
                                                    content_type="application/json")
    assert response.status_code == 200 and Task.objects.get(pk=own_task.pk).status == "terminated"


def test_officer_cannot_stop_its_task_on_the_page(people, own_task):
    client = _client(people["officer"])
    response = client.post(f"/tracker/tasks/{own_task.pk}/", {"action": "report", "narrative": "暂停", "status": "suspended", "progress": 10})
    assert response.status_code == 403
    assert Task.objects.get(pk=own_task.pk).status == "not_started"
    page = client.get(f"/tracker/tasks/{own_task.pk}/").content.decode()
    assert 'value="suspended"' not in page and 'value="terminated"' not in page, "the form does not offer it"
    coordinator_page = _client(people["coordinator"]).get(f"/tracker/tasks/{own_task.pk}/").content.decode()
    assert 'value="suspended"' in coordinator_page


def test_officer_cannot_stop_its_task_through_a_report(people, own_task):
    with pytest.raises(Forbidden):
        services.report_submit(actor=people["officer"], task=own_task, narrative="暂停", progress=0, status="terminated")
    assert not Report.objects.exists()


def test_the_excel_import_follows_the_same_rule(people, own_task, monkeypatch):
    """The import is the coordinator's; were an officer let in, the service still refuses the stop."""
    data = export_workbook(viewer=people["officer"])
    wb = load_workbook(io.BytesIO(data))
    ws = wb["tasks"]
    header = header_keys([c.value for c in ws[1]], TASK_COLUMNS)
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == own_task.pk)
    ws.cell(row, header.index("status") + 1, "suspended")
    out = io.BytesIO()
    wb.save(out)
    monkeypatch.setattr("openftz.tracker.excel.require", lambda *a, **k: None)  # open the door of the import itself
    with pytest.raises(Forbidden):
        import_workbook(actor=people["officer"], data=out.getvalue())
    assert Task.objects.get(pk=own_task.pk).status == "not_started"


def test_rule_stops_or_resumes():
    assert rules.stops_or_resumes("in_force", "suspended") and rules.stops_or_resumes("suspended", "in_force")
    assert rules.stops_or_resumes("drafting_rules", "terminated")
    assert not rules.stops_or_resumes("suspended", "suspended") and not rules.stops_or_resumes("not_started", "in_force")
    assert {c.measure for c in rules.STOP_CITES} == {"SC-75", "SH-107"}
