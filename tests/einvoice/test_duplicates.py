"""Duplicate invoices (重复发票): the same seller delivering the same invoice number and issue date to the same buyer
again is flagged on delivery, shown to both parties (page, lists, API, CLI), counted for the risk figures, and the
buyer's rejection with the duplicate reason is ready on the page."""
from __future__ import annotations

import json
import re

from django.utils import translation
from typer.testing import CliRunner

from openftz.cli import app
from openftz.einvoice import selectors
from openftz.einvoice.models import Message
from openftz.einvoice.response_rules import duplicate_key, duplicate_rejection
from openftz.einvoice.responses import codes

from .conftest import INVOICE, respond, send


def _again(exchange, data: bytes | None = None):
    sent = send(exchange["seller"], data or INVOICE.read_bytes())
    assert sent.status_code == 201, sent.content
    return sent.json()


def test_the_key_is_seller_buyer_kind_number_and_date():
    key = duplicate_key(sender="a", receiver="b", kind="Invoice", number="12345", issue_date="2024-01-01")
    assert key == ("a", "b", "Invoice", "12345", "2024-01-01")
    assert duplicate_key(sender="a", receiver="b", kind="Invoice", number=" ", issue_date="2024-01-01") is None
    assert duplicate_key(sender="a", receiver="b", kind="Invoice", number="1", issue_date="") is None


def test_the_duplicate_reason_is_in_the_peppol_lists():
    spec = codes()["invoice_response"]
    rejection = duplicate_rejection()
    assert rejection["status"] in {s["code"] for s in spec["statuses"]}
    assert rejection["reason"] in {r["code"] for r in spec["reasons"]}
    assert rejection["action"] in {a["code"] for a in spec["actions"]}
    assert rejection["text"]  # OTH wants a text (PEPPOL-T111-R002)


def test_the_second_and_third_delivery_are_flagged(exchange):
    first, second, third = _again(exchange), _again(exchange), _again(exchange)
    assert first["duplicate_of"] is None
    assert second["duplicate_of"] == first["id"] and third["duplicate_of"] == first["id"]
    assert Message.objects.get(pk=third["id"]).duplicate_of_id is not None
    assert selectors.duplicates_flagged() == 2
    assert selectors.duplicates_flagged(party_id="company-b") == 2
    assert selectors.duplicates_flagged(party_id="third-party") == 0


def test_another_number_or_date_or_buyer_is_not_a_duplicate(exchange):
    data = INVOICE.read_bytes()
    _again(exchange, data)
    other_number = re.sub(rb"<cbc:ID>12345</cbc:ID>", b"<cbc:ID>12346</cbc:ID>", data, count=1)
    other_date = data.replace(b"<cbc:IssueDate>2019-01-25</cbc:IssueDate>", b"<cbc:IssueDate>2019-01-26</cbc:IssueDate>", 1)
    assert other_date != data
    assert _again(exchange, other_number)["duplicate_of"] is None
    assert _again(exchange, other_date)["duplicate_of"] is None
    to_another = send(exchange["seller"], data, receiver="shanghai-trading")
    assert to_another.status_code == 201 and to_another.json()["duplicate_of"] is None


def test_both_parties_see_the_flag_in_the_api_lists_and_pages(exchange):
    first, second = _again(exchange), _again(exchange)
    inbox = {m["id"]: m for m in exchange["buyer"].get("/api/einvoice/inbox").json()}
    outbox = {m["id"]: m for m in exchange["seller"].get("/api/einvoice/outbox").json()}
    assert inbox[second["id"]]["duplicate_of"] == first["id"] and inbox[first["id"]]["duplicate_of"] is None
    assert outbox[second["id"]]["duplicate_of"] == first["id"]
    for party, lang, words in (("buyer", "zh-hans", "重复"), ("seller", "en", "duplicate")):
        client = exchange[party]
        client.cookies["django_language"] = lang
        with translation.override(lang):
            page = client.get(f"/einvoice/messages/{second['id']}/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
            listing = client.get("/einvoice/" if party == "buyer" else "/einvoice/outbox/",
                                 HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert 'id="duplicate-notice"' in page and words in page.lower()
        assert f'/einvoice/messages/{first["id"]}/' in page
        assert words in listing.lower()
        first_page = client.get(f"/einvoice/messages/{first['id']}/").content.decode()
        assert 'id="duplicate-notice"' not in first_page


def test_the_buyer_rejects_a_duplicate_with_the_reason_preselected(exchange):
    _again(exchange)
    second = _again(exchange)
    page = exchange["buyer"].get(f"/einvoice/messages/{second['id']}/").content.decode()
    rejection = duplicate_rejection()
    assert f'<option value="{rejection["status"]}" selected>' in page
    assert f'<option value="{rejection["reason"]}" selected>' in page
    assert f'<option value="{rejection["action"]}" selected>' in page
    answer = respond(exchange["buyer"], second["id"], rejection["status"],
                     [{"list_id": "OPStatusReason", "code": rejection["reason"], "text": rejection["text"]},
                      {"list_id": "OPStatusAction", "code": rejection["action"]}])
    assert answer.status_code == 201, answer.content
    assert Message.objects.get(pk=second["id"]).status == "RE"
    seller_page = exchange["seller"].get(f"/einvoice/messages/{second['id']}/").content.decode()
    assert 'id="duplicate-notice"' in seller_page and 'id="respond-form"' not in seller_page


def test_the_cli_lists_the_flagged_duplicates(exchange):
    first, second = _again(exchange), _again(exchange)
    result = CliRunner().invoke(app, ["einvoice", "duplicates", "--party", "company-a"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["duplicates_flagged"] == 1
    assert [(m["id"], m["duplicate_of"]) for m in out["messages"]] == [(second["id"], first["id"])]
