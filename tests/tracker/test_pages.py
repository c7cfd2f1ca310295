"""The tracker's pages through Django's test client: each POST path, and what a refused one leaves behind."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from openftz.tracker import services
from openftz.tracker.models import Change, Evidence, Feedback, InnovationCase, Milestone, Report, Risk, Task

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_public_pages_need_no_login(tasks):
    anon = Client()
    assert anon.get("/tracker/progress/").status_code == 200
    assert anon.get("/en/tracker/progress/").status_code == 200
    page = anon.get("/tracker/progress/SH-39/")
    assert page.status_code == 200 and "SH-39" in page.content.decode()
    assert anon.get("/tracker/progress/SH-999/").status_code == 404
    assert anon.get("/tracker/dashboard/").status_code == 302  # to the login page


def test_officer_files_a_report_with_a_file_on_the_task_page(people, own_task):
    client = login(people["officer"])
    pdf = SimpleUploadedFile("方案.pdf", b"%PDF-1.7 evidence", content_type="application/pdf")
    response = client.post(f"/tracker/tasks/{own_task.pk}/", {
        "action": "report", "narrative": "已起草细则", "status": "drafting_rules", "progress": 30, "files": [pdf],
        "link_url": "https://example.org/doc", "link_doc_number": "沪署发〔2024〕9号", "link_title": "细则",
    })
    assert response.status_code == 302
    report = Report.objects.get(task=own_task)
    assert Evidence.objects.filter(report=report).count() == 2
    page = client.get(f"/tracker/tasks/{own_task.pk}/").content.decode()
    assert "已起草细则" in page and "沪署发〔2024〕9号" in page


def test_coordinator_reviews_on_the_task_page(people, own_task):
    report = services.report_submit(actor=people["officer"], task=own_task, narrative="x", progress=60, status="awaiting_approval")
    client = login(people["coordinator"])
    returned = client.post(f"/tracker/tasks/{own_task.pk}/", {"action": "review", "report": report.pk, "decision": "return"})
    assert returned.status_code == 422 and Report.objects.get(pk=report.pk).state == "submitted"  # a return needs a comment
    accepted = client.post(f"/tracker/tasks/{own_task.pk}/", {"action": "review", "report": report.pk, "decision": "accept"})
    assert accepted.status_code == 302 and Task.objects.get(pk=own_task.pk).progress == 60
    dashboard = client.get("/tracker/dashboard/")
    assert dashboard.status_code == 200 and 'id="overall-progress"' in dashboard.content.decode()


def test_another_units_task_is_403_and_nothing_is_written(people, other_task):
    client = login(people["officer"])
    before = (Report.objects.count(), Change.objects.count())
    assert client.get(f"/tracker/tasks/{other_task.pk}/").status_code == 403
    response = client.post(f"/tracker/tasks/{other_task.pk}/", {"action": "report", "narrative": "x", "status": "in_force", "progress": 100})
    assert response.status_code == 403
    assert (Report.objects.count(), Change.objects.count()) == before


def test_invalid_form_is_400_with_the_page(people, own_task):
    response = login(people["officer"]).post(f"/tracker/tasks/{own_task.pk}/", {"action": "report", "narrative": "x", "status": "finished", "progress": 10})
    assert response.status_code == 400 and Change.objects.count() == 0


def test_milestone_risk_case_and_feedback_pages(people, own_task):
    coordinator = login(people["coordinator"])
    assert coordinator.post(f"/tracker/tasks/{own_task.pk}/", {"action": "milestone", "title": "报送", "due_on": "2025-01-01"}).status_code == 302
    assert Milestone.objects.count() == 1
    assert coordinator.post("/tracker/risks/", {"measure": own_task.measure_id, "title": "风险", "likelihood": 3, "impact": 5}).status_code == 302
    risk = Risk.objects.get()
    assert coordinator.post("/tracker/risks/", {"action": "dispose", "risk": risk.pk, "disposition": "suspend", "reason": "暂缓"}).status_code == 302
    assert "暂缓" in Client().get(f"/tracker/progress/{own_task.measure_id}/").content.decode()
    assert coordinator.post("/tracker/cases/", {"title": "案例", "organisation": "海关", "summary": "s", "measures": "SH-28, SH-29"}).status_code == 302
    case = InnovationCase.objects.get()
    assert coordinator.post("/tracker/cases/", {"action": "score", "case": case.pk, "originality": 9, "industry_impact": 8, "market_perception": 7}).status_code == 302
    assert coordinator.post("/tracker/cases/", {"title": "x", "organisation": "y", "summary": "z", "measures": "SC-1"}).status_code == 400
    firm = login(people["enterprise"])
    assert firm.post(f"/tracker/progress/{own_task.measure_id}/", {"kind": "question", "text": "何时?"}).status_code == 302
    item = Feedback.objects.get()
    assert login(people["officer"]).post("/tracker/feedback/", {"feedback": item.pk, "answer": "即将实施"}).status_code == 302
    assert login(people["other_officer"]).post("/tracker/feedback/", {"feedback": item.pk, "answer": "x"}).status_code == 403
    assert firm.get("/tracker/dashboard/").status_code == 403


def test_excel_page_download_and_import_errors(people, tasks):
    client = login(people["coordinator"])
    download = client.get("/tracker/excel/?download=1")
    assert download.status_code == 200
    wb = load_workbook(io.BytesIO(download.content))
    assert wb.sheetnames == ["README", "tasks", "milestones", "risks", "reports", "feedback"]
    wb["tasks"]["F2"] = 500  # progress out of range
    out = io.BytesIO()
    wb.save(out)
    response = client.post("/tracker/excel/", {"workbook": SimpleUploadedFile("t.xlsx", out.getvalue())})
    assert response.status_code == 422
    assert 'id="import-errors"' in response.content.decode() and "progress" in response.content.decode()
    assert login(people["officer"]).post("/tracker/excel/", {"workbook": SimpleUploadedFile("t.xlsx", out.getvalue())}).status_code == 403
