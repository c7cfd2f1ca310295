"""A request body over DATA_UPLOAD_MAX_MEMORY_SIZE (12 MiB) is 413 with the error schema on every API route — JSON
bodies, form fields, signed in or not, whatever the Content-Length says — and never a 500 on a page."""
from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from tests.procurement.conftest import world  # noqa: F401  (fixture)

LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
# a JSON object whose body is one byte over the limit
JUST_OVER = b'{"x": "' + b"a" * (LIMIT + 1 - len(b'{"x": ""}')) + b'"}'
# every API route that reads a JSON body, (method, path, needs a signed-in user)
ROUTES = [
    ("post", "/api/dataexport/assess", False),
    ("post", "/api/records/instructions", False),
    ("post", "/api/records/instructions/batch", False),
    ("post", "/api/records/pint/v3/envelopes", False),
    ("put", "/api/records/pint/v3/envelopes/ref-1/additional-documents/abc", False),
    ("post", "/api/records/pint/v3/receiver-validation", False),
    ("post", "/api/procurement/procedures", True),
    ("post", "/api/procurement/challenges", True),
    ("post", "/api/tracker/risks", True),
    ("post", "/api/tracker/feedback", True),
    ("post", "/api/dataexport/transfers", True),
    ("post", "/api/einvoice/send", True),
]


def assert_413(response):
    assert response.status_code == 413, (response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message_zh", "message_en", "details"}
    assert body["code"] == "too_large" and body["details"]["max_bytes"] == LIMIT


def test_the_body_is_just_over_the_limit():
    assert len(JUST_OVER) == LIMIT + 1 and json.loads(JUST_OVER)


@pytest.mark.parametrize("method,path,signed_in", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_a_json_body_just_over_the_limit_is_413_with_the_error_schema(world, method, path, signed_in):
    client = Client(raise_request_exception=False)
    if signed_in:
        client.force_login(world["users"]["root"])
    assert_413(getattr(client, method)(path, JUST_OVER, content_type="application/json"))


@pytest.mark.django_db
def test_a_body_at_the_limit_is_read(client):
    at_limit = JUST_OVER[:7] + JUST_OVER[8:]
    assert len(at_limit) == LIMIT
    response = client.post("/api/dataexport/assess", at_limit, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"  # read, then found not to be a transfer


@pytest.mark.django_db
def test_a_lying_content_length_over_the_limit_is_413_before_reading(client):
    """The client claims 13 MiB and sends 20 bytes: refused on the header's word, nothing is read."""
    response = client.post("/api/records/pint/v3/envelopes", b'{"x": "short body"}', content_type="application/json",
                           CONTENT_LENGTH=str(LIMIT + 1024 * 1024))
    assert_413(response)


@pytest.mark.django_db
def test_a_lying_content_length_under_the_limit_reads_only_what_it_announced(client):
    """The client claims 100 bytes and sends more than the limit: only 100 bytes are read, which are not JSON."""
    response = client.post("/api/dataexport/assess", JUST_OVER, content_type="application/json", CONTENT_LENGTH="100")
    assert response.status_code == 400 and response.json()["code"] == "invalid_json"


@pytest.mark.django_db
def test_form_fields_over_the_limit_are_413_on_a_multipart_route(client):
    """POST /api/procurement/check takes a file and form fields: fields over the limit are refused as a JSON body is."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/api/procurement/check", {"file": SimpleUploadedFile("a.jsonl", b"{}\n"), "on": "2" * (LIMIT + 1)})
    assert_413(response)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/procurement/check/", "/ledger/verify/", "/en/tracker/login/"])
def test_pages_never_answer_500_to_a_body_over_the_limit(path):
    client = Client(raise_request_exception=False)
    for body, content_type in ((JUST_OVER, "application/json"), (b"q=" + b"a" * LIMIT, "application/x-www-form-urlencoded")):
        response = client.post(path, body, content_type=content_type)
        assert response.status_code < 500, (path, response.status_code)


def _raw_request(url: str, head: bytes, body: bytes) -> tuple[int, bytes]:
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(head + b"\r\n\r\n" + body)
        sock.shutdown(socket.SHUT_WR)  # the client sends nothing more
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1]


def test_over_a_real_socket_a_lying_content_length_is_413(live_server):
    """A client announces 13 MiB, sends 19 bytes and stops: the answer comes from the header, 413 with the schema."""
    head = (f"POST /api/records/pint/v3/envelopes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {LIMIT + 1024 * 1024}\r\nConnection: close").encode()
    status, body = _raw_request(live_server.url, head, b'{"x": "short body"}')
    assert status == 413 and json.loads(body)["code"] == "too_large"
