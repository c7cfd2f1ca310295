"""Who sees what: the Excel workbook holds exactly what its downloader may see in the pages and the API."""
import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from typer.testing import CliRunner

from openftz.core.xlsx import header_keys
from openftz.tracker.excel import SHEETS
from openftz.cli import app
from openftz.tracker import selectors, services
from openftz.tracker.excel import export_workbook
from openftz.tracker.models import Feedback, Milestone, Report, Task
from openftz.tracker.permissions import Action, Forbidden, can, visible_tasks

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7 evidence"


def _rows(data: bytes, sheet: str) -> list[dict]:
    rows = list(load_workbook(io.BytesIO(data), read_only=True)[sheet].iter_rows(values_only=True))
    return [dict(zip(header_keys(rows[0], SHEETS[sheet]), r)) for r in rows[1:]]


@pytest.fixture
def filled(people, own_task, other_task):
    """A report, a milestone and an unpublished enterprise question on each of two units' tasks."""
    for officer, task in ((people["officer"], own_task), (people["other_officer"], other_task)):
        services.report_submit(actor=officer, task=task, narrative=f"进展 {task.unit.name}", progress=30, status="drafting_rules",
                               files=[services.Upload("a.pdf", PDF)])
        services.milestone_add(actor=officer, task=task, title=f"细则 {task.unit.name}", due_on=task.due or own_task.measure.plan.signed_on)
        services.feedback_ask(actor=people["enterprise"], measure=task.measure, kind="question", text=f"问题 {task.measure_id}")
    return {"own": own_task, "other": other_task}


def test_officer_workbook_holds_only_its_units_rows(people, filled):
    own, other = filled["own"], filled["other"]
    data = export_workbook(viewer=people["officer"])
    tasks = _rows(data, "tasks")
    assert tasks and {r["unit"] for r in tasks} == {"上海海关"}
    assert {r["task_id"] for r in tasks} == set(Task.objects.filter(unit=own.unit).values_list("pk", flat=True))
    assert [r["task_id"] for r in _rows(data, "reports")] == [own.pk]
    assert [r["task_id"] for r in _rows(data, "milestones")] == [own.pk]
    questions = {r["text"] for r in _rows(data, "feedback")}
    assert f"问题 {own.measure_id}" in questions
    if not other.measure.tasks.filter(unit=own.unit).exists():
        assert f"问题 {other.measure_id}" not in questions, "an unpublished question on another unit's measure"


def test_coordinator_workbook_holds_everything(people, filled):
    data = export_workbook(viewer=people["coordinator"])
    assert len(_rows(data, "tasks")) == Task.objects.count()
    assert len(_rows(data, "reports")) == Report.objects.count() == 2
    assert len(_rows(data, "milestones")) == Milestone.objects.count() == 2
    assert len(_rows(data, "feedback")) == Feedback.objects.count() == 2


def test_workbook_rows_are_the_pages_rows(people, filled):
    """Each sheet is what the same viewer reads in the pages and the API, for every role that may export."""
    for role in ("coordinator", "officer", "other_officer"):
        user = people[role]
        data = export_workbook(viewer=user)
        assert {r["task_id"] for r in _rows(data, "tasks")} == {t.pk for t in selectors.tasks(user=user)}
        assert {r["feedback_id"] for r in _rows(data, "feedback")} == {f.pk for f in selectors.feedback_for(user)}
        report_tasks = {r["task_id"] for r in _rows(data, "reports")}
        assert report_tasks == {t.pk for t in Task.objects.filter(reports__isnull=False) if can(user, Action.VIEW_TASK, t)}
        api = Client()
        api.force_login(user)
        assert {t["id"] for t in api.get("/api/tracker/tasks").json()["tasks"]} == {r["task_id"] for r in _rows(data, "tasks")}


def test_the_task_filter_is_the_view_permission(people, tasks):
    """``visible_tasks`` (lists, exports) and ``can(VIEW_TASK)`` (one task) agree for every role."""
    every = list(Task.objects.select_related("unit"))
    for user in people.values():
        listed = set(Task.objects.filter(visible_tasks(user)).values_list("pk", flat=True))
        assert listed == {t.pk for t in every if can(user, Action.VIEW_TASK, t)}


def test_officer_downloads_only_its_rows_from_the_page(people, filled):
    client = Client()
    client.force_login(people["officer"])
    response = client.get("/tracker/excel/?download=1")
    assert response.status_code == 200
    assert {r["unit"] for r in _rows(response.content, "tasks")} == {"上海海关"}
    assert [r["task_id"] for r in _rows(response.content, "reports")] == [filled["own"].pk]


def test_those_who_may_not_export_get_nothing(people, filled):
    with pytest.raises(Forbidden):
        export_workbook(viewer=people["enterprise"])
    client = Client()
    client.force_login(people["enterprise"])
    assert client.get("/tracker/excel/?download=1").status_code == 403


def test_cli_export_as_a_user(people, filled, tmp_path):
    path = tmp_path / "officer.xlsx"
    result = CliRunner().invoke(app, ["tracker", "export", str(path), "--user", people["officer"].username])
    assert result.exit_code == 0, result.output
    assert {r["unit"] for r in _rows(path.read_bytes(), "tasks")} == {"上海海关"}
    refused = CliRunner().invoke(app, ["tracker", "export", str(tmp_path / "firm.xlsx"), "--user", people["enterprise"].username])
    assert refused.exit_code == 2 and "forbidden" in refused.output
