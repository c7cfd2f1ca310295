"""The tracker API: session auth, the same permissions as the pages, and the error shape."""
import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openftz.tracker.models import Change, Report, Task

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    if user:
        client.force_login(user)
    return client


def test_anonymous_gets_401_on_tasks_but_reads_public_progress(tasks):
    anon = Client()
    response = anon.get("/api/tracker/tasks")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"
    progress = anon.get("/api/tracker/progress").json()
    assert len([m for m in progress["measures"] if m["plan"] == "SH"]) == 117
    sc28 = next(m for m in progress["measures"] if m["id"] == "SC-28")
    assert "SH-43" in sc28["implemented_by"]


def test_officer_sees_only_its_own_tasks(people, tasks):
    body = client_for(people["officer"]).get("/api/tracker/tasks").json()
    assert body["count"] == 15 and {t["unit"] for t in body["tasks"]} == {"上海海关"}
    everything = client_for(people["coordinator"]).get("/api/tracker/tasks").json()
    assert everything["count"] == 400
    row = everything["tasks"][0]
    assert set(row) >= {"measure", "unit", "lead", "status", "progress", "due"}


def test_patch_other_units_task_is_403_and_writes_nothing(people, other_task):
    before = Change.objects.count()
    response = client_for(people["officer"]).patch(f"/api/tracker/tasks/{other_task.pk}", data=json.dumps({"progress": 50}),
                                                  content_type="application/json")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden" and body["message_zh"] and body["message_en"]
    assert Task.objects.get(pk=other_task.pk).progress == 0 and Change.objects.count() == before


def test_report_flow_over_the_api(people, own_task):
    officer = client_for(people["officer"])
    pdf = SimpleUploadedFile("细则.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    response = officer.post(f"/api/tracker/tasks/{own_task.pk}/reports", data={
        "narrative": "细则已印发", "progress": 100, "status": "in_force", "files": [pdf],
        "links": json.dumps([{"url": "https://example.org/x", "doc_number": "沪署规〔2024〕1号"}]),
    })
    assert response.status_code == 201, response.content
    evidence = response.json()["evidence"]
    assert [e["kind"] for e in evidence] == ["file", "link"] and evidence[1]["doc_number"] == "沪署规〔2024〕1号"
    assert evidence[0]["sha256"] == hashlib.sha256(b"%PDF-1.4 x").hexdigest()
    report_id = response.json()["id"]
    assert client_for(people["officer"]).post(f"/api/tracker/reports/{report_id}/review", data=json.dumps({"accept": True}),
                                              content_type="application/json").status_code == 403
    reviewed = client_for(people["coordinator"]).post(f"/api/tracker/reports/{report_id}/review", data=json.dumps({"accept": True}),
                                                      content_type="application/json")
    assert reviewed.status_code == 200 and reviewed.json()["state"] == "accepted"
    task = client_for(people["coordinator"]).get(f"/api/tracker/tasks/{own_task.pk}").json()
    assert (task["status"], task["progress"]) == ("in_force", 100)


@pytest.mark.parametrize("payload", [
    {"narrative": "", "progress": 10, "status": "drafting_rules"},
    {"narrative": "x", "progress": 101, "status": "drafting_rules"},
    {"narrative": "x", "progress": 10, "status": "done"},
    {"narrative": "x", "progress": 10, "status": "drafting_rules", "links": "[{\"url\": \"not a url\"}]"},
    {"narrative": "x", "progress": 10, "status": "drafting_rules", "links": "{"},
])
def test_bad_report_is_422_and_writes_nothing(people, own_task, payload):
    response = client_for(people["officer"]).post(f"/api/tracker/tasks/{own_task.pk}/reports", data=payload)
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
    assert not Report.objects.exists()


def test_risks_and_feedback(people, own_task):
    officer, coordinator, firm = (client_for(people[k]) for k in ("officer", "coordinator", "enterprise"))
    risk = officer.post("/api/tracker/risks", data=json.dumps({"measure": own_task.measure_id, "title": "通关风险", "likelihood": 5, "impact": 4}),
                        content_type="application/json")
    assert risk.status_code == 201 and risk.json()["early_warning"] is True
    dispose = coordinator.post(f"/api/tracker/risks/{risk.json()['id']}/disposition",
                               data=json.dumps({"disposition": "terminate", "reason": "终止试点"}), content_type="application/json")
    assert dispose.status_code == 200 and dispose.json()["disposition"] == "terminate"
    asked = firm.post("/api/tracker/feedback", data=json.dumps({"measure": own_task.measure_id, "kind": "question", "text": "何时实施?"}),
                      content_type="application/json")
    assert asked.status_code == 201
    answered = officer.post(f"/api/tracker/feedback/{asked.json()['id']}/answer", data=json.dumps({"answer": "已实施"}),
                            content_type="application/json")
    assert answered.status_code == 200 and answered.json()["published"] is False
    assert Client().get("/api/tracker/feedback").json() == []
