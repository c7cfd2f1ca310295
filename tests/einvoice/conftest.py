"""Parties of the single window and their enterprise users, on a real Peppol BIS Billing 3.0 invoice.

The exchange tests send OpenPeppol's own positive example (``BIS3_Invoice_positive.XML`` of the EN 16931
distribution), valid under the Peppol rule set the inbox applies. Its seller and buyer are Danish companies
addressed by their CVR numbers (ISO/IEC 6523 ICD 0184), so they are registered in the directory under that scheme:
the invoice's own electronic addresses (BT-34, BT-49) then name them. A Chinese party is addressed by the zone
scheme USCC and a third one by its LEI (0199)."""
from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "einvoice"
TESTFILES = DATA / "en16931-testfiles"
INVOICE = DATA / "en16931-examples" / "BIS3_Invoice_positive.XML"  # seller 0184:DK12345678 → buyer 0184:DK87654321
USCC = "91310115MA1H7GXK00"
LEI = "529900T8BM49AURSDO55"


def make_user(username: str, party_id: str | None):
    from django.contrib.auth import get_user_model

    from openftz.einvoice.models import Member

    user = get_user_model().objects.create_user(username, password="pw")
    if party_id:
        Member.objects.create(user=user, party_id=party_id)
    return user


@pytest.fixture
def exchange(db):
    """Parties (seller, buyer, a Chinese trader, a third party) and one logged-in client per enterprise user."""
    from django.test import Client

    from openftz.parties.services import party_create

    party_create(party_id="company-a", name_zh="甲公司（丹麦）", name_en="Company A", foreign_scheme="0184",
                 foreign_id="DK12345678")
    party_create(party_id="company-b", name_zh="乙公司（丹麦）", name_en="Company B", foreign_scheme="0184",
                 foreign_id="DK87654321")
    party_create(party_id="shanghai-trading", name_zh="上海某某贸易有限公司", uscc=USCC)
    party_create(party_id="third-party", name_zh="第三方公司", name_en="Third Party Ltd", lei=LEI)
    clients = {}
    for username, party in (("seller", "company-a"), ("buyer", "company-b"), ("chinese", "shanghai-trading"),
                            ("outsider", "third-party"), ("nobody", None)):
        client = Client(enforce_csrf_checks=False)
        client.force_login(make_user(username, party))
        clients[username] = client
    from django.contrib.auth import get_user_model

    clients["users"] = {u.username: u for u in get_user_model().objects.all()}
    return clients


def send(client, data: bytes, *, receiver: str | None = None, name: str = "invoice.xml"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = "/api/einvoice/send" + (f"?receiver={receiver}" if receiver else "")
    return client.post(url, {"document": SimpleUploadedFile(name, data, content_type="application/xml")})


def respond(client, message_id: str, code: str, clarifications=(), note: str = ""):
    return client.post(f"/api/einvoice/messages/{message_id}/responses",
                       {"code": code, "clarifications": list(clarifications), "note": note},
                       content_type="application/json")


def counts() -> tuple[int, int, int]:
    from openftz.einvoice.models import Message, Response
    from openftz.ledger.models import Entry

    return Message.objects.count(), Response.objects.count(), Entry.objects.count()
