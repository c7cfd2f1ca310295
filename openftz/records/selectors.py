"""Reads of the transferable-records registry: records, their history, integrity checks and exported copies."""
from __future__ import annotations

import json

from django.conf import settings
from django.db.models import QuerySet

from openftz.core import crypto
from openftz.core.errors import OpenFTZError, NotFound
from openftz.ledger import selectors as ledger
from openftz.ledger.models import Entry
from openftz.parties.models import Party

from . import dcsa
from .models import PintDelivery, PintDocument, Record, RecordEvent
from .rules import PARTY_ID, RECORD_ID, SUBJECT_PREFIX


def records(*, kind: str | None = None, holder: str | None = None) -> QuerySet[Record]:
    qs = Record.objects.select_related("issuer", "holder", "consignee")
    if kind:
        qs = qs.filter(kind=kind)
    if holder:
        qs = qs.filter(holder_id=holder) if PARTY_ID.match(holder) else qs.none()
    return qs


def record_get(record_id: str) -> Record:
    try:
        if not RECORD_ID.match(record_id):
            raise Record.DoesNotExist
        return records().get(pk=record_id)
    except Record.DoesNotExist:
        raise NotFound(f"没有记录 {record_id}", f"no record {record_id}", details={"record": record_id}) from None


def record_events(record: Record) -> QuerySet[RecordEvent]:
    return record.events.select_related("actor", "holder_after").order_by("seq")


def record_as_dict(record: Record, *, with_document: bool = True) -> dict:
    out = {
        "id": record.id, "kind": record.kind, "form": record.form, "status": record.status, "medium": record.medium,
        "issuer": record.issuer_id, "holder": record.holder_id, "consignee": record.consignee_id,
        "pending_surrender": record.pending_surrender or None, "seq": record.seq, "version": record.version,
        "document_hash": record.document_hash, "authoritative": True,
    }
    if with_document:
        out["document"] = json.loads(record.document)
    return out


def batch_results_as_dict(results: list) -> dict:
    """A batch's answer: each instruction's record, or its error in its place."""
    rows = [{"ok": False, "error": r.as_dict()} if isinstance(r, OpenFTZError) else
            {"ok": True, "record": record_as_dict(r, with_document=False)} for r in results]
    accepted = sum(row["ok"] for row in rows)
    return {"accepted": accepted, "refused": len(rows) - accepted, "results": rows}


def event_as_dict(event: RecordEvent) -> dict:
    return {
        "seq": event.seq, "op": event.op, "actor": event.actor_id, "key_id": event.key_id, "at": event.at,
        "place": event.place, "received_at": event.received_at, "holder_after": event.holder_after_id,
        "status_after": event.status_after, "statement": event.statement or None, "ledger_index": event.ledger_index,
        "signature": event.signature, "instruction": json.loads(event.instruction),
    }


def record_verify(record: Record) -> list[str]:
    """Problems with a record's integrity: its content against its hash, and its events against the ledger (MLETR art. 10)."""
    problems = []
    if crypto.digest("sm3", record.document.encode("utf-8")).hex() != record.document_hash:
        problems.append("the stored content does not match its hash")
    entries = {e.index: e for e in Entry.objects.filter(subject=SUBJECT_PREFIX + record.id)}
    events = list(record_events(record))
    if [e.seq for e in events] != list(range(1, record.seq + 1)):
        problems.append("the events are not numbered 1…seq without a gap")
    last_hash = None
    for event in events:
        entry = entries.get(event.ledger_index)
        if entry is None:
            problems.append(f"event {event.seq}: its ledger entry is missing")
            continue
        logged = json.loads(entry.leaf)["event"]
        if logged["instruction"] != event.instruction or logged["signature"] != event.signature or logged["seq"] != event.seq:
            problems.append(f"event {event.seq}: differs from its ledger entry {entry.index}")
        last_hash = logged["document_hash"]
    if last_hash != record.document_hash:
        problems.append("the content hash differs from the last one in the ledger")
    return problems


def record_bundle(record: Record) -> dict:
    """The record's history from the ledger with proofs: a copy, marked as such (MLETR art. 10: singularity)."""
    bundle = ledger.history_bundle(SUBJECT_PREFIX + record.id)
    bundle["record"] = record.id
    return bundle


def record_outbound_envelope(record: Record) -> dict:
    """The PINT envelope with which the record left for another platform, as the ledger holds it."""
    event = record.events.filter(op="transfer_to_platform").order_by("-seq").first()
    if event is None:
        raise NotFound(f"记录 {record.id} 未转出", f"record {record.id} has not been sent to another platform", details={"record": record.id})
    return json.loads(Entry.objects.get(index=event.ledger_index).leaf)["event"]["pint_envelope"]


def delivery_as_dict(delivery: PintDelivery) -> dict:
    return {"record": delivery.record_id, "seq": delivery.seq, "platform": delivery.platform, "sender": delivery.sender_id,
            "status": delivery.status, "attempts": delivery.attempts, "last_error": delivery.last_error,
            "next_attempt_at": delivery.next_attempt_at if delivery.status == "pending" else None,
            "response_code": delivery.response_code or None, "response": delivery.response or None,
            "answered_at": delivery.answered_at}


def record_deliveries(record: Record) -> list[dict]:
    """The record's PINT envelopes sent to other platforms and what became of them, latest first."""
    return [delivery_as_dict(d) for d in record.pint_deliveries.order_by("-seq")]


def record_additional_documents(record: Record) -> list[PintDocument]:
    """The additional documents (supporting documents, the carrier's visualisation) that came with the record by
    DCSA PINT, oldest first, without their content."""
    return list(PintDocument.objects.filter(transfer__record=record, transfer__state="accepted").defer("content")
                .order_by("received_at", "checksum"))


def record_additional_document(record: Record, checksum: str) -> PintDocument:
    found = PintDocument.objects.filter(transfer__record=record, transfer__state="accepted", checksum=checksum).first() \
        if isinstance(checksum, str) and "\x00" not in checksum else None
    if found is None:
        raise NotFound("没有该附加单证", "the record has no additional document with this checksum", details={"checksum": str(checksum)[:64]})
    return found


def record_dcsa_transactions(record: Record) -> dict:
    """The record's endorsement chain in DCSA PINT 3.0.0 ``Transaction`` form (SC-28, SH-43: interoperability)."""
    events = [event_as_dict(e) for e in record_events(record)]
    ids = {e["actor"] for e in events} | {e["holder_after"] for e in events} | {record.issuer_id}
    parties = {p.pk: dcsa.party_facts(p) for p in Party.objects.filter(pk__in=ids)}
    return {"transportDocumentReference": record.id, "transportDocumentChecksum": dcsa.checksum(json.loads(record.document)),
            "transactions": dcsa.transactions(events, parties, settings.PINT_PLATFORM, issuer=record.issuer_id)}

