"""Reads of the e-invoice app: registrations and their receipts, the single window's inbox, outbox and messages."""
from __future__ import annotations

import re

from django.db.models import Q

from openftz.core.errors import InvalidInput, NotFound
from openftz.ledger.selectors import entry_as_dict, history_bundle

from openftz.parties.models import Party

from . import registration as reg_rules
from .models import Message, Registration
from .participants import Identifiers, directory_key, participant_ids
from .permissions import Action, require
from .response_rules import status_name

SHA256 = re.compile(r"^[0-9a-f]{64}$")


def registration_get(sha256: str) -> Registration:
    sha256 = sha256.strip().lower()
    if not SHA256.match(sha256):
        raise InvalidInput("SHA-256 须为 64 位十六进制", "a SHA-256 is 64 hexadecimal characters", details={"sha256": sha256[:80]})
    try:
        return Registration.objects.select_related("entry").get(sha256=sha256)
    except Registration.DoesNotExist:
        raise NotFound("这些字节未登记", "these bytes are not registered", details={"sha256": sha256}) from None


def registration_find(sha256: str) -> Registration | None:
    return Registration.objects.select_related("entry").filter(sha256=sha256).first()


def registration_as_dict(r: Registration) -> dict:
    return {
        "sha256": r.sha256, "sm3": r.sm3, "size": r.size, "kind": r.kind, "number": r.number or None,
        "issue_date": r.issue_date or None, "currency": r.currency or None, "total": r.total or None,
        "seller": r.seller, "buyer": r.buyer, "valid": r.valid, "ruleset": r.ruleset,
        "registered_at": r.registered_at, "ledger_index": r.entry_id,
    }


def receipt(r: Registration) -> dict:
    """The ledger's history bundle of the registration (entry, inclusion proof, signed tree head, registry key) —
    what ``openftz ledger verify-bundle`` checks offline — with the registration beside it."""
    bundle = history_bundle(reg_rules.subject_of(r.sha256))
    return {**bundle, "receipt": {"format": reg_rules.RECEIPT_FORMAT, "registration": registration_as_dict(r),
                                  "entry": entry_as_dict(r.entry)}}


# — the single window ———————————————————————————————————————————————————————————————————————————————————————

def party_by_participant(participant: str) -> Party | None:
    """The directory party a participant identifier names, or None (InvalidInput for a malformed identifier)."""
    return Party.objects.filter(**directory_key(participant)).first()


def participant_ids_of(party: Party) -> list[str]:
    return participant_ids(Identifiers(uscc=party.uscc, lei=party.lei, foreign_scheme=party.foreign_scheme,
                                       foreign_id=party.foreign_id))


def _messages():
    return Message.objects.select_related("sender", "receiver").defer("envelope", "payload")


def inbox(party_id: str):
    return _messages().filter(receiver_id=party_id).order_by("-received_at", "id")


def outbox(party_id: str):
    return _messages().filter(sender_id=party_id).order_by("-received_at", "id")


def message_get(message_id) -> Message:
    try:
        # the envelope (which holds the invoice again) is read only when it is downloaded
        return (Message.objects.select_related("sender", "receiver").prefetch_related("responses").defer("envelope")
                .get(pk=message_id))
    except (Message.DoesNotExist, ValueError, TypeError):
        raise NotFound("没有该报文", "no such message", details={"message": str(message_id)[:80]}) from None


def message_for(user, message_id, action: Action = Action.VIEW) -> Message:
    """The message if the user may take ``action`` on it (403 otherwise, 404 if there is none)."""
    message = message_get(message_id)
    require(user, action, message)
    return message


def response_as_dict(r, *, xml: bool = True) -> dict:
    out = {"document_id": r.document_id, "kind": r.kind, "code": r.code, "name": status_name(r.code),
           "clarifications": r.clarifications, "note": r.note or None, "issued_at": r.issued_at,
           "issued_by": r.issued_by.username if r.issued_by_id else None}
    if xml:
        out["xml"] = r.xml
    return out


def message_as_dict(m: Message, *, detail: bool = False) -> dict:
    out = {
        "id": str(m.id), "instance_id": m.instance_id, "sender": m.sender_id, "receiver": m.receiver_id,
        "sender_name": m.sender.name_zh, "receiver_name": m.receiver.name_zh,
        "sender_participant": m.sender_participant, "receiver_participant": m.receiver_participant,
        "kind": m.kind, "number": m.number or None, "issue_date": m.issue_date or None, "currency": m.currency or None,
        "total": m.total or None, "valid": m.valid, "message_level": m.message_level,
        "status": m.status or None, "status_name": status_name(m.status) if m.status else None,
        "received_at": m.received_at,
        "duplicate_of": str(m.duplicate_of_id) if m.duplicate_of_id else None,
    }
    if detail:
        out.update(document_type_id=m.document_type_id, process_id=m.process_id, country_c1=m.country_c1,
                   created_at=m.created_at, payload_sha256=m.payload_sha256, ruleset=m.ruleset, findings=m.findings,
                   responses=[response_as_dict(r) for r in m.responses.all()])
    return out


def duplicates_flagged(*, since=None, until=None, party_id: str | None = None) -> int:
    """How many delivered invoices were flagged as duplicates (same sender, receiver, BT-1 and BT-2 as one before),
    received in [since, until), of one party (as sender or receiver) or of all — for the risk figures."""
    query = Message.objects.filter(duplicate_of__isnull=False)
    if since is not None:
        query = query.filter(received_at__gte=since)
    if until is not None:
        query = query.filter(received_at__lt=until)
    if party_id is not None:
        query = query.filter(Q(sender_id=party_id) | Q(receiver_id=party_id))
    return query.count()


def flagged_duplicates(*, party_id: str | None = None, limit: int = 500):
    """The messages flagged as duplicates, newest first (of one party, as sender or receiver, or of all)."""
    query = _messages().filter(duplicate_of__isnull=False)
    if party_id is not None:
        query = query.filter(Q(sender_id=party_id) | Q(receiver_id=party_id))
    return query.order_by("-received_at", "id")[:limit]
