"""The exchange pages in both languages: inbox, outbox, send, the message page with its answer form and downloads."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from lxml import etree

from openftz.einvoice.models import Message

from .conftest import INVOICE, counts, send


@pytest.fixture
def sent(exchange):
    answer = send(exchange["seller"], INVOICE.read_bytes())
    assert answer.status_code == 201
    return answer.json()


@pytest.mark.parametrize("prefix, word", [("", "收件箱"), ("/en", "inbox")])
def test_inbox_lists_the_message_in_both_languages(exchange, sent, prefix, word):
    page = exchange["buyer"].get(f"{prefix}/einvoice/")
    assert page.status_code == 200
    html = page.content.decode()
    assert word in html and sent["id"] in html and "12345" in html


def test_outbox_shows_the_status(exchange, sent):
    html = exchange["seller"].get("/einvoice/outbox/").content.decode()
    assert 'data-status="AB"' in html and "已收到" in html
    assert "Message acknowledgement" in exchange["seller"].get("/en/einvoice/outbox/").content.decode()


def test_the_message_page_shows_invoice_findings_china_view_and_responses(exchange, sent):
    page = exchange["buyer"].get(f"/einvoice/messages/{sent['id']}/")
    assert page.status_code == 200
    html = page.content.decode()
    for expected in ("销售方名称", "Seller name", 'title="BT-27"', "中国视图", "China view", "校验结果",
                     'id="respond-form"', 'data-kind="mlr"', 'data-code="AB"'):
        assert expected in html, expected
    seller_page = exchange["seller"].get(f"/einvoice/messages/{sent['id']}/").content.decode()
    assert 'id="respond-form"' not in seller_page  # only the buyer answers


def test_answering_from_the_page(exchange, sent):
    url = f"/einvoice/messages/{sent['id']}/respond/"
    refused = exchange["buyer"].post(url, {"code": "RE"}, follow=True)
    assert "须附说明代码" in refused.content.decode()  # PEPPOL-T111-R001, in the page's language
    assert Message.objects.get(pk=sent["id"]).status == "AB"
    done = exchange["buyer"].post(url, {"code": "RE", "reason": "REF", "action": "NIN", "text": "PO number missing"}, follow=True)
    assert done.status_code == 200
    assert Message.objects.get(pk=sent["id"]).status == "RE"
    assert 'data-status="RE"' in exchange["seller"].get("/einvoice/outbox/").content.decode()


def test_another_party_gets_a_403_page_and_nothing_is_written(exchange, sent):
    before = counts()
    assert exchange["outsider"].get(f"/einvoice/messages/{sent['id']}/").status_code == 403
    assert exchange["outsider"].post(f"/einvoice/messages/{sent['id']}/respond/", {"code": "AP"}).status_code == 403
    assert exchange["seller"].post(f"/einvoice/messages/{sent['id']}/respond/", {"code": "AP"}).status_code == 403
    assert counts() == before
    assert exchange["nobody"].get("/einvoice/").status_code == 403


def test_anonymous_is_sent_to_the_login(db):
    page = Client().get("/einvoice/")
    assert page.status_code == 302 and "/tracker/login/" in page["Location"]


def test_downloads(exchange, sent):
    client = exchange["buyer"]
    envelope = client.get(f"/einvoice/messages/{sent['id']}/envelope.xml")
    assert envelope.status_code == 200 and envelope["Content-Type"] == "application/xml"
    assert etree.fromstring(envelope.content).tag.endswith("StandardBusinessDocument")
    pdf = client.get(f"/einvoice/messages/{sent['id']}/invoice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    for r in sent["responses"]:
        xml = client.get(f"/einvoice/messages/{sent['id']}/responses/{r['document_id']}.xml")
        assert xml.status_code == 200 and xml.content.decode() == r["xml"]
    assert exchange["outsider"].get(f"/einvoice/messages/{sent['id']}/envelope.xml").status_code == 403


def test_send_from_the_page(exchange):
    page = exchange["seller"].get("/einvoice/send/")
    assert page.status_code == 200 and 'id="send-form"' in page.content.decode()
    posted = exchange["seller"].post("/einvoice/send/", {"document": SimpleUploadedFile("i.xml", INVOICE.read_bytes()),
                                                         "receiver": "company-b"})
    assert posted.status_code == 302
    message = Message.objects.get()
    assert posted["Location"].endswith(f"/einvoice/messages/{message.pk}/")
    before = counts()
    bad = exchange["seller"].post("/einvoice/send/", {"document": SimpleUploadedFile("x.xml", b"<not-an-invoice/>")})
    assert bad.status_code == 422 and counts() == before


def test_an_envelope_id_with_a_line_break_and_a_quote_downloads(exchange):
    """A sender's InstanceIdentifier holding a line break and a quote: both parties can still download the
    envelope, and the name adds no parameter of its own."""
    import re

    from openftz.einvoice.models import Message

    from .conftest import INVOICE, send

    first = send(exchange["seller"], INVOICE.read_bytes()).json()
    envelope = bytes(Message.objects.get(pk=first["id"]).envelope)
    odd = re.sub(rb"<InstanceIdentifier>[0-9a-f-]{36}</InstanceIdentifier>",
                 b'<InstanceIdentifier>id&#13;&#10;X-Evil: 1"; filename="evil.exe</InstanceIdentifier>', envelope, count=1)
    sent = send(exchange["seller"], odd, name="envelope.xml")
    assert sent.status_code == 201, sent.content
    for party in ("seller", "buyer"):
        page = exchange[party].get(f"/einvoice/messages/{sent.json()['id']}/envelope.xml")
        assert page.status_code == 200
        value = page["Content-Disposition"]
        assert "\n" not in value and "\r" not in value and value.count("filename=") == 1
        assert 'filename="evil.exe"' not in value
