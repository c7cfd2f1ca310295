"""The public verification page: anyone uploads an exported history bundle and sees whether it is intact."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.test_records import Registry

pytestmark = pytest.mark.django_db


def upload(client, data: bytes):
    return client.post("/ledger/verify/", {"bundle": SimpleUploadedFile("bundle.json", data, content_type="application/json")})


def test_intact_and_tampered_bundles(client):
    reg = Registry()
    reg.issue_ebl("VERIFY1")
    reg.do("shipper", "VERIFY1", "endorse_to_order", {"to": "bank"})
    from openftz.records import selectors

    bundle = selectors.record_bundle(selectors.record_get("VERIFY1"))
    ok = upload(client, json.dumps(bundle).encode())
    assert ok.status_code == 200 and 'data-ok="true"' in ok.content.decode()
    entry = next(e for e in bundle["entries"] if e["inclusion_proof"])
    proof = entry["inclusion_proof"][0]
    entry["inclusion_proof"][0] = ("0" if proof[0] != "0" else "1") + proof[1:]  # one changed hex digit
    bad = upload(client, json.dumps(bundle).encode())
    assert bad.status_code == 422 and 'data-ok="false"' in bad.content.decode()
    assert upload(client, b"\xff not json").status_code == 400
    assert client.get("/ledger/verify/").status_code == 200
