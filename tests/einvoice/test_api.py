"""POST /api/einvoice/validate: upload one document, get the same object the CLI prints; unreadable input is a 4xx."""
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[1] / "data" / "einvoice"


def _post(client, name: str, data: bytes, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.post(f"/api/einvoice/validate{'?' + query if query else ''}",
                       {"document": SimpleUploadedFile(name, data, content_type="application/xml")})


def test_a_valid_credit_note(client):
    data = (DATA / "en16931-testfiles" / "CreditNote-Max_content.xml").read_bytes()
    response = _post(client, "cn.xml", data, rules="en16931")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["file"] == "cn.xml" and body["valid"] is True and body["ruleset"] == "en16931"
    assert body["document"]["kind"] == "CreditNote"


def test_auto_picks_peppol_and_reports_findings(client):
    data = (DATA / "en16931-examples" / "ubl-tc434-example2.xml").read_bytes()
    peppol = _post(client, "x.xml", data.replace(b"urn:cen.eu:en16931:2017",
                                                 b"urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0", 1)).json()
    assert peppol["ruleset"] == "peppol" and peppol["valid"] is False
    assert any(f["rule"] == "PEPPOL-EN16931-R008" for f in peppol["findings"])


@pytest.mark.parametrize("data, rule", [(b"junk", "OPENFTZ-XML"), (b"<a/>", "OPENFTZ-ROOT"),
                                        (b"<!DOCTYPE x [<!ENTITY e 'x'>]><x>&e;</x>", "OPENFTZ-XML")])
def test_unreadable_documents_are_422_with_the_error_shape(client, data, rule):
    response = _post(client, "bad.xml", data)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"code", "message_zh", "message_en", "details"} and body["details"]["rule"] == rule


def test_missing_upload_and_bad_rule_set_are_4xx(client):
    assert client.post("/api/einvoice/validate").status_code == 422
    data = (DATA / "en16931-testfiles" / "Invoice-Min_content_with_VAT.xml").read_bytes()
    assert _post(client, "x.xml", data, rules="xrechnung").status_code == 422
