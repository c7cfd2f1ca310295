"""POST /api/procurement/check and the check page (/procurement/check/), zh and en, with the Excel export."""
from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

SHORT = {"ocid": "ocds-t-1", "id": "1", "date": "2025-03-01T00:00:00+08:00", "tag": ["tender"], "language": "zh",
         "tender": {"id": "t", "title": "监控设备", "procurementMethod": "open", "tenderPeriod": {"startDate": "2025-03-01", "endDate": "2025-03-15"}}}
DIRECT = {"ocid": "ocds-t-2", "id": "1", "date": "2025-03-01T00:00:00+08:00", "tag": ["tender"], "tender": {"id": "t", "procurementMethod": "direct"}}


def upload(*lines, name="data.jsonl") -> SimpleUploadedFile:
    body = b"".join((x if isinstance(x, bytes) else json.dumps(x, ensure_ascii=False).encode()) + b"\n" for x in lines)
    return SimpleUploadedFile(name, body, content_type="application/x-ndjson")


@pytest.mark.django_db
def test_api_findings_per_release_and_line_errors_beside_them(client):
    response = client.post("/api/procurement/check", {"file": upload(SHORT, b"{oops", DIRECT), "on": "2025-06-01"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["on"] == "2025-06-01"
    assert [r["ocid"] for r in body["releases"]] == ["ocds-t-1", "ocds-t-2"]
    assert body["releases"][0]["findings"][0]["rule"] == "PROC-TENDER-PERIOD"
    assert body["releases"][0]["findings"][0]["cites"] == ["SH-75", "SC-51"]
    assert body["errors"] == [{"line": 2, "error": {"code": "invalid_json", "message_zh": body["errors"][0]["error"]["message_zh"],
                                                    "message_en": body["errors"][0]["error"]["message_en"]}}]
    by_rule = {c["rule"]: c for c in body["summary"]["by_rule"]}
    assert by_rule["PROC-METHOD-GROUND"]["violation"] == 1 and body["summary"]["releases_with_violations"] == 2


@pytest.mark.django_db
def test_api_422_with_the_line_numbers_when_nothing_is_readable(client):
    response = client.post("/api/procurement/check", {"file": upload(b"nope", [1], {"tender": {}})})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "nothing_readable" and body["message_zh"] and body["message_en"]
    assert [e["line"] for e in body["details"]["lines"]] == [1, 2, 3]


@pytest.mark.django_db
def test_api_bad_requests(client, monkeypatch):
    assert client.post("/api/procurement/check", {}).status_code == 422
    before = client.post("/api/procurement/check", {"file": upload(SHORT), "on": "2020-01-01"})
    assert before.status_code == 422 and "2020-01-01" in before.json()["message_en"]
    assert client.post("/api/procurement/check", {"file": upload(SHORT), "on": "soon"}).status_code == 422
    from openftz.procurement import checking

    monkeypatch.setattr(checking, "MAX_UPLOAD_BYTES", 10)
    large = client.post("/api/procurement/check", {"file": upload(SHORT)})
    assert large.status_code == 413 and large.json()["code"] == "too_large"


@pytest.mark.django_db
def test_api_nul_characters_are_data_not_a_crash(client):
    response = client.post("/api/procurement/check", {"file": upload({**DIRECT, "ocid": "ocds-\u0000"})})
    assert response.status_code == 200
    assert response.json()["releases"][0]["ocid"] == "ocds-\u0000"


@pytest.mark.django_db
def test_page_report_by_rule_and_release_with_links_to_the_measures(client):
    assert client.get("/procurement/check/").status_code == 200
    response = client.post("/procurement/check/", {"file": upload(SHORT, DIRECT, b"{oops"), "on": "2025-06-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/measures/SH-75/"' in html and 'href="/measures/SH-72/"' in html
    assert 'data-ocid="ocds-t-1"' in html and "投标期限" in html
    assert '<span class="sev sev-violation" title="violation">违规</span>' in html and "所依据的措施" in html
    assert 'id="line-errors"' in html
    token = response.context["token"]
    xlsx = client.get(f"/procurement/check/{token}.xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    rules = [row[2] for row in list(book["findings"].values)[1:]]
    assert "PROC-TENDER-PERIOD" in rules and "PROC-METHOD-GROUND" in rules
    assert client.get("/procurement/check/expired-token.xlsx").status_code == 404


@pytest.mark.django_db
def test_page_in_english_and_direct_excel(client):
    response = client.post("/en/procurement/check/", {"file": upload(DIRECT)})
    assert response.status_code == 200 and "states no ground" in response.content.decode()
    assert '<span class="sev sev-violation" title="violation">violation</span>' in response.content.decode()
    direct = client.post("/procurement/check/", {"file": upload(DIRECT), "format": "xlsx"})
    assert direct["Content-Disposition"].startswith('attachment; filename="procurement-check-')


@pytest.mark.django_db
def test_page_bad_uploads_say_why(client):
    missing = client.post("/procurement/check/", {})
    assert missing.status_code == 400
    unreadable = client.post("/procurement/check/", {"file": upload(b"not json")})
    assert unreadable.status_code == 422 and "第 1 行" in unreadable.content.decode()
