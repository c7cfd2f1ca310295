"""Demo data of the single window (演示数据): two enterprises with a user each and a few invoices between them, sent,
validated and answered through the same services as real messages, so that a newcomer sees a living inbox.

The invoice is the EN 16931 distribution's Peppol BIS 3.0 example (``data/einvoice/demo/``, EUPL 1.2), whose seller
and buyer are addressed by their Danish CVR numbers; the demo parties carry those identifiers, and their names say
they are demo parties. Nothing is written when the single window already holds messages.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from openftz.parties.models import Party
from openftz.parties.services import party_create

from .models import Member, Message
from .responses import Clarification
from .services import message_respond, message_send

DEMO_PASSWORD = "openftz-demo"
INVOICE = Path(__file__).resolve().parents[2] / "data" / "einvoice" / "demo" / "BIS3_Invoice_positive.xml"
PARTIES = (  # party id, name zh, name en, ICD scheme, identifier, user
    ("demo-seller-dk", "甲公司（丹麦，演示）", "Company A (Denmark, demo)", "0184", "DK12345678", "seller-demo"),
    ("demo-buyer-dk", "乙公司（丹麦，演示）", "Company B (Denmark, demo)", "0184", "DK87654321", "buyer-demo"),
)


@dataclass
class DemoAccount:
    username: str
    party: str


def single_window_is_empty() -> bool:
    return not Message.objects.exists()


def _variant(invoice: bytes, number: str, *, wrong_total: bool = False) -> bytes:
    """The example with another invoice number (BT-1); with ``wrong_total`` an amount due one cent off, so that the
    totals no longer add up (BR-CO-16) and the message is refused."""
    out = invoice.replace(b"<cbc:ID>12345</cbc:ID>", f"<cbc:ID>{number}</cbc:ID>".encode(), 1)
    if wrong_total:
        out = out.replace(b'<cbc:PayableAmount currencyID="DKK">782179.43<', b'<cbc:PayableAmount currencyID="DKK">782179.42<', 1)
    return out


@transaction.atomic
def demo_load() -> list[DemoAccount]:
    """Demo parties and users; three invoices: one accepted, one under query, one refused at message level."""
    users = {}
    for party_id, zh, en, scheme, identifier, username in PARTIES:
        if not Party.objects.filter(pk=party_id).exists():
            party_create(party_id=party_id, name_zh=zh, name_en=en, foreign_scheme=scheme, foreign_id=identifier)
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        Member.objects.update_or_create(user=user, defaults={"party_id": party_id})
        users[username] = user
    invoice = INVOICE.read_bytes()
    seller, buyer = users["seller-demo"], users["buyer-demo"]
    accepted = message_send(actor=seller, document=_variant(invoice, "DEMO-2026-001"))
    message_respond(actor=buyer, message_id=accepted.pk, code="AP", note="演示:已接受 / demo: accepted")
    queried = message_send(actor=seller, document=_variant(invoice, "DEMO-2026-002"))
    message_respond(actor=buyer, message_id=queried.pk, code="UQ", note="演示:请补充订单号 / demo: order reference missing",
                    clarifications=(Clarification("OPStatusReason", "REF", "订单号缺失 / purchase order missing"),))
    message_send(actor=seller, document=_variant(invoice, "DEMO-2026-003", wrong_total=True))
    return [DemoAccount(username, party_id) for party_id, *_, username in PARTIES]
