"""Who may do what in the single window: every route × every kind of user; a refusal writes nothing."""
from __future__ import annotations

import pytest
from django.test import Client

from .conftest import INVOICE, counts, respond, send


@pytest.fixture
def message(exchange):
    sent = send(exchange["seller"], INVOICE.read_bytes())
    assert sent.status_code == 201
    return sent.json()


READS = ["/api/einvoice/inbox", "/api/einvoice/outbox"]


@pytest.mark.parametrize("url", READS)
def test_anonymous_gets_401(db, url):
    assert Client().get(url).status_code == 401


def test_anonymous_cannot_send_or_answer(exchange, message):
    before = counts()
    assert send(Client(), INVOICE.read_bytes(), receiver="company-b").status_code == 401
    assert respond(Client(), message["id"], "AP").status_code == 401
    assert Client().get(f"/api/einvoice/messages/{message['id']}").status_code == 401
    assert counts() == before


@pytest.mark.parametrize("url", READS)
def test_a_user_with_no_party_has_no_inbox(exchange, url):
    answer = exchange["nobody"].get(url)
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"


def test_a_user_with_no_party_cannot_send(exchange):
    before = counts()
    answer = send(exchange["nobody"], INVOICE.read_bytes(), receiver="company-b")
    assert answer.status_code == 403
    assert counts() == before


def test_only_the_two_parties_see_a_message(exchange, message):
    url = f"/api/einvoice/messages/{message['id']}"
    assert exchange["seller"].get(url).status_code == 200
    assert exchange["buyer"].get(url).status_code == 200
    for who in ("outsider", "chinese", "nobody"):
        assert exchange[who].get(url).status_code == 403, who
    assert exchange["outsider"].get("/api/einvoice/inbox").json() == []
    assert exchange["outsider"].get("/api/einvoice/outbox").json() == []
    assert exchange["seller"].get("/api/einvoice/messages/7f1e6c1a-0000-4000-8000-000000000000").status_code == 404


@pytest.mark.parametrize("who", ["seller", "outsider", "chinese", "nobody"])
def test_only_the_receiver_answers(exchange, message, who):
    before = counts()
    answer = respond(exchange[who], message["id"], "AP")
    assert answer.status_code == 403 and answer.json()["code"] == "forbidden"
    assert counts() == before
    assert exchange["seller"].get("/api/einvoice/outbox").json()[0]["status"] == "AB"


def test_nobody_sends_in_another_partys_name(exchange, message):
    """The seller's envelope, uploaded by another party's user, is refused (before any other check)."""
    from openftz.einvoice.models import Message

    envelope = bytes(Message.objects.get(pk=message["id"]).envelope)
    before = counts()
    answer = send(exchange["outsider"], envelope, name="envelope.xml")
    assert answer.status_code == 403
    assert counts() == before


def test_answers_with_bad_text_are_refused(exchange, message):
    before = counts()
    nul = respond(exchange["buyer"], message["id"], "RE", [{"list_id": "OPStatusReason", "code": "REF", "text": "bad\x00text"}])
    assert nul.status_code == 422 and nul.json()["code"] == "invalid_input"
    unknown = respond(exchange["buyer"], message["id"], "ZZ")
    assert unknown.status_code == 422
    assert counts() == before
