"""Reads of the transferable-records registry: records, their history, integrity checks and exported copies."""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet

from openftz.core import crypto
from openftz.core.errors import OpenFTZError, NotFound
from openftz.ledger import selectors as ledger
from openftz.ledger.models import Entry
from openftz.parties.models import Party

from . import dcsa, rules
from .models import PintDelivery, PintDocument, Record, RecordEvent
from .rules import PARTY_ID, RECORD_ID, SUBJECT_PREFIX


def state_of(record: Record) -> rules.State:
    """A stored record as the rules see it."""
    return rules.State(record.id, record.kind, record.form, record.status, record.medium, record.issuer_id, record.holder_id,
                       record.consignee_id, record.restricted, record.transfers, record.seq, record.version,
                       record.pending_surrender or None, record.surrendered_by_id)


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


@dataclass
class Integrity:
    """What the integrity check of one record found: every problem in plain words, and the stored fields that
    disagree with the state its ledger history implies, each with both values (MLETR art. 10(2))."""

    record_id: str
    problems: list[str] = field(default_factory=list)
    state_mismatches: list[dict] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)
    facts: dict | None = None  # the state the ledger history implies
    last_index: int | None = None
    replay_problems: list[str] = field(default_factory=list)  # of the ledger history itself

    @property
    def ok(self) -> bool:
        return not self.problems


_EVENT_FIELDS = ("record_id", "seq", "op", "ledger_index", "instruction", "signature", "holder_after_id", "status_after")


def _integrity(record: Record | None, record_id: str, entries: list, events: list) -> Integrity:
    """One record's row, content and events against its ledger entries (rows with ``index`` and ``leaf``), the state
    replayed from them; ``events``: rows of ``_EVENT_FIELDS``. The caller reads everything."""
    report = Integrity(record_id)
    if record is None:
        report.problems.append(f"the ledger holds {len(entries)} entries of it but its stored row is missing")
        report.state_mismatches.append({"field": "record", "stored": None, "ledger": "present", "ledger_index": entries[-1].index})
        return report
    if crypto.digest("sm3", record.document.encode("utf-8")).hex() != record.document_hash:
        report.problems.append("the stored content does not match its hash")
    logged = [(e.index, json.loads(e.leaf)["event"]) for e in entries]
    stored = rules.state_facts(state_of(record), record.document_hash)
    replayed = rules.replay(record.id, logged, assume=stored)
    report.problems.extend(replayed.problems)
    report.assumed, report.facts, report.last_index = replayed.assumed, replayed.facts, replayed.last_index
    report.replay_problems = replayed.problems
    if replayed.facts is None:
        report.problems.append("the ledger holds no entry of it")
    else:
        for name in rules.disagreements(stored, replayed.facts):
            report.state_mismatches.append({"field": name, "stored": stored[name], "ledger": replayed.facts[name],
                                            "ledger_index": replayed.last_index})
            report.problems.append(f"stored {name} is {stored[name]!r} but its ledger history "
                                   f"(to entry {replayed.last_index}) says {replayed.facts[name]!r}")
    by_index = dict(logged)
    if [e.seq for e in events] != list(range(1, record.seq + 1)):
        problems_seq = "the events are not numbered 1…seq without a gap"
        report.problems.append(problems_seq)
    for event in events:
        logged_event = by_index.get(event.ledger_index)
        if logged_event is None:
            report.problems.append(f"event {event.seq}: its ledger entry is missing")
            continue
        recorded = rules.entry_facts(logged_event)
        if (logged_event["instruction"] != event.instruction or logged_event["signature"] != event.signature
                or logged_event["seq"] != event.seq or logged_event["op"] != event.op
                or recorded.get("holder", event.holder_after_id) != event.holder_after_id
                or recorded.get("status", event.status_after) != event.status_after):
            report.problems.append(f"event {event.seq}: differs from its ledger entry {event.ledger_index}")
    if logged and logged[-1][1].get("document_hash") != record.document_hash and not any(
            m["field"] == "document_hash" for m in report.state_mismatches):
        report.problems.append("the content hash differs from the last one in the ledger")
    return report


def record_integrity(record: Record) -> Integrity:
    """A record checked in full: its content against its hash, its state against the replay of its whole ledger
    history, and its events against their ledger entries (SC-28, SH-43; MLETR art. 10)."""
    entries = list(Entry.objects.filter(subject=SUBJECT_PREFIX + record.id).order_by("index").values_list("index", "leaf", named=True))
    events = list(record.events.order_by("seq").values_list(*_EVENT_FIELDS, named=True))
    return _integrity(record, record.id, entries, events)


def record_verify(record: Record) -> list[str]:
    """Problems with a record's integrity, in plain words (empty when it holds)."""
    return record_integrity(record).problems


def records_verify(*, chunk: int = 500) -> Iterator[Integrity]:
    """Every record of the registry checked as by ``record_integrity``, the records with a problem yielded: those
    with ledger entries by streaming the log's record entries subject by subject, then the rows with none."""
    seen: set[str] = set()

    def check(group: list[tuple[str, list]]) -> Iterator[Integrity]:
        ids = [subject[len(SUBJECT_PREFIX):] for subject, _ in group]
        rows = Record.objects.in_bulk(ids)
        events: dict[str, list] = {}
        for event in RecordEvent.objects.filter(record_id__in=ids).order_by("record_id", "seq").values_list(*_EVENT_FIELDS, named=True):
            events.setdefault(event.record_id, []).append(event)
        for record_id, (_, entries) in zip(ids, group, strict=True):
            seen.add(record_id)
            report = _integrity(rows.get(record_id), record_id, entries, events.get(record_id, []))
            if not report.ok:
                yield report

    group: list[tuple[str, list]] = []
    for entry in (Entry.objects.filter(subject__startswith=SUBJECT_PREFIX).order_by("subject", "index")
                  .values_list("index", "leaf", "subject", named=True).iterator(chunk_size=2000)):
        if group and group[-1][0] == entry.subject:
            group[-1][1].append(entry)
            continue
        if len(group) >= chunk:
            yield from check(group)
            group = []
        group.append((entry.subject, [entry]))
    yield from check(group)
    for record_id in Record.objects.values_list("pk", flat=True).iterator(chunk_size=2000):
        if record_id not in seen:
            yield Integrity(record_id, ["the ledger holds no entry of it"],
                            [{"field": "ledger", "stored": "present", "ledger": None, "ledger_index": None}])


def records_verify_problems() -> Iterator[str]:
    """Every problem of every record, each naming its record: the check ``openftz ledger verify`` runs for the
    subjects ``record:…`` (registered in ``RecordsConfig.ready``)."""
    for report in records_verify():
        for problem in report.problems:
            yield f"record {report.record_id}: {problem}"


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


def ledger_history(record_id: str) -> list[dict]:
    """The record's events as its ledger entries hold them — not as the event rows say — in the form
    ``dcsa.transactions`` reads: who gave each signed instruction and when come from the instruction itself, the
    holder after it from the state the entry records. What this registry signs for another platform (a PINT envelope)
    is built from these (SC-28, SH-43; MLETR art. 10(2)). A DCSA PINT event has no actor here (its transactions are
    those of the envelope)."""
    import datetime as dt

    rows = []
    for leaf in Entry.objects.filter(subject=SUBJECT_PREFIX + record_id).order_by("index").values_list("leaf", flat=True):
        event = json.loads(leaf)["event"]
        instruction = json.loads(event["instruction"])
        signed = event["op"] in rules.OPERATIONS
        rows.append({"op": event["op"], "seq": event["seq"], "actor": instruction["actor"] if signed else None,
                     "at": dt.datetime.fromisoformat(instruction["at"]) if signed else None,
                     "holder_after": event["state"]["holder"], "statement": event.get("statement"),
                     "instruction": instruction, "envelope": event.get("envelope")})
    return rows


def record_dcsa_transactions(record: Record) -> dict:
    """The record's endorsement chain in DCSA PINT 3.0.0 ``Transaction`` form (SC-28, SH-43: interoperability), from
    its ledger entries."""
    events = ledger_history(record.id)
    ids = {e["actor"] for e in events if e["actor"]} | {e["holder_after"] for e in events} | {record.issuer_id}
    parties = {p.pk: dcsa.party_facts(p) for p in Party.objects.filter(pk__in=ids)}
    return {"transportDocumentReference": record.id, "transportDocumentChecksum": dcsa.checksum(json.loads(record.document)),
            "transactions": dcsa.transactions(events, parties, settings.PINT_PLATFORM, issuer=record.issuer_id)}

