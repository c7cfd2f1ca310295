"""Every JSON input path reads through openftz.core.jsonio: API bodies, the OCDS check (API, page, CLI), CLI files
and lines, uploads in pages, PINT envelopes, the tracker API's links. A number too large, JSON nested too deep,
NaN/Infinity, a lone surrogate or bytes that are not UTF-8 are one clear error — 400 with the error schema, one
line's error in a batch, or one CLI line with exit status 2 — never a 500, a traceback or a half-written row."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.procurement.conftest import world  # noqa: F401  (fixtures)
from tests.tracker.conftest import own_task, people, tasks  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
HUGE = b"1" * 5000
BAD_BODIES = {
    "huge_int": (b'{"processor": ' + HUGE + b"}", "number_too_large"),
    "huge_float": (b'{"processor": 1e999}', "number_too_large"),
    "nan": (b'{"processor": NaN}', "invalid_json"),
    "infinity": (b'[Infinity]', "invalid_json"),
    "deep": (b"[" * 50_000 + b"]" * 50_000, "too_deep"),
    "lone_surrogate": (b'{"processor": "\\ud800"}', "invalid_json"),
    "not_utf8": (b'{"processor": "\xff"}', "not_utf8"),
}
# JSON routes that take a body without signing in, and one of each app that needs a user
OPEN_ROUTES = [("post", "/api/dataexport/assess"), ("post", "/api/records/instructions"), ("post", "/api/records/instructions/batch"),
               ("post", "/api/records/pint/v3/envelopes"), ("post", "/api/records/pint/v3/receiver-validation"),
               ("put", "/api/records/pint/v3/envelopes/ref-1/additional-documents/abc")]
SHORT = {"ocid": "ocds-t-1", "id": "1", "date": "2025-03-01T00:00:00+08:00", "tag": ["tender"],
         "tender": {"id": "t", "procurementMethod": "open", "tenderPeriod": {"startDate": "2025-03-01", "endDate": "2025-03-15"}}}
BIG_AMOUNT = (b'{"ocid": "ocds-t-9", "id": "1", "date": "2025-03-01T00:00:00+08:00", "tag": ["tender"], '
              b'"tender": {"id": "t", "value": {"amount": ' + HUGE + b', "currency": "CNY"}}}')


def assert_error_schema(response, status, code):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message_zh", "message_en", "details"} and body["code"] == code, body
    return body


@pytest.mark.django_db
@pytest.mark.parametrize("method,path", OPEN_ROUTES)
@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
def test_a_bad_json_body_is_400_with_its_code_on_every_route(client, method, path, kind):
    raw, code = BAD_BODIES[kind]
    response = getattr(client, method)(path, raw, content_type="application/json")
    assert_error_schema(response, 400, code)


@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
def test_a_bad_json_body_from_a_signed_in_user_is_400_and_writes_nothing(client, world, kind):
    from openftz.procurement.models import AuditEntry, Procedure

    client.force_login(world["users"]["officer"])
    raw, code = BAD_BODIES[kind]
    assert_error_schema(client.post("/api/procurement/procedures", raw, content_type="application/json"), 400, code)
    assert not Procedure.objects.exists() and not AuditEntry.objects.exists()


def test_the_tracker_api_links_field_refuses_bad_json_as_an_invalid_field(people, own_task):
    from django.test import Client

    from openftz.tracker.models import Report

    client = Client()
    client.force_login(people["officer"])
    for links in ("[" + "1" * 5000 + "]", "[NaN]", "[" * 5000):
        response = client.post(f"/api/tracker/tasks/{own_task.pk}/reports",
                               {"narrative": "x", "progress": 10, "status": "drafting_rules", "links": links})
        body = assert_error_schema(response, 422, "invalid_input")
        assert body["details"][0]["code"] in ("number_too_large", "invalid_json", "too_deep")
    assert not Report.objects.exists()


# — the OCDS check: one line's error, the batch goes on

def _upload(*lines):
    body = b"".join((x if isinstance(x, bytes) else json.dumps(x).encode()) + b"\n" for x in lines)
    return SimpleUploadedFile("data.jsonl", body, content_type="application/x-ndjson")


@pytest.mark.django_db
def test_ocds_check_api_a_huge_number_is_one_lines_error(client):
    response = client.post("/api/procurement/check", {"file": _upload(SHORT, BIG_AMOUNT, b"[NaN]", SHORT), "on": "2025-06-01"})
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert [r["line"] for r in body["releases"]] == [1, 4]
    assert [(e["line"], e["error"]["code"]) for e in body["errors"]] == [(2, "number_too_large"), (3, "invalid_json")]
    assert "line 2" in body["errors"][0]["error"]["message_en"]


@pytest.mark.django_db
def test_ocds_check_api_422_when_the_only_line_is_a_huge_number(client):
    response = client.post("/api/procurement/check", {"file": _upload(BIG_AMOUNT)})
    assert response.status_code == 422 and response.json()["code"]


@pytest.mark.django_db
def test_ocds_check_page_a_huge_number_is_one_lines_error(client):
    response = client.post("/procurement/check/", {"file": _upload(SHORT, BIG_AMOUNT), "on": "2025-06-01"}, follow=True)
    assert response.status_code == 200
    assert "number_too_large" in response.content.decode() or "超出" in response.content.decode()


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "openftz.cli", *args], capture_output=True, cwd=ROOT, timeout=300, input=stdin)


def assert_one_line_exit_2(result: subprocess.CompletedProcess, code: str):
    err = result.stderr.decode()
    assert result.returncode == 2, (result.returncode, err[-500:])
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1 and code in err, err


def test_ocds_check_cli_a_huge_number_is_one_lines_error(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(json.dumps(SHORT).encode() + b"\n" + BIG_AMOUNT + b"\n" + b"[" * 5000 + b"\n" + json.dumps(SHORT).encode() + b"\n")
    result = run_cli("procurement", "check", str(path), "--on", "2025-06-01", "--workers", "1")
    assert result.returncode == 0 and b"Traceback" not in result.stderr, result.stderr[-500:]
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [(r["line"], r.get("error", {}).get("code")) for r in out] == [(1, None), (2, "number_too_large"), (3, "too_deep"), (4, None)]
    only_bad = tmp_path / "bad.jsonl"
    only_bad.write_bytes(BIG_AMOUNT + b"\n")
    result = run_cli("procurement", "check", str(only_bad))
    assert result.returncode == 2 and b"Traceback" not in result.stderr  # nothing could be read: exit 2, as documented


def test_cli_files_with_bad_json_are_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "huge.json"
    bad.write_bytes(b'{"processor": ' + HUGE + b"}")
    assert_one_line_exit_2(run_cli("dataexport", "assess", str(bad)), "number_too_large")
    assert_one_line_exit_2(run_cli("records", "sign", str(bad), "--key", str(bad)), "number_too_large")
    assert_one_line_exit_2(run_cli("ledger", "verify-bundle", str(bad)), "number_too_large")
    assert_one_line_exit_2(run_cli("einvoice", "verify-receipt", str(bad)), "number_too_large")
    deep = tmp_path / "deep.json"
    deep.write_bytes(b"[" * 100_000)
    assert_one_line_exit_2(run_cli("procurement", "procedures", "create", str(deep), "--as", "nobody"), "too_deep")


def test_cli_batches_give_a_bad_line_its_error_in_place(tmp_path):
    lines = tmp_path / "lines.jsonl"
    lines.write_bytes(b'{"processor": ' + HUGE + b"}\n" + b"[NaN]\n")
    result = run_cli("dataexport", "assess-batch", str(lines))
    assert b"Traceback" not in result.stderr, result.stderr[-500:]
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [(r["line"], r["error"]["code"]) for r in out] == [(1, "number_too_large"), (2, "invalid_json")]
    result = run_cli("records", "submit-batch", str(lines))
    assert b"Traceback" not in result.stderr, result.stderr[-500:]
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [(r["line"], r["ok"], r["error"]["code"]) for r in out] == [(1, False, "number_too_large"), (2, False, "invalid_json")]


# — uploads in pages

@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
def test_the_ledger_verify_page_refuses_a_bad_bundle_with_400(client, kind):
    raw, _ = BAD_BODIES[kind]
    response = client.post("/ledger/verify/", {"bundle": SimpleUploadedFile("bundle.json", raw, content_type="application/json")})
    assert response.status_code == 400 and "JSON" in response.content.decode()


# — PINT: what another platform signs is read through the same function

def test_a_pint_token_whose_payload_is_bad_json_is_not_a_payload():
    from openftz.records import dcsa

    for payload in (HUGE, b"[" * 5000, b"NaN"):
        header = dcsa._b64url(b'{"alg":"EdDSA"}')
        token = f"{header}.{dcsa._b64url(payload)}.c2ln"
        with pytest.raises(ValueError):
            dcsa._payload(token)


# — fuzzing the API with JSON-like bodies

FRAGMENTS = st.sampled_from(['{', '}', '[', ']', ',', ':', '"a"', '"\\ud800"', 'NaN', '-Infinity', '1e999', '1' * 4400,
                             '0', 'true', 'null', '"processor"', '"instruction"', '[' * 200, '\xff', '中'])


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(FRAGMENTS, max_size=20).map("".join))
def test_fuzz_json_bodies_never_give_a_500(client, text):
    raw = text.encode("utf-8", "surrogatepass")
    for path in ("/api/dataexport/assess", "/api/records/instructions", "/api/records/pint/v3/envelopes"):
        response = client.post(path, raw, content_type="application/json")
        assert response.status_code < 500, (path, raw[:200])
        if response.status_code == 400:
            assert_error_schema(response, 400, response.json()["code"])
