"""`openftz dataexport assess` / `assess-batch` and /api/dataexport/assess."""
import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

GOOD = {"processor": {"ciio": False, "state_organ": False, "ftz_registered": True},
        "transfer": {"recipient_foreign_judicial_authority": False, "important_data": False, "personal_info_people": 150000,
                     "sensitive_personal_info_people": 0, "collected_abroad_only": False, "purpose": None, "ftz_negative_list": None}}


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "openftz.cli", "dataexport", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_assess_one(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(json.dumps(GOOD))
    result = cli("assess", str(path))
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["pathway"] == "standard_contract_or_certification" and body["cites"] and body["trace"]


def test_assess_one_bad_input_exits_2_with_one_line(tmp_path):
    bad = json.loads(json.dumps(GOOD))
    bad["transfer"]["purpose"] = "tourism"
    path = tmp_path / "t.json"
    path.write_text(json.dumps(bad))
    result = cli("assess", str(path))
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "transfer.purpose" in result.stderr


def test_batch_keeps_going_past_bad_lines(tmp_path):
    negative = json.loads(json.dumps(GOOD))
    negative["transfer"]["personal_info_people"] = -5
    lines = [json.dumps(GOOD), "not json", json.dumps(negative), "", json.dumps({**GOOD, "transfer": {**GOOD["transfer"], "important_data": True}})]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = cli("assess-batch", str(path))
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["line"] for o in out] == [1, 2, 3, 5]
    assert out[0]["pathway"] == "standard_contract_or_certification"
    assert out[1]["error"]["code"] == "invalid_json"
    assert out[2]["error"]["details"]["field"] == "transfer.personal_info_people"
    assert out[3]["pathway"] == "security_assessment"
    assert all({"pathway", "cites", "trace"} <= set(o) for o in out if "error" not in o)


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00bad", b"\n\n"])
def test_batch_with_nothing_to_read_exits_2(tmp_path, content):
    path = tmp_path / "in.jsonl"
    path.write_bytes(content)
    result = cli("assess-batch", str(path))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_batch_from_standard_input():
    result = cli("assess-batch", "-", stdin=json.dumps(GOOD) + "\n")
    assert json.loads(result.stdout)["pathway"] == "standard_contract_or_certification"


def test_api(client):
    response = client.post("/api/dataexport/assess", data=json.dumps(GOOD), content_type="application/json")
    assert response.status_code == 200 and response.json()["pathway"] == "standard_contract_or_certification"
    bad = json.loads(json.dumps(GOOD))
    bad["transfer"]["sensitive_personal_info_people"] = -1
    response = client.post("/api/dataexport/assess", data=json.dumps(bad), content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


NEW_FIELDS = [  # (processor, transfer) additions → pathway, deciding rule
    ({}, {"purpose": "statutory_duty"}, "exempt", "DX-PURPOSE"),
    ({"exports_from_zone": True}, {"ftz_negative_list": "on_list", "ftz_list_mechanism": "security_assessment"},
     "security_assessment", "DX-FTZ-LIST-MECHANISM"),
    ({"exports_from_zone": False}, {"ftz_negative_list": "off_list"}, "standard_contract_or_certification", "DX-CONTRACT-THRESHOLD"),
    ({}, {"important_data": True, "important_data_notified_on": "2026-03-15"}, "security_assessment", "DX-IMPORTANT-DATA"),
]


def with_fields(processor: dict, transfer: dict) -> dict:
    return {"processor": {**GOOD["processor"], **processor}, "transfer": {**GOOD["transfer"], **transfer}}


@pytest.mark.parametrize("processor, transfer, pathway, rule", NEW_FIELDS)
def test_api_takes_the_new_fields(client, processor, transfer, pathway, rule):
    response = client.post("/api/dataexport/assess", data=json.dumps(with_fields(processor, transfer)), content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["pathway"] == pathway and body["trace"][-1]["rule"] == rule
    if "important_data_notified_on" in transfer:
        assert next(o for o in body["obligations"] if o["id"] == "DX-OBL-IMPORTANT-DATA-APPLICATION")["deadline"] == "2026-05-15"


def test_api_refuses_bad_new_fields(client):
    for processor, transfer in (({"exports_from_zone": "yes"}, {}), ({}, {"ftz_list_mechanism": "exempt"}),
                                ({}, {"important_data_notified_on": "2026-02-30"}), ({}, {"important_data_notified_on": 0}),
                                ({}, {"purpose": "tourism"})):
        response = client.post("/api/dataexport/assess", data=json.dumps(with_fields(processor, transfer)), content_type="application/json")
        assert response.status_code == 422 and set(response.json()) == {"code", "message_zh", "message_en", "details"}


def test_cli_takes_the_new_fields(tmp_path):
    lines = [json.dumps(with_fields(p, t)) for p, t, _, _ in NEW_FIELDS]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = cli("assess-batch", str(path))
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["pathway"], o["trace"][-1]["rule"]) for o in out] == [(p, r) for _, _, p, r in NEW_FIELDS]
