"""/api/procurement/: the workflow over HTTP, with its errors (4xx, nothing written on failure)."""
import datetime as dt

import pytest

from openftz.procurement import ocds
from openftz.procurement.models import AuditEntry, Challenge, Procedure, Release

from .conftest import awarded_procedure

CREATE = {"entity": "ftz-hospital", "method": "open", "title": "公共区域保洁服务", "title_en": "Cleaning of public areas",
          "value": "1200000.00", "items": [{"description": "保洁服务", "quantity": 12, "unit": "月"}],
          "submission_details": "上海市政府采购云平台", "eligibility_criteria": "具有保洁服务资质"}


def login(client, world, who):
    client.force_login(world["users"][who])
    return client


def deadline(days=41):
    return (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days)).isoformat()


def test_an_officer_registers_a_procedure_and_anyone_reads_its_packages(client, world):
    login(client, world, "officer")
    documents = [{"title": "招标文件", "url": "https://zfcg.example/docs/1.pdf"},
                 {"title": "Tender documents", "url": "https://zfcg.example/docs/1-en.pdf", "language": "en"}]
    response = client.post("/api/procurement/procedures", CREATE | {"tender_period_end": deadline(), "documents": documents},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    ocid = body["ocid"]
    assert [(d["id"], d["language"]) for d in body["compiled"]["tender"]["documents"]] == [("1", "zh"), ("2", "en")]
    notice = client.get(f"/en/procurement/procedures/{ocid}/notice/tender/").content.decode()
    assert "https://zfcg.example/docs/1.pdf" in notice and "https://zfcg.example/docs/1-en.pdf" in notice
    assert body["compiled"]["tender"]["title_en"] == "Cleaning of public areas" and body["releases"][0]["tag"] == ["tender"]
    response = client.post(f"/api/procurement/procedures/{ocid}/releases",
                           {"tag": "tenderUpdate", "tenderers": ["alpha-med", "beta-med"]}, content_type="application/json")
    assert response.status_code == 201 and response.json()["tag"] == ["tenderUpdate"]
    response = client.post(f"/api/procurement/procedures/{ocid}/releases",
                           {"tag": "award", "awards": [{"id": "A1", "suppliers": [{"id": "alpha-med"}]}]}, content_type="application/json")
    assert response.status_code == 201
    client.logout()
    record = client.get(f"/api/procurement/procedures/{ocid}/package").json()
    assert ocds.package_errors(record, "record") == [] and len(record["records"][0]["releases"]) == 3
    package = client.get(f"/api/procurement/procedures/{ocid}/package?kind=release").json()
    assert ocds.package_errors(package, "release") == []
    assert [p["ocid"] for p in client.get("/api/procurement/procedures").json()] == [ocid]


@pytest.mark.parametrize("payload, status, code", [
    (CREATE | {"method": "limited"}, 422, "invalid_input"),                   # no SH-72 ground
    (CREATE | {"limited_grounds": ["urgency"]}, 422, "invalid_input"),        # a ground on an open procedure
    (CREATE | {"entity": "no-such-entity"}, 404, "not_found"),
    (CREATE | {"entity": "lingang-school"}, 403, "forbidden"),                # another entity's procedure
    (CREATE | {"title": "a\x00b"}, 422, "invalid_input"),
    (CREATE | {"value": "-1"}, 422, "invalid_input"),
    (CREATE | {"tender_period_end": "2020-01-01T00:00:00+08:00"}, 422, "invalid_input"),
    ({"method": "open"}, 422, "invalid_input"),
])
def test_bad_procedures_are_refused_and_nothing_is_written(client, world, payload, status, code):
    login(client, world, "officer")
    response = client.post("/api/procurement/procedures", payload, content_type="application/json")
    assert response.status_code == status, response.content
    assert response.json()["code"] == code and response.json()["message_zh"] and response.json()["message_en"]
    assert not Procedure.objects.exists() and not AuditEntry.objects.exists()


def test_writes_need_a_session_and_a_role(client, world):
    assert client.post("/api/procurement/procedures", CREATE, content_type="application/json").status_code == 401
    assert client.get("/api/procurement/challenges").status_code == 401
    login(client, world, "beta")
    assert client.post("/api/procurement/procedures", CREATE, content_type="application/json").status_code == 403
    login(client, world, "nobody")
    assert client.get("/api/procurement/challenges").status_code == 403
    assert client.get("/api/procurement/procedures/no-such-ocid").status_code == 404


def test_a_challenge_over_the_api_from_filing_to_decision(client, world):
    procedure = awarded_procedure(world)
    login(client, world, "beta")
    today = dt.date.today().isoformat()
    response = client.post("/api/procurement/challenges", {"ocid": procedure.ocid, "grounds": "评审打分有误", "knew_on": today},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    challenge = response.json()
    assert (challenge["status"], challenge["late"]) == ("filed", False)
    cid = challenge["id"]
    assert client.post(f"/api/procurement/challenges/{cid}/route", {"action": "accept"}, content_type="application/json").status_code == 403
    login(client, world, "review")
    assert client.post(f"/api/procurement/challenges/{cid}/route", {"action": "reject_late"},
                       content_type="application/json").status_code == 409
    assert client.post(f"/api/procurement/challenges/{cid}/route", {"action": "accept"}, content_type="application/json").status_code == 200
    response = client.post(f"/api/procurement/challenges/{cid}/decide", {"outcome": "dismiss", "decision_text": "评分符合评审标准"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    login(client, world, "beta")
    mine = client.get("/api/procurement/challenges").json()
    assert [(c["id"], c["status"], c["decision_text"]) for c in mine] == [(cid, "dismissed", "评分符合评审标准")]
    login(client, world, "alpha")
    assert client.get("/api/procurement/challenges").json() == []
    assert client.get(f"/api/procurement/challenges/{cid}").status_code == 403


def test_a_debriefing_answer_that_discloses_a_secret_is_refused(client, world):
    procedure = awarded_procedure(world)
    login(client, world, "officer")
    assert client.post(f"/api/procurement/procedures/{procedure.ocid}/confidential", {"supplier": "alpha-med", "text": "折扣率 18%"},
                       content_type="application/json").status_code == 201
    login(client, world, "gamma")
    request = client.post("/api/procurement/debriefings", {"ocid": procedure.ocid, "question": "为何未中标"},
                          content_type="application/json").json()
    login(client, world, "officer")
    check = client.post(f"/api/procurement/debriefings/{request['id']}/check", {"answer": "中标人给出折扣率18%"},
                        content_type="application/json").json()
    assert [f["rule"] for f in check] == ["PW-DEBRIEF-SECRET"]
    refused = client.post(f"/api/procurement/debriefings/{request['id']}/answer", {"answer": "中标人给出折扣率18%"},
                          content_type="application/json")
    assert refused.status_code == 422 and refused.json()["code"] == "trade_secret"
    answered = client.post(f"/api/procurement/debriefings/{request['id']}/answer", {"answer": "中标人的技术方案得分更高"},
                           content_type="application/json")
    assert answered.status_code == 200 and answered.json()["answered_on"] and not answered.json()["overdue"]


def test_deletion_over_the_api_is_refused_and_audited(client, world):
    procedure = awarded_procedure(world)
    challenge = Challenge.objects.create(procedure=procedure, supplier=world["suppliers"]["beta-med"], filed_by=world["users"]["beta"],
                                         grounds="x", knew_on=procedure.started_on, filed_at=procedure.created_at,
                                         filed_on=procedure.started_on, deadline=procedure.started_on, late=False)
    login(client, world, "root")
    for url in (f"/api/procurement/procedures/{procedure.ocid}", f"/api/procurement/challenges/{challenge.pk}"):
        response = client.delete(url)
        assert response.status_code == 409 and response.json()["code"] == "records_kept"
    assert AuditEntry.objects.filter(action="delete_refused", via="api").count() == 2
    assert Release.objects.filter(procedure=procedure).count() == 3


def test_the_debarment_register_and_an_exclusion_over_the_api(client, world):
    login(client, world, "officer")
    stated = client.post("/api/procurement/procedures", CREATE | {"exclusion_grounds": "近三年内重大违约未补救的,拒绝参与"},
                         content_type="application/json").json()
    entry = client.post("/api/procurement/debarments", {"supplier": "gamma-med", "entity": "ftz-hospital", "contract_reference": "HT-9",
                                                         "breach_on": "2024-05-01", "decided_on": "2024-06-01", "grounds": "拒不履约"},
                        content_type="application/json")
    assert entry.status_code == 201, entry.content
    response = client.post(f"/api/procurement/procedures/{stated['ocid']}/exclusions", {"debarment": entry.json()["id"]},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["findings"][0]["rule"] == "PW-EXCL-ALLOWED"
    bad = client.post("/api/procurement/debarments", {"supplier": "gamma-med", "entity": "ftz-hospital", "contract_reference": "HT-9",
                                                       "breach_on": "2024-05-01", "decided_on": "2024-04-01", "grounds": "x"},
                      content_type="application/json")
    assert bad.status_code == 422
    login(client, world, "gamma")
    assert [d["contract_reference"] for d in client.get("/api/procurement/debarments").json()] == ["HT-9"]
    login(client, world, "alpha")
    assert client.get("/api/procurement/debarments").json() == []


def test_the_audit_trail_over_the_api_follows_the_role(client, world):
    procedure = awarded_procedure(world)
    login(client, world, "supervisor")
    actions = [e["action"] for e in client.get(f"/api/procurement/audit?ocid={procedure.ocid}").json()]
    assert sorted(actions) == ["procedure_create", "release_add", "release_add"]
    login(client, world, "other_officer")
    assert client.get("/api/procurement/audit").json() == []
    login(client, world, "beta")
    assert client.get("/api/procurement/audit").status_code == 403


def test_evidence_files_over_the_api_and_their_download_on_the_page(client, world):
    procedure = awarded_procedure(world)
    login(client, world, "beta")
    challenge = client.post("/api/procurement/challenges", {"ocid": procedure.ocid, "grounds": "评分错误",
                                                            "knew_on": dt.date.today().isoformat()}, content_type="application/json").json()
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.7\n%%EOF\n"
    response = client.post(f"/api/procurement/challenges/{challenge['id']}/evidence",
                           {"files": [SimpleUploadedFile("证据.pdf", pdf, "application/pdf")]})
    assert response.status_code == 200, response.content
    files = response.json()["evidence_files"]
    assert [(f["file_name"], f["size"]) for f in files] == [("证据.pdf", len(pdf))]
    bad = client.post(f"/api/procurement/challenges/{challenge['id']}/evidence", {"files": [SimpleUploadedFile("x.pdf", b"MZ")]})
    assert bad.status_code == 422 and len(client.get(f"/api/procurement/challenges/{challenge['id']}").json()["evidence_files"]) == 1
    download = client.get(f"/procurement/challenges/{challenge['id']}/files/{files[0]['id']}/")
    assert download.status_code == 200 and download.content == pdf and download["Content-Type"] == "application/pdf"
    login(client, world, "review")
    assert client.get(f"/procurement/challenges/{challenge['id']}/files/{files[0]['id']}/").status_code == 200
    login(client, world, "alpha")
    assert client.get(f"/procurement/challenges/{challenge['id']}/files/{files[0]['id']}/").status_code == 403
