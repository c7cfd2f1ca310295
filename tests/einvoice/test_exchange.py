"""The single window end to end: send → inbox (validation, MLR, Invoice Response AB) → the buyer's answers →
the sender's outbox; invalid invoices rejected at message level; bad envelopes refused with nothing written."""
from __future__ import annotations

import re

import pytest
from lxml import etree

from openftz.einvoice.models import Message
from openftz.einvoice.response_rules import check_invoice_response, check_message_level_response, fatal
from openftz.einvoice.sbdh import open_envelope

from .conftest import INVOICE, counts, respond, send

NS = {"cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
      "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"}


def invalid_invoice() -> bytes:
    """The same real invoice with its amount due changed, so that the totals no longer add up (BR-CO-16)."""
    data = INVOICE.read_bytes()
    assert b'<cbc:PayableAmount currencyID="DKK">782179.43</cbc:PayableAmount>' in data
    return data.replace(b'<cbc:PayableAmount currencyID="DKK">782179.43</cbc:PayableAmount>',
                        b'<cbc:PayableAmount currencyID="DKK">782179.42</cbc:PayableAmount>')


def assert_real_response(xml: str, *, kind: str) -> etree._Element:
    root = etree.fromstring(xml.encode("utf-8"))
    check = check_message_level_response if kind == "mlr" else check_invoice_response
    assert fatal(check(root)) == []
    return root


def test_send_deliver_answer_and_the_outbox_follows(exchange):
    sent = send(exchange["seller"], INVOICE.read_bytes())
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["receiver"] == "company-b"  # found by the buyer's electronic address BT-49 (0184:DK87654321)
    assert body["sender_participant"] == "0184:DK12345678" and body["receiver_participant"] == "0184:DK87654321"
    assert body["message_level"] == "AP" and body["status"] == "AB" and body["valid"] is True
    mlr, ack = body["responses"]
    assert (mlr["kind"], mlr["code"], ack["kind"], ack["code"]) == ("mlr", "AP", "invoice_response", "AB")
    root = assert_real_response(mlr["xml"], kind="mlr")
    assert root.findtext("cac:DocumentResponse/cac:DocumentReference/cbc:ID", namespaces=NS) == body["instance_id"]
    assert root.find("cac:SenderParty/cbc:EndpointID", NS).get("schemeID") == "0184"
    assert root.findtext("cac:SenderParty/cbc:EndpointID", namespaces=NS) == "DK87654321"  # the buyer's access point
    root = assert_real_response(ack["xml"], kind="invoice_response")
    assert root.findtext("cac:DocumentResponse/cac:DocumentReference/cbc:ID", namespaces=NS) == "12345"
    assert root.findtext("cac:SenderParty/cac:PartyLegalEntity/cbc:RegistrationName", namespaces=NS) == "Company B"

    stored = Message.objects.get(pk=body["id"])
    envelope = open_envelope(bytes(stored.envelope), max_bytes=10**7)
    assert envelope.sender == "0184:DK12345678" and envelope.receiver == "0184:DK87654321"
    assert envelope.country_c1 == "DK" and envelope.process_id == "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

    inbox = exchange["buyer"].get("/api/einvoice/inbox").json()
    assert [m["id"] for m in inbox] == [body["id"]]
    assert exchange["seller"].get("/api/einvoice/inbox").json() == []

    accepted = respond(exchange["buyer"], body["id"], "AP")
    assert accepted.status_code == 201, accepted.content
    assert_real_response(accepted.json()["xml"], kind="invoice_response")
    outbox = exchange["seller"].get("/api/einvoice/outbox").json()
    assert outbox[0]["status"] == "AP" and outbox[0]["status_name"]["zh"] == "已接受"

    paid = respond(exchange["buyer"], body["id"], "PD")
    assert paid.status_code == 201
    assert_real_response(paid.json()["xml"], kind="invoice_response")
    again = respond(exchange["buyer"], body["id"], "AP")
    assert again.status_code == 409 and again.json()["code"] == "status_order"
    detail = exchange["seller"].get(f"/api/einvoice/messages/{body['id']}").json()
    assert [r["code"] for r in detail["responses"]] == ["AP", "AB", "AP", "PD"]


def test_rejection_needs_a_reason_and_is_final(exchange):
    message = send(exchange["seller"], INVOICE.read_bytes()).json()
    before = counts()
    bare = respond(exchange["buyer"], message["id"], "RE")
    assert bare.status_code == 422 and bare.json()["code"] == "invalid_response"
    assert "PEPPOL-T111-R001" in str(bare.json()["details"])
    assert counts() == before
    rejected = respond(exchange["buyer"], message["id"], "RE", [
        {"list_id": "OPStatusReason", "code": "REF", "text": "Purchase order number is invalid",
         "conditions": [{"attribute": "BT-13", "value": "PO123456"}]},
        {"list_id": "OPStatusAction", "code": "NIN"}])
    assert rejected.status_code == 201, rejected.content
    root = assert_real_response(rejected.json()["xml"], kind="invoice_response")
    codes = [(s.get("listID"), s.text) for s in root.iterfind(".//cac:Status/cbc:StatusReasonCode", NS)]
    assert codes == [("OPStatusReason", "REF"), ("OPStatusAction", "NIN")]
    assert root.findtext(".//cac:Condition/cbc:AttributeID", namespaces=NS) == "BT-13"
    after = respond(exchange["buyer"], message["id"], "AP")
    assert after.status_code == 409 and "OP-BR111-R004" in str(after.json()["details"])
    assert exchange["seller"].get("/api/einvoice/outbox").json()[0]["status"] == "RE"


def test_partial_payments_then_full_payment(exchange):
    message = send(exchange["seller"], INVOICE.read_bytes()).json()
    assert respond(exchange["buyer"], message["id"], "AP").status_code == 201
    no_text = respond(exchange["buyer"], message["id"], "PD", [{"list_id": "OPStatusReason", "code": "PPD"}])
    assert no_text.status_code == 422 and "PEPPOL-T111-R004" in str(no_text.json()["details"])
    part = respond(exchange["buyer"], message["id"], "PD", [{"list_id": "OPStatusReason", "code": "PPD", "text": "400000 DKK paid"}])
    assert part.status_code == 201
    assert respond(exchange["buyer"], message["id"], "PD").status_code == 201
    assert respond(exchange["buyer"], message["id"], "PD").status_code == 409


def test_an_invalid_invoice_is_rejected_at_message_level_with_the_rule_ids(exchange):
    sent = send(exchange["seller"], invalid_invoice())
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["message_level"] == "RE" and body["valid"] is False and body["status"] is None
    assert [r["kind"] for r in body["responses"]] == ["mlr"]  # no Invoice Response for a rejected message
    rules = {f["rule"] for f in body["findings"] if f["severity"] == "fatal"}
    assert "BR-CO-16" in rules
    root = assert_real_response(body["responses"][0]["xml"], kind="mlr")
    assert root.findtext("cac:DocumentResponse/cac:Response/cbc:ResponseCode", namespaces=NS) == "RE"
    assert root.findtext("cac:DocumentResponse/cac:Response/cbc:Description", namespaces=NS)
    lines = root.findall("cac:DocumentResponse/cac:LineResponse", NS)
    described = {re.match(r"\[([^\]]+)\]", line.findtext("cac:Response/cbc:Description", namespaces=NS)).group(1) for line in lines}
    assert rules <= described
    assert {line.findtext("cac:Response/cac:Status/cbc:StatusReasonCode", namespaces=NS) for line in lines} <= {"BV", "BW"}
    assert all(line.findtext("cac:LineReference/cbc:LineID", namespaces=NS).startswith("/Invoice") for line in lines)
    answer = respond(exchange["buyer"], body["id"], "AP")
    assert answer.status_code == 409 and answer.json()["code"] == "rejected_message"
    assert exchange["seller"].get("/api/einvoice/outbox").json()[0]["message_level"] == "RE"


def test_an_explicit_receiver_and_the_zone_scheme(exchange):
    sent = send(exchange["seller"], INVOICE.read_bytes(), receiver="shanghai-trading")
    assert sent.status_code == 201, sent.content
    assert sent.json()["receiver_participant"] == f"USCC:{'91310115MA1H7GXK00'}"
    assert [m["id"] for m in exchange["chinese"].get("/api/einvoice/inbox").json()] == [sent.json()["id"]]


def test_a_prepared_envelope_is_delivered_as_it_is(exchange):
    first = send(exchange["seller"], INVOICE.read_bytes()).json()
    envelope = bytes(Message.objects.get(pk=first["id"]).envelope)
    fresh = re.sub(rb"<InstanceIdentifier>[0-9a-f-]{36}</InstanceIdentifier>",
                   b"<InstanceIdentifier>5d8c8b47-0f4e-4b6b-9c55-1f0c9d8a2e11</InstanceIdentifier>", envelope, count=1)
    again = send(exchange["seller"], fresh, name="envelope.xml")
    assert again.status_code == 201, again.content
    assert again.json()["instance_id"] == "5d8c8b47-0f4e-4b6b-9c55-1f0c9d8a2e11"
    duplicate = send(exchange["seller"], fresh, name="envelope.xml")
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "duplicate"


def _envelope(exchange) -> bytes:
    message = send(exchange["seller"], INVOICE.read_bytes()).json()
    return bytes(Message.objects.get(pk=message["id"]).envelope)


BAD_ENVELOPES = {
    "header version": (rb"<HeaderVersion>1.0</HeaderVersion>", b"<HeaderVersion>2.0</HeaderVersion>", "headerversion"),
    "authority": (rb'Authority="iso6523-actorid-upis">0184:DK12345678', b'Authority="GLN">0184:DK12345678', "sender-authority"),
    "unknown scheme": (rb">0184:DK87654321<", b">1234:DK87654321<", "receiver-identifier"),
    "no country": (rb"<Scope>\s*<Type>COUNTRY_C1</Type>\s*<InstanceIdentifier>DK</InstanceIdentifier>\s*</Scope>", b"", "country_c1"),
    "twice DOCUMENTID": (rb"(<Scope>\s*<Type>DOCUMENTID</Type>.*?</Scope>)", rb"\1\1", "scope"),
    "document type": (rb"billing:3.0::2.1</InstanceIdentifier>", b"billing:3.0::2.2</InstanceIdentifier>", "documentid"),
    "type version": (rb"<TypeVersion>2.1</TypeVersion>", b"<TypeVersion>2.0</TypeVersion>", "typeversion"),
    "creation time": (rb"<CreationDateAndTime>[^<]*</CreationDateAndTime>", b"<CreationDateAndTime>2025-01-01T10:00:00</CreationDateAndTime>", "creationdateandtime"),
    "type": (rb"<Type>Invoice</Type>", b"<Type>Order</Type>", "payload"),
    "two payloads": (rb"(</StandardBusinessDocumentHeader>)", rb"\1<Other xmlns='urn:x'/>", "payload"),
    "root": (rb"StandardBusinessDocument(\s|>)", rb"StandardBusinessDocumentX\1", "root"),
}


@pytest.mark.parametrize("case", BAD_ENVELOPES, ids=list(BAD_ENVELOPES))
def test_a_bad_envelope_is_a_clear_4xx_and_writes_nothing(exchange, case):
    pattern, replacement, check = BAD_ENVELOPES[case]
    envelope = _envelope(exchange)
    bad, n = re.subn(pattern, replacement, envelope, count=1, flags=re.S)
    assert n == 1
    if case == "root":
        bad = re.sub(rb"</StandardBusinessDocument>\s*$", b"</StandardBusinessDocumentX>", bad)
    before = counts()
    answer = send(exchange["seller"], bad, name="envelope.xml")
    assert 400 <= answer.status_code < 500, answer.content
    body = answer.json()
    assert set(body) == {"code", "message_zh", "message_en", "details"}
    if answer.json()["code"] == "bad_envelope":
        assert body["details"]["check"] == check
    assert counts() == before


@pytest.mark.parametrize("payload", [
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<StandardBusinessDocument xmlns="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader">&x;</StandardBusinessDocument>',
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>',
    b"\x00\x01 not xml",
    b"",
], ids=["xxe", "entity expansion", "binary", "empty"])
def test_hostile_or_unreadable_uploads_are_refused(exchange, payload):
    before = counts()
    answer = send(exchange["seller"], payload, receiver="company-b")
    assert answer.status_code == 422, answer.content
    assert answer.json()["code"] in ("unreadable_document", "bad_envelope")
    assert counts() == before


def test_a_bare_invoice_needs_a_receiver_the_directory_knows(exchange):
    before = counts()
    unknown = INVOICE.read_bytes().replace(b'schemeID="0184">DK87654321<', b'schemeID="0184">DK55555555<')
    answer = send(exchange["seller"], unknown)
    assert answer.status_code == 422 and answer.json()["code"] == "unknown_participant"
    assert send(exchange["seller"], INVOICE.read_bytes(), receiver="no-such-party").status_code == 404
    assert counts() == before
