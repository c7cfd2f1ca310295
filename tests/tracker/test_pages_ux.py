"""The tracker's pages as their users expect them: one path for status and progress, a readable change log, a
task list that pages and filters and names its measures, a public page with filters, a last-updated date and the
published report narratives, translated chart labels."""
import json
import re

import pytest
from django.test import Client

from openftz.tracker import services
from openftz.tracker.models import Change, Report, Task

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_task_page_sets_status_and_progress_through_one_form(people, own_task):
    page = login(people["officer"]).get(f"/tracker/tasks/{own_task.pk}/").content.decode()
    assert page.count('name="status"') == 1 and page.count('name="progress"') == 1, "one form sets them: the report"
    assert 'id="report-form"' in page and 'id="status-form"' not in page
    # a direct status update is no longer a path of the page: nothing changes
    response = login(people["officer"]).post(f"/tracker/tasks/{own_task.pk}/", {"action": "status", "status": "in_force", "progress": 100})
    assert response.status_code == 400
    assert Task.objects.get(pk=own_task.pk).status == "not_started" and not Change.objects.exists()


def test_the_report_form_shows_its_errors_inline(people, own_task):
    page = login(people["officer"]).post(f"/tracker/tasks/{own_task.pk}/", {
        "action": "report", "narrative": "", "status": "drafting_rules", "progress": 140}).content.decode()
    assert re.search(r'<textarea[^>]*class="form-control is-invalid"[^>]*name="narrative"|name="narrative"[^>]*class="form-control is-invalid"', page)
    assert page.count('class="invalid-feedback"') == 2


def test_the_change_log_names_fields_and_values_in_the_page_language(people, own_task):
    report = services.report_submit(actor=people["officer"], task=own_task, narrative="起草", progress=30, status="drafting_rules")
    services.report_review(actor=people["coordinator"], report=report, accept=True)
    zh = login(people["coordinator"]).get(f"/tracker/tasks/{own_task.pk}/").content.decode()
    en = login(people["coordinator"]).get(f"/en/tracker/tasks/{own_task.pk}/").content.decode()
    history_zh = zh[zh.index('id="history"'):]
    history_en = en[en.index('id="history"'):]
    for raw in ("report.status", "task.status", "drafting_rules", "not_started", ">submitted<", ">accepted<"):
        assert raw not in history_zh and raw not in history_en, raw
    assert "Progress report · Status" in history_en and "Drafting rules" in history_en and "Accepted" in history_en
    assert "进展报告 · 状态" in history_zh and "细则制定中" in history_zh


def test_the_change_log_shows_assignees_by_name_and_dates_in_the_page_format(people, own_task):
    import datetime as dt

    services.task_update(actor=people["coordinator"], task=own_task, assignee=people["officer"], due=dt.date(2025, 3, 31))
    en = login(people["coordinator"]).get(f"/en/tracker/tasks/{own_task.pk}/").content.decode()
    history = en[en.index('id="history"'):]
    assert "Task · Assignee" in history and "<td>customs</td>" in history and f"<td>{people['officer'].pk}</td>" not in history
    assert "March 31, 2025" in history and "2025-03-31" not in history


def test_the_task_list_pages_filters_and_names_its_measures(people, tasks):
    coordinator = login(people["coordinator"])
    page = coordinator.get("/en/tracker/tasks/").content.decode()
    total = Task.objects.count()
    assert total > 50 and len(re.findall(r'href="/en/tracker/tasks/\d+/"', page)) == 50  # the first page of 50
    assert 'class="pagination' in page and "page=2" in page
    assert f"{total} tasks" in page
    first = Task.objects.order_by("measure__position", "-is_lead", "unit__name").select_related("measure", "unit").first()
    assert (first.measure.title_en or "") in page
    for name in ("unit", "chapter", "status", "rag", "due"):
        assert re.search(rf'<label class="form-label small" for="f-{name}">', page), name
    unit = first.unit
    filtered = coordinator.get("/en/tracker/tasks/", {"unit": unit.name, "chapter": first.measure.chapter.number, "rag": "green"})
    rows = re.findall(r'href="/en/tracker/tasks/(\d+)/"', filtered.content.decode())
    expected = Task.objects.filter(unit=unit, measure__chapter__number=first.measure.chapter.number, rag="green")
    assert sorted(map(int, rows)) == sorted(expected.values_list("pk", flat=True))[:50] and rows
    none_due = coordinator.get("/tracker/tasks/", {"due": "none"}).content.decode()
    assert f'{Task.objects.filter(due=None).count()} ' in none_due
    # the page link keeps the filters
    assert "unit=" in coordinator.get("/tracker/tasks/", {"due": "none", "unit": unit.name}).content.decode().split('class="pagination')[-1] \
        or Task.objects.filter(due=None, unit=unit).count() <= 50
    # nonsense filters filter nothing and never fail
    assert coordinator.get("/tracker/tasks/", {"rag": "purple", "due": "x", "chapter": "abc", "page": "999"}).status_code == 200


def test_a_unit_officer_lists_only_its_units_tasks(people, tasks):
    page = login(people["officer"]).get("/tracker/tasks/").content.decode()
    ids = {int(i) for i in re.findall(r'href="/tracker/tasks/(\d+)/"', page)}
    assert ids and ids <= set(Task.objects.filter(unit__name="上海海关").values_list("pk", flat=True))


def test_the_public_page_filters_dates_and_shows_only_accepted_narratives(people, own_task, other_task):
    accepted = services.report_submit(actor=people["officer"], task=own_task, narrative="细则已报送海关总署。", progress=30,
                                      status="drafting_rules")
    services.report_review(actor=people["coordinator"], report=accepted, accept=True)
    services.report_submit(actor=people["other_officer"], task=other_task, narrative="尚在审核中的内部报告", progress=60,
                           status="awaiting_approval")
    anon = Client()
    page = anon.get("/tracker/progress/").content.decode()
    assert "细则已报送海关总署。" in page and "尚在审核中的内部报告" not in page
    assert 'id="last-updated"' in page and re.search(r'<time datetime="\d{4}-\d\d-\d\dT', page)
    for name in ("chapter", "unit", "status"):
        assert re.search(rf'<label class="form-label small" for="p-{name}">', page)
    chapter = own_task.measure.chapter.number
    only = anon.get("/tracker/progress/", {"chapter": chapter}).content.decode()
    listed = set(re.findall(r'<tr id="(SH-\d+)">', only))
    assert own_task.measure_id in listed and all(
        Task.objects.filter(measure_id=m, measure__chapter__number=chapter).exists() for m in listed)
    started = anon.get("/tracker/progress/", {"status": "in_progress"}).content.decode()
    assert set(re.findall(r'<tr id="(SH-\d+)">', started)) <= {own_task.measure_id}
    english = anon.get("/en/tracker/progress/", {"unit": "上海海关"}).content.decode()
    assert "Shanghai Customs" in english or 'lang="zh-Hans">上海海关' in english
    measure = anon.get(f"/tracker/progress/{own_task.measure_id}/").content.decode()
    assert "细则已报送海关总署。" in measure and Report.objects.filter(state="submitted").count() == 1


def test_a_measure_half_started_is_not_shown_as_not_started(people, tasks):
    lead = Task.objects.filter(is_lead=True, measure__unit_links__is_lead=False).first()
    other = Task.objects.filter(measure=lead.measure, is_lead=False).first()
    services.task_update(actor=people["coordinator"], task=other, status="in_force")
    page = Client().get(f"/en/tracker/progress/{lead.measure_id}/").content.decode()
    progress = int(re.search(r'id="measure-progress">(\d+)%', page).group(1))
    assert progress > 0 and 'id="measure-status">In progress<' in page


def test_dashboard_chart_labels_are_translated(people, tasks):
    page = login(people["coordinator"]).get("/en/tracker/dashboard/").content.decode()
    data = json.loads(re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert data["labels"]["red"] == "Overdue" and data["labels"]["tasks"] == "Tasks"
    assert not any(re.search(r"[\u4e00-\u9fff]", label) for label in data["chapter_labels"]), "English chapter titles"
    zh = login(people["coordinator"]).get("/tracker/dashboard/").content.decode()
    zh_data = json.loads(re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', zh, re.S).group(1))
    assert zh_data["labels"]["red"] != "Overdue"


def test_every_tracker_template_compiles():
    from pathlib import Path

    from django.template.loader import get_template

    import openftz.tracker

    folder = Path(openftz.tracker.__file__).parent / "templates" / "tracker"
    names = sorted(p.name for p in folder.glob("*.html"))
    assert "feedback.html" in names
    for name in names:
        get_template(f"tracker/{name}")  # an unknown filter or tag raises here, not on a user's request


def test_feedback_pages_render_for_those_who_answer(people, tasks):
    from openftz.rulebook.models import Measure

    item = services.feedback_ask(actor=people["enterprise"], measure=Measure.objects.get(pk="SH-39"), kind="question", text="何时施行?")
    services.feedback_answer(actor=people["coordinator"], feedback=item, answer="已施行。")
    for path in ("/tracker/feedback/", "/en/tracker/feedback/"):
        page = login(people["coordinator"]).get(path)
        assert page.status_code == 200 and 'lang="zh-Hans">已施行。</textarea>' in page.content.decode()
