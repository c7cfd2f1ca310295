"""Carrying out signed instructions on transferable records (SC-28, SH-43).

``record_instruct`` is the one use case: check the signature with the actor's registered key, decide with the rules,
append the event to the ledger and store the new state — all in one transaction, so a refused or failed instruction
writes nothing.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import itertools
import json
import logging
import os
import secrets
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from openftz.core import crypto, jsonio
from openftz.core.citations import cites
from openftz.core.errors import InvalidInput, NotFound
from openftz.core.parameters import parameter
from openftz.ledger import selectors as ledger_selectors
from openftz.ledger.models import Entry, LogState
from openftz.ledger.services import LedgerBatch, ledger_batch
from openftz.parties import rules as party_rules
from openftz.parties import selectors as party_selectors
from openftz.parties.models import Party, PartyKey

from openftz.ledger.registry_key import platform_key

from . import dcsa, rules
from .selectors import ledger_history, record_integrity, state_of
from .models import PintDelivery, PintDocument, PintEnvelope, PintTransfer, Record, RecordEvent, RecordVersion

CITES = cites("SC-28", "SH-43", "SH-24")
SUBJECT_PREFIX = rules.SUBJECT_PREFIX
STATE_MISMATCH = "record_state_mismatch"
integrity_log = logging.getLogger("openftz.records.integrity")


def _forbidden(code: str, zh: str, en: str) -> InvalidInput:
    return InvalidInput(zh, en, code=code, status=403)


@dataclass(frozen=True)
class _Signed:
    """An instruction whose signature is checked: its fields, the exact bytes signed, the key that signed them."""

    raw: dict
    signed: bytes
    signature: str
    key: PartyKey


def _key_of(raw: dict, keys: dict[str, PartyKey]) -> PartyKey:
    key = keys.get(raw["key_id"])
    if key is None:
        raise _forbidden("unknown_key", "未登记的密钥", f"key {raw['key_id']} is not registered")
    return key


def _signed(instruction: object, signature: str, keys: dict[str, PartyKey], now: dt.datetime) -> _Signed:
    """Who asks comes first (MLETR art. 11: identification): the fields' types, the key in force, then the signature."""
    raw = rules.instruction_fields(instruction)
    try:
        signed = crypto.canonical_json(raw)
    except crypto.CryptoError as exc:  # e.g. an integer beyond 2**53: no signature can cover it
        raise _forbidden("unsignable_instruction", "指令无法规范化为 JSON,签名无从验证",
                         f"the instruction has no RFC 8785 form, so no signature can cover it: {exc}") from None
    key = _key_of(raw, keys)
    party_rules.key_usable(party_selectors.key_facts(key), party_id=raw["actor"], at=now)
    try:
        signature_bytes = crypto.unb64(signature)
    except crypto.CryptoError:
        raise _forbidden("bad_signature", "签名不是有效的 base64", "the signature is not valid base64") from None
    if not crypto.verify(key.algorithm, key.public_key, signature_bytes, signed):
        raise _forbidden("bad_signature", "签名验证失败", "the signature does not verify with the actor's key")
    return _Signed(raw, signed, signature, key)


def _keys_named(envelopes: Sequence[tuple[object, str]]) -> dict[str, PartyKey]:
    kids = {ins["key_id"] for ins, _ in envelopes
            if isinstance(ins, dict) and isinstance(ins.get("key_id"), str) and party_rules.KEY_ID.match(ins["key_id"])}
    return PartyKey.objects.in_bulk(kids) if kids else {}


_verifiers: ThreadPoolExecutor | None = None


def _check_signatures(envelopes: Sequence[tuple[object, str]], now: dt.datetime,
                      keys: dict[str, PartyKey]) -> list[_Signed | InvalidInput]:
    """Every envelope's signature checked with ``keys`` (read beforehand, in the caller's thread and transaction);
    a batch is spread over the cores (the SM2/Ed25519 code releases the GIL). No database access."""
    global _verifiers

    def check(envelope: tuple[object, str]) -> _Signed | InvalidInput:
        try:
            return _signed(envelope[0], envelope[1], keys, now)
        except InvalidInput as exc:
            return exc

    if len(envelopes) < 8:
        return [check(e) for e in envelopes]
    if _verifiers is None:
        _verifiers = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="openftz-verify")
    return list(_verifiers.map(check, envelopes, chunksize=32))


class _Writes:
    """What a batch of instructions writes, held until one bulk write per table."""

    def __init__(self, ledger: LedgerBatch):
        self.ledger = ledger
        self.new_records: dict[str, Record] = {}
        self.changed_records: dict[str, Record] = {}
        self.versions: list[RecordVersion] = []
        self.events: list[RecordEvent] = []
        self.deliveries: list[PintDelivery] = []

    def flush(self) -> None:
        self.ledger.flush()
        if self.new_records:
            try:
                with transaction.atomic():
                    Record.objects.bulk_create(self.new_records.values())
            except IntegrityError:  # another writer issued one of these ids first: singularity holds
                raise rules.refuse("singularity", "记录已存在", "a record of this id already exists",
                                   code="duplicate_record", mletr="art. 10(1)(b)(i)") from None
        if self.changed_records:
            _update_records(self.changed_records.values())
        RecordVersion.objects.bulk_create(self.versions)
        RecordEvent.objects.bulk_create(self.events)
        PintDelivery.objects.bulk_create(self.deliveries)
        for delivery in self.deliveries:
            transaction.on_commit(partial(_enqueue_delivery, delivery.record_id, delivery.seq))
        self.new_records, self.changed_records, self.versions, self.events, self.deliveries = {}, {}, [], [], []


_RECORD_FIELDS = [Record._meta.get_field(name) for name in (
    "kind", "form", "status", "medium", "issuer", "holder", "consignee", "surrendered_by", "pending_surrender", "restricted",
    "transfers", "seq", "version", "document", "document_hash", "updated_at")]


def _update_records(records: Iterable[Record]) -> None:
    """One prepared UPDATE executed for every changed record (Django's bulk_update builds a CASE expression per
    field and row, which costs more than the rest of a batch together)."""
    connection = transaction.get_connection()
    table, pk = connection.ops.quote_name(Record._meta.db_table), connection.ops.quote_name(Record._meta.pk.column)
    assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in _RECORD_FIELDS)
    rows = [[f.get_db_prep_save(getattr(r, f.attname), connection) for f in _RECORD_FIELDS] + [r.pk] for r in records]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", rows)


def record_instruct(*, instruction: object, signature: str, now: dt.datetime | None = None) -> Record:
    """Carry out one signed instruction (issue, transfer, endorse, surrender, amend, change of medium, void).

    The signature is checked before anything else in the instruction is read: who asks comes first (MLETR art. 11).
    A refused instruction raises its error and writes nothing.
    """
    result = record_instruct_batch(envelopes=[(instruction, signature)], now=now)[0]
    if isinstance(result, InvalidInput):
        raise result
    return result


def record_instruct_batch(*, envelopes: Sequence[tuple[object, str]], now: dt.datetime | None = None) -> list[Record | InvalidInput]:
    """Carry out signed instructions in order, in one transaction under one lock of the ledger (group commit).

    Each instruction is decided on the state its predecessors in the batch left; a refused one gets its error in
    its place and writes nothing, the others go on. All accepted events go to the ledger under ONE signed tree head,
    and each table is written once — so a batch costs about one signature verification per instruction, which a
    registry cannot do without, and little else (SC-28, SH-43).
    """
    now = now or timezone.now()
    return _decide_batch(envelopes, _check_signatures(envelopes, now, _keys_named(envelopes)), now)


def record_instruct_stream(*, envelopes: Iterable[tuple[object, str]], batch_size: int = 250) -> Iterator[Record | InvalidInput]:
    """Sustained input (a file, a queue): batches of ``batch_size`` carried out one after another as by
    ``record_instruct_batch``, while the signatures of the next batch are checked on the other cores."""
    chunks = _chunks(envelopes, batch_size)
    ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="openftz-ahead")

    def submit(chunk: list | None):
        if not chunk:
            return None, None
        now = timezone.now()
        return chunk, ahead.submit(_check_signatures, chunk, now, _keys_named(chunk))

    try:
        chunk, future = submit(next(chunks, None))
        while future is not None:
            checked = future.result()
            following, future_next = submit(next(chunks, None))
            yield from _decide_batch(chunk, checked, timezone.now())
            chunk, future = following, future_next
    finally:
        ahead.shutdown(wait=True, cancel_futures=True)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _decide_batch(envelopes: Sequence[tuple[object, str]], checked: list[_Signed | InvalidInput],
                  now: dt.datetime) -> list[Record | InvalidInput]:
    results: list[Record | InvalidInput] = []
    with transaction.atomic():
        ledger = ledger_batch()
        valid = [c for c in checked if isinstance(c, _Signed)]
        # keys read again under the lock: a revocation that committed meanwhile is honoured
        fresh = PartyKey.objects.in_bulk({c.key.kid for c in valid}) if valid else {}
        parsed: list[rules.Instruction | InvalidInput] = []
        for c in checked:
            parsed.append(c if isinstance(c, InvalidInput) else _parse(c, fresh, now))
        ids = {p.record_id for p in parsed if isinstance(p, rules.Instruction)}
        named = {name for p in parsed if isinstance(p, rules.Instruction) for name in rules.instruction_parties(p)}
        known = set(Party.objects.filter(pk__in=named).values_list("pk", flat=True)) if named else set()
        records = Record.objects.select_for_update().in_bulk(ids) if ids else {}
        tampered = _ledger_disagreements(ids, records, ledger.state)
        writes = _Writes(ledger)
        for c, ins in zip(checked, parsed, strict=True):
            if isinstance(ins, InvalidInput):
                results.append(ins)
                continue
            try:
                if ins.record_id in tampered:
                    raise _refuse_tampered(tampered[ins.record_id], ins)
                results.append(_carry_out(c, ins, records, known, writes, now))
            except InvalidInput as exc:
                results.append(exc)
        writes.flush()
        ledger.close()
    return results


@dataclass(frozen=True)
class _Disagreement:
    """Why a record's stored state cannot be trusted: the fields that differ from its last ledger entry (or what
    is missing), and that entry's index."""

    record_id: str
    fields: tuple[str, ...]
    reason_en: str
    reason_zh: str
    ledger_index: int | None


def _ledger_disagreements(ids: Iterable[str], records: dict[str, Record], log_state: LogState) -> dict[str, _Disagreement]:
    """The records among ``ids`` whose stored row disagrees with the state recorded in their LAST ledger entry, that
    entry proven in the signed log (SC-28, SH-43; MLETR art. 10(2): integrity). The cheap check made before every
    instruction — the full replay of the history is ``selectors.record_verify``. Call it with the rows locked."""
    ids = list(ids)
    latest = ledger_selectors.latest_entries([SUBJECT_PREFIX + i for i in ids], state=log_state)
    found: dict[str, _Disagreement] = {}
    for record_id in ids:
        subject, record = SUBJECT_PREFIX + record_id, records.get(record_id)
        entry = latest.entries.get(subject)
        if subject in latest.unproven:
            found[record_id] = _Disagreement(record_id, ("ledger",), latest.unproven[subject], "其最后一条账本记录无法在已签名的日志中得到证明", None)
        elif entry is None and record is not None:
            found[record_id] = _Disagreement(record_id, ("ledger",), "the ledger holds no entry of this record", "账本中没有该记录的任何条目", None)
        elif entry is not None and record is None:
            found[record_id] = _Disagreement(record_id, ("record",), f"the ledger holds this record (entry {entry.index}) but its stored row is missing",
                                             f"账本中有该记录(第 {entry.index} 条),但存储的记录行缺失", entry.index)
        elif entry is not None:
            fields = rules.disagreements(rules.state_facts(state_of(record), record.document_hash),
                                         rules.entry_facts(json.loads(entry.leaf)["event"]))
            if crypto.digest("sm3", record.document.encode("utf-8")).hex() != record.document_hash:
                fields.append("document")
            if fields:
                found[record_id] = _Disagreement(record_id, tuple(fields), f"{', '.join(fields)} differ from its ledger entry {entry.index}",
                                                 f"{'、'.join(fields)} 与其第 {entry.index} 条账本记录不符", entry.index)
    return found


def _refuse_tampered(d: _Disagreement, ins: rules.Instruction | None = None) -> InvalidInput:
    """The refusal of any instruction on a record whose stored state disagrees with its ledger: nothing is written,
    and the registry operator is told through the integrity log (outside the database a row-writer could reach)."""
    integrity_log.error("record %s: stored state disagrees with the ledger (%s); %s refused", d.record_id, d.reason_en,
                        f"{ins.op} seq {ins.seq} by {ins.actor}" if ins else "the platform's answer")
    return InvalidInput(
        f"记录 {d.record_id} 的存储状态与账本不符:{d.reason_zh}。在登记机构核查并修复之前,该记录不受理任何指令",
        f"the stored state of record {d.record_id} disagrees with its ledger history: {d.reason_en}. No instruction is "
        f"carried out on it until the registry operator has checked and repaired it",
        code=STATE_MISMATCH, status=409,
        details={"record": d.record_id, "fields": list(d.fields), "ledger_index": d.ledger_index, "mletr": "art. 10(2)",
                 "cites": [c.measure for c in CITES]})


@dataclass(frozen=True)
class Restored:
    """What ``record_restore`` changed: each field with the value the row had and the one the ledger implies, and
    the problems the full check still finds afterwards (events that differ from their entries are not rewritten)."""

    record: Record
    fields: list[dict]
    remaining: list[str]


def _ledger_document(record_id: str, document_hash: str) -> str | None:
    """The content whose SM3 hash the ledger holds: from the signed issue or amendment instruction that brought it,
    else from a stored version whose text hashes to it (a record received by DCSA PINT)."""
    for entry in Entry.objects.filter(subject=SUBJECT_PREFIX + record_id, kind__in=("record.issue", "record.amend")).order_by("-index"):
        document = json.loads(json.loads(entry.leaf)["event"]["instruction"])["params"]["document"]
        canonical = crypto.canonical_json(document)
        if crypto.digest("sm3", canonical).hex() == document_hash:
            return canonical.decode("utf-8")
    for version in RecordVersion.objects.filter(record_id=record_id, document_hash=document_hash):
        if crypto.digest("sm3", version.document.encode("utf-8")).hex() == document_hash:
            return version.document
    return None


@transaction.atomic
def record_restore(*, record_id: str) -> Restored:
    """The registry operator's repair of a record whose stored row was changed behind the ledger: the row is set to
    the state the replay of its whole ledger history implies (SC-28, SH-43; MLETR art. 10(2)). The ledger is the
    authority and is not changed; the repair is written to the integrity log. Refused when the ledger history itself
    does not replay cleanly — that needs an investigation, not a repair."""
    ledger_batch()  # the log's lock: no instruction is decided on the record meanwhile
    record = Record.objects.select_for_update().filter(pk=record_id).first() if rules.RECORD_ID.match(record_id) else None
    if record is None:
        raise NotFound(f"没有记录 {record_id}", f"no record {record_id}", details={"record": record_id})
    integrity = record_integrity(record)
    if integrity.replay_problems or integrity.facts is None:
        raise InvalidInput("该记录的账本历史本身无法完整重放,不能据以修复", "the record's ledger history does not replay cleanly, so "
                           "the row cannot be repaired from it: " + "; ".join(integrity.replay_problems or ["no ledger entry"]),
                           code="ledger_history_broken", status=409, details={"record": record_id})
    facts = integrity.facts
    changed = list(integrity.state_mismatches)
    if crypto.digest("sm3", record.document.encode("utf-8")).hex() != facts["document_hash"]:
        document = _ledger_document(record.pk, facts["document_hash"])
        if document is None:
            raise InvalidInput("找不到与账本哈希一致的记录内容", "no content that hashes to the ledger's content hash is held",
                               code="ledger_history_broken", status=409, details={"record": record_id})
        record.document = document
        changed.append({"field": "document", "stored": None, "ledger": facts["document_hash"], "ledger_index": integrity.last_index})
    state = rules.State(record.pk, facts["kind"], facts["form"], facts["status"], facts["medium"], facts["issuer"], facts["holder"],
                        facts["consignee"], facts["restricted"], facts["transfers"], facts["seq"], facts["version"],
                        facts["pending_surrender"], facts["surrendered_by"])
    for name, value in (("kind", state.kind), ("form", state.form), ("status", state.status), ("medium", state.medium),
                        ("issuer_id", state.issuer), ("holder_id", state.holder), ("consignee_id", state.consignee),
                        ("restricted", state.restricted), ("transfers", state.transfers), ("seq", state.seq),
                        ("version", state.version), ("pending_surrender", state.pending_surrender or ""),
                        ("surrendered_by_id", state.surrendered_by), ("document_hash", facts["document_hash"])):
        setattr(record, name, value)
    record.full_clean()
    record.save()
    integrity_log.warning("record %s: row restored from its ledger history by the operator (%s)", record.pk,
                          ", ".join(f"{m['field']}: {m['stored']!r} -> {m['ledger']!r}" for m in changed) or "nothing differed")
    remaining = record_integrity(record).problems
    return Restored(record, changed, remaining)


def _parse(c: _Signed, fresh: dict[str, PartyKey], now: dt.datetime) -> rules.Instruction | InvalidInput:
    try:
        party_rules.key_usable(party_selectors.key_facts(_key_of(c.raw, fresh)), party_id=c.raw["actor"], at=now)
        ins = rules.parse_instruction(c.raw)
        rules.check_time(ins, now=now, max_skew_seconds=parameter("records", "instruction_max_skew_seconds").at(now.date()))
        return ins
    except InvalidInput as exc:
        return exc


def _carry_out(c: _Signed, ins: rules.Instruction, records: dict[str, Record], known: set[str], writes: _Writes,
               now: dt.datetime) -> Record:
    """Decide one instruction and queue its writes; InvalidInput (nothing queued) if it is refused."""
    unknown = set(rules.instruction_parties(ins)) - known
    if unknown:
        raise InvalidInput("指令指向未登记的当事人", f"unknown parties: {sorted(unknown)}", code="unknown_party", status=404,
                           details={"parties": sorted(unknown)})
    record = records.get(ins.record_id)
    before = state_of(record) if record else None
    after = rules.apply(before, ins, paper_to_electronic_allowed=parameter("records", "paper_to_electronic_allowed").at(now.date()))
    document = document_hash = None
    if ins.op in ("issue", "amend"):
        document = ins.params.get("document")
        try:
            canonical = crypto.canonical_json(document)
        except crypto.CryptoError:
            raise InvalidInput("记录内容无法规范化", "the document cannot be canonicalised", details={"field": "params.document"}) from None
        rules.check_document(after.kind, ins.record_id, after.form, document, size=len(canonical),
                             max_bytes=parameter("records", "max_document_bytes").at(now.date()))
        document, document_hash = canonical.decode("utf-8"), crypto.digest("sm3", canonical).hex()
    statement = rules.medium_statement(ins, received_at=now) if ins.op in ("to_paper", "to_electronic") else ""
    event = {
        "record": ins.record_id, "kind": after.kind, "op": ins.op, "seq": ins.seq, "version": after.version,
        "instruction": c.signed.decode("utf-8"), "signature": c.signature, "algorithm": c.key.algorithm,
        "public_key": c.key.public_key,
        "document_hash": document_hash or record.document_hash, "previous_document_hash": record.document_hash if record and document_hash else None,
        "state": rules.ledger_state(after),
        "statement": statement or None,
    }
    if ins.op == "transfer_to_platform":
        writes.flush()  # the envelope is built from the record's stored events
        pending = {"op": ins.op, "actor": ins.actor, "at": ins.at, "holder_after": after.holder, "seq": ins.seq,
                   "statement": None, "instruction": c.raw}
        event["pint_envelope"] = _outbound_envelope(record, pending)
    entry = writes.ledger.add(kind=f"record.{ins.op}", subject=SUBJECT_PREFIX + ins.record_id, event=event)
    record = _queue_record(writes, record, after, document, document_hash, now)
    records[ins.record_id] = record
    writes.events.append(RecordEvent(record=record, seq=ins.seq, op=ins.op, actor_id=ins.actor, key_id=c.key.kid, at=ins.at,
                                     place=ins.place, received_at=now, instruction=event["instruction"], signature=c.signature,
                                     holder_after_id=after.holder, status_after=after.status, statement=statement,
                                     ledger_index=entry.index))
    if ins.op == "transfer_to_platform":
        writes.deliveries.append(PintDelivery(record=record, seq=ins.seq, platform=ins.params["platform"], sender_id=ins.actor,
                                              next_attempt_at=now))
    return record


def _queue_record(writes: _Writes, record: Record | None, s: rules.State, document: str | None, document_hash: str | None,
                  now: dt.datetime) -> Record:
    previous_hash = record.document_hash if record else ""
    fields = dict(kind=s.kind, form=s.form, status=s.status, medium=s.medium, issuer_id=s.issuer, holder_id=s.holder,
                  consignee_id=s.consignee, surrendered_by_id=s.surrendered_by, pending_surrender=s.pending_surrender or "",
                  restricted=s.restricted, transfers=s.transfers, seq=s.seq, version=s.version, updated_at=now)
    if document is not None:
        fields.update(document=document, document_hash=document_hash)
    if record is None:
        record = Record(id=s.record_id, created_at=now, **fields)
        writes.new_records[record.id] = record
    else:
        for name, value in fields.items():
            setattr(record, name, value)
        if record.id not in writes.new_records:
            writes.changed_records[record.id] = record
    if document is not None:
        writes.versions.append(RecordVersion(record=record, version=s.version, document=document, document_hash=document_hash,
                                             previous_hash=previous_hash))
    return record


def _outbound_envelope(record: Record, pending: dict) -> dict:
    """The DCSA PINT envelope that hands the record to another platform: the chain it arrived with (if it came by
    PINT) and one entry of this platform with the transactions done here since, signed with the platform key."""
    events = ledger_history(record.pk)  # what the ledger holds, not the event rows
    previous_chain: list[str] = []
    received = [e for e in events if e["op"] == "pint_receive"]
    if received:
        previous_chain = received[-1]["envelope"]["envelopeTransferChain"]
        events = [e for e in events if e["seq"] > received[-1]["seq"]]
    rows = events + [pending]
    ids = {r["actor"] for r in rows if r["actor"]} | {r["holder_after"] for r in rows} | {record.issuer_id}
    parties = {p.pk: dcsa.party_facts(p) for p in Party.objects.filter(pk__in=ids)}
    key = platform_key()
    chain = dcsa.transactions(rows, parties, settings.PINT_PLATFORM, issuer=record.issuer_id)
    return dcsa.build_envelope(document=json.loads(record.document), previous_chain=previous_chain,
                               transactions=chain, algorithm=key.algorithm,
                               private_pem=key.private_pem, platform=settings.PINT_PLATFORM)


def _platform_keys(at: dt.datetime) -> dict[str, list[tuple[str, str]]]:
    """The keys in force of the eBL platforms in the directory (parties under the DCSA platform scheme)."""
    keys: dict[str, list[tuple[str, str]]] = {}
    for key in PartyKey.objects.filter(party__foreign_scheme=dcsa.PLATFORM_SCHEME, revoked_at__isnull=True,
                                       valid_from__lte=at, valid_until__gt=at).select_related("party"):
        keys.setdefault(key.party.foreign_id, []).append((key.algorithm, key.public_key))
    return keys


def _find_party(dcsa_party: object) -> Party | None:
    for field, value in dcsa.party_lookups(dcsa_party):
        if field.startswith("foreign:"):
            found = Party.objects.filter(foreign_scheme=field.split(":", 1)[1], foreign_id=value).first()
        else:
            found = Party.objects.filter(**{field: value}).first()
        if found:
            return found
    return None


@dataclass(frozen=True)
class PintAnswer:
    """The answer to the sending platform: a JWS-signed EnvelopeTransferFinishedResponse, or — when the envelope
    announces additional documents this platform does not hold yet — the unsigned EnvelopeTransferStartedResponse
    (``started``, HTTP 201) that asks for them."""

    verdict: dcsa.Verdict
    signed_response: str
    record: Record | None
    started: dict | None = None

    @property
    def status(self) -> int:
        """The HTTP status DCSA prescribes for the answer."""
        if self.started is not None:
            return 201
        return {"RECE": 200, "DUPE": 200, "INCD": 409, "MDOC": 409, "DISE": 409}.get(self.verdict.code, 422)


def _answer(verdict: dcsa.Verdict, record: Record | None = None, duplicate_of: str | None = None, *,
            missing: Sequence[str] = ()) -> PintAnswer:
    key = platform_key()
    return PintAnswer(verdict, dcsa.jws_sign(key.algorithm, key.private_pem, verdict.response(duplicate_of, missing=missing)), record)


def _reject(verdict: dcsa.Verdict, reason: str) -> PintAnswer:
    verdict.code, verdict.reason = "BENV", reason
    return _answer(verdict)


def _verify(envelope: object, now: dt.datetime) -> tuple[dcsa.Verdict, dict[str, PintEnvelope]]:
    """The envelope checked with the platforms' keys in force now, and the accepted envelope it repeats, if any."""
    chain = envelope.get("envelopeTransferChain") if isinstance(envelope, dict) else None
    accepted = PintEnvelope.objects.filter(pk=dcsa.token_checksum(chain[-1])) \
        if isinstance(chain, list) and chain and isinstance(chain[-1], str) and chain[-1].isascii() else PintEnvelope.objects.none()
    seen = {e.last_checksum: e for e in accepted}
    verdict = dcsa.verify_envelope(envelope, platform_keys=_platform_keys(now), accepted=seen, receiving_platform=settings.PINT_PLATFORM)
    return verdict, seen


@dataclass(frozen=True)
class _Admission:
    """What taking a received record in needs, found before anything is written."""

    record_id: str
    holder: Party
    issuer: Party
    sender: Party
    form: str
    canonical: bytes
    stored_envelope: str


def _admission(envelope: dict, verdict: dcsa.Verdict, now: dt.datetime) -> _Admission | str:
    """The parties and the checked document of a received record; or why this platform cannot take it in (BENV)."""
    document = envelope["transportDocument"]
    record_id = document.get("transportDocumentReference")
    if not isinstance(record_id, str) or not rules.RECORD_ID.match(record_id):
        return "transportDocumentReference is missing or not a usable record id"
    if Record.objects.filter(pk=record_id).exists() or Entry.objects.filter(subject=SUBJECT_PREFIX + record_id).exists():
        return f"an authoritative record {record_id} is already held on this platform"
    holder = _find_party(verdict.transactions[-1]["recipient"])
    issuer = _find_party(dcsa.issuing_party(document))
    sender = Party.objects.filter(foreign_scheme=dcsa.PLATFORM_SCHEME, foreign_id=verdict.sender).first()
    if holder is None or issuer is None or sender is None:
        return "the recipient or the issuing carrier is not in this platform's directory"
    form = dcsa.record_form(document)
    canonical = crypto.canonical_json(document)
    try:
        stored_envelope = crypto.canonical_json(envelope).decode("utf-8")
    except crypto.CryptoError:
        return "the envelope has no RFC 8785 form"
    try:
        rules.check_document("ebl", record_id, form, document, size=len(canonical),
                             max_bytes=parameter("records", "max_document_bytes").at(now.date()))
    except InvalidInput as exc:
        return exc.message_en
    return _Admission(record_id, holder, issuer, sender, form, canonical, stored_envelope)


def _take_in(envelope: dict, verdict: dcsa.Verdict, a: _Admission, now: dt.datetime) -> Record:
    """The received record written with the recipient in control: its first event on the ledger, naming the
    additional documents that came with it by their SHA-256 checksums."""
    state = rules.State(a.record_id, "ebl", a.form, "active", "electronic", a.issuer.pk, a.holder.pk,
                        a.holder.pk if a.form == "straight" else None, False, 0, 1, 1)
    summary = {"transportDocumentChecksum": verdict.document_checksum, "lastEnvelopeTransferChainEntrySignedContentChecksum": verdict.last_checksum,
               "sender": verdict.sender, "transactions": verdict.transactions}
    if verdict.documents:
        summary["additionalDocumentChecksums"] = sorted(verdict.documents)
    event = {
        "record": a.record_id, "kind": "ebl", "op": "pint_receive", "seq": 1, "version": 1,
        "instruction": crypto.canonical_json(summary).decode("utf-8"), "signature": envelope["envelopeTransferChain"][-1],
        "envelope": {"envelopeManifestSignedContent": envelope["envelopeManifestSignedContent"],
                     "envelopeTransferChain": envelope["envelopeTransferChain"]},
        "document_hash": crypto.digest("sm3", a.canonical).hex(), "previous_document_hash": None,
        "state": rules.ledger_state(state), "statement": None,
    }
    ledger = ledger_batch()
    entry = ledger.add(kind="record.pint_receive", subject=SUBJECT_PREFIX + a.record_id, event=event)
    writes = _Writes(ledger)
    record = _queue_record(writes, None, state, a.canonical.decode("utf-8"), event["document_hash"], now)
    at = dcsa.transaction_time(verdict.transactions[-1]) or now
    writes.events.append(RecordEvent(record=record, seq=1, op="pint_receive", actor=a.sender,
                                     key_id=crypto.key_id(verdict.sender_key), at=at, place="", received_at=now,
                                     instruction=event["instruction"], signature=event["signature"], holder_after=a.holder,
                                     status_after="active", ledger_index=entry.index))
    writes.flush()
    ledger.close()
    PintEnvelope.objects.create(last_checksum=verdict.last_checksum, last_entry=envelope["envelopeTransferChain"][-1], record=record,
                                sender_platform=verdict.sender, envelope=a.stored_envelope, received_at=now)
    return record


def _documents_held(checksums: Iterable[str]) -> dict[str, PintDocument]:
    """Additional documents this platform already holds from accepted transfers, by checksum."""
    return {d.checksum: d for d in PintDocument.objects.filter(checksum__in=list(checksums), transfer__state="accepted")}


@transaction.atomic
def pint_receive(*, envelope: object, now: dt.datetime | None = None) -> PintAnswer:
    """Receive a DCSA PINT envelope (``POST /v3/envelopes``): verify it, and on RECE take the record into this registry
    with the recipient in control, all in one transaction. When the manifest announces additional documents this
    platform does not hold yet, the transfer is only started: the answer (201) asks for them, and the record is
    taken in when the sender finishes the transfer with all of them. Every final answer is a JWS signed with the
    registry's platform key (SC-28, SH-43)."""
    now = now or timezone.now()
    verdict, seen = _verify(envelope, now)
    if verdict.code == "DUPE":
        first = seen[verdict.last_checksum]
        return _answer(verdict, first.record, first.last_entry)
    if verdict.code != "RECE":
        return _answer(verdict)
    admission = _admission(envelope, verdict, now)
    if isinstance(admission, str):
        return _reject(verdict, admission)
    held = _documents_held(verdict.documents)
    missing = sorted(set(verdict.documents) - set(held))
    transfer = PintTransfer(reference=secrets.token_urlsafe(30), last_checksum=verdict.last_checksum, sender_platform=verdict.sender,
                            envelope=admission.stored_envelope, documents=verdict.documents, started_at=now)
    if missing:  # a new start of the same envelope is a retry: the earlier transfer is replaced
        PintTransfer.objects.filter(last_checksum=verdict.last_checksum, state="active").update(state="superseded", finished_at=now)
        _discard_stale_transfers(now)
        transfer.save()
        _copy_held(transfer, held, now)
        return PintAnswer(verdict, "", None, started={
            "envelopeReference": transfer.reference, "transportDocumentChecksum": verdict.document_checksum,
            "lastEnvelopeTransferChainEntrySignedContentChecksum": verdict.last_checksum, "missingAdditionalDocumentChecksums": missing})
    record = _take_in(envelope, verdict, admission, now)
    if verdict.documents:  # every document announced is held already (from an earlier transfer of this eBL)
        transfer.state, transfer.finished_at, transfer.record = "accepted", now, record
        transfer.save()
        _copy_held(transfer, held, now)
    return _answer(verdict, record)


def _copy_held(transfer: PintTransfer, held: dict[str, PintDocument], now: dt.datetime) -> None:
    """The documents already held count as received with this transfer (under the names its manifest gives them)."""
    PintDocument.objects.bulk_create([
        PintDocument(transfer=transfer, checksum=c, name=transfer.documents[c]["name"], media_type=transfer.documents[c]["mediaType"],
                     size=held[c].size, content=held[c].content, received_at=now) for c in sorted(held)])


def _open_since(now: dt.datetime) -> dt.datetime:
    """Transfers started before this have expired."""
    return now - dt.timedelta(hours=parameter("records", "pint_transfer_open_hours").at(now.date()))


def _discard_stale_transfers(now: dt.datetime) -> None:
    """Open transfers past their time are expired; the documents sent for transfers that were never accepted go."""
    PintTransfer.objects.filter(state="active", started_at__lt=_open_since(now)).update(state="expired", finished_at=now)
    PintDocument.objects.filter(transfer__state__in=PintTransfer.ENDED).delete()


def _active_transfer(reference: str, now: dt.datetime) -> PintTransfer:
    usable = isinstance(reference, str) and 0 < len(reference) <= 40 and "\x00" not in reference
    transfer = PintTransfer.objects.select_for_update().filter(pk=reference).first() if usable else None
    expired = transfer is not None and transfer.state == "active" and transfer.started_at < _open_since(now)
    if transfer is None or expired or transfer.state in PintTransfer.ENDED:
        raise NotFound("没有进行中的该信封转让", f"no envelope transfer {str(reference)[:40]} is in progress here",
                       details={"envelopeReference": str(reference)[:40]})
    return transfer


@transaction.atomic
def pint_document_receive(*, reference: str, checksum: str, content: object, now: dt.datetime | None = None) -> PintAnswer | None:
    """One additional document of a started transfer (``PUT /v3/envelopes/{ref}/additional-documents/{checksum}``):
    None when it is the document the signed manifest announced under that SHA-256 checksum and size (204); otherwise a
    signed INCD (409), which does not end the transfer. ``content`` is the base64 string DCSA sends."""
    now = now or timezone.now()
    transfer = _active_transfer(reference, now)
    if transfer.state == "accepted":
        raise NotFound("该信封转让已完成", f"the envelope transfer {reference[:40]} is finished", details={"envelopeReference": reference[:40]})
    verdict = dcsa.Verdict("INCD", last_checksum=transfer.last_checksum)
    expected = transfer.documents.get(checksum) if isinstance(checksum, str) else None
    if expected is None:
        verdict.reason = "the envelope manifest announces no additional document with this checksum"
        return _answer(verdict)
    try:
        data = base64.b64decode(content, validate=True) if isinstance(content, str) else None
    except (binascii.Error, ValueError):
        data = None
    if data is None:
        verdict.reason = "the body must be the document as a base64 string"
        return _answer(verdict)
    problem = dcsa.document_problem(expected, checksum, data)
    if problem:
        verdict.reason = problem
        return _answer(verdict)
    PintDocument.objects.get_or_create(transfer=transfer, checksum=checksum, defaults={
        "name": expected["name"], "media_type": expected["mediaType"], "size": len(data), "content": data, "received_at": now})
    return None


@transaction.atomic
def pint_finish(*, reference: str, now: dt.datetime | None = None) -> PintAnswer:
    """Finish a started transfer (``PUT /v3/envelopes/{ref}/finish-transfer``): MDOC (409) with the checksums still
    missing; else the envelope is checked again with the keys in force now and, on RECE, the record taken in —
    DUPE for a transfer finished before. The answer is signed (SC-28, SH-43)."""
    now = now or timezone.now()
    transfer = _active_transfer(reference, now)
    envelope = json.loads(transfer.envelope)
    if transfer.state == "accepted":
        verdict = dcsa.Verdict("DUPE", reason="this envelope transfer was accepted before", last_checksum=transfer.last_checksum,
                               documents=transfer.documents)
        return _answer(verdict, transfer.record, envelope["envelopeTransferChain"][-1])
    received = set(transfer.received_documents.values_list("checksum", flat=True))
    missing = sorted(set(transfer.documents) - received)
    verdict, seen = _verify(envelope, now)
    if verdict.code == "DUPE":
        first = seen[verdict.last_checksum]
        return _answer(verdict, first.record, first.last_entry)
    if verdict.code == "RECE" and missing:
        verdict.code, verdict.reason = "MDOC", "additional documents announced in the manifest have not been transferred"
        return _answer(verdict, missing=missing)
    admission = _admission(envelope, verdict, now) if verdict.code == "RECE" else None
    if verdict.code != "RECE" or isinstance(admission, str):
        transfer.state, transfer.finished_at = "rejected", now
        transfer.save(update_fields=["state", "finished_at"])
        return _reject(verdict, admission) if isinstance(admission, str) else _answer(verdict)
    record = _take_in(envelope, verdict, admission, now)
    transfer.state, transfer.finished_at, transfer.record = "accepted", now, record
    transfer.save(update_fields=["state", "finished_at", "record"])
    return _answer(verdict, record)


def pint_receiver(*, code: object) -> Party:
    """The party of this platform a DCSA ``IdentifyingCode`` names (``POST /v3/receiver-validation``), for the sending
    user to confirm before transferring; NotFound when there is none."""
    party = _find_party({"identifyingCodes": [code]})
    if party is None:
        raise NotFound("本平台没有该当事人", "no party of this platform has this identifying code")
    return party


# --- sending the envelope: DCSA PINT 3.0 POST <endpoint>/v3/envelopes, and acting on the signed answer ----------


def _enqueue_delivery(record_id: str, seq: int) -> None:
    from .tasks import pint_deliver

    pint_deliver.enqueue(record_id, seq)


@dataclass(frozen=True)
class _Answer:
    code: str
    token: str
    key_id: str


def _receiving_platform(code: str) -> Party | None:
    return Party.objects.filter(foreign_scheme=dcsa.PLATFORM_SCHEME, foreign_id=code).first()


def _post(endpoint: str, envelope: dict, *, last_entry: str, keys: list[tuple[str, str]], timeout: int) -> _Answer:
    """Send the envelope and read the platform's answer: a JWS (the JSON string DCSA prescribes, or bare) signed by one
    of ``keys`` about this very envelope. ValueError for anything less — a failed attempt, to be tried again."""
    try:
        reply = requests.post(endpoint.rstrip("/") + "/v3/envelopes", data=crypto.canonical_json(envelope), timeout=timeout,
                              headers={"Content-Type": "application/json", "Accept": "application/json"})
    except requests.RequestException as exc:
        raise ValueError(f"no answer from {endpoint}: {type(exc).__name__}") from None
    if reply.status_code == 201:  # the transfer is started (PINT 3.0): this registry sends no additional documents
        reply = _finish_started(endpoint, reply, timeout=timeout)
    body = reply.text.strip()
    try:
        token = jsonio.loads(body) if body.startswith('"') else body
    except ValueError:
        token = ""
    if not isinstance(token, str) or not dcsa.JWS_COMPACT.match(token):
        raise ValueError(f"HTTP {reply.status_code}: the answer is not a signed response")
    verified = dcsa.verified_payload(token, keys)
    if verified is None:
        raise ValueError(f"HTTP {reply.status_code}: the answer is not signed by the receiving platform")
    payload, pem = verified
    if not isinstance(payload, dict) or payload.get("lastEnvelopeTransferChainEntrySignedContentChecksum") != dcsa.token_checksum(last_entry):
        raise ValueError("the answer is about another envelope")
    code = payload.get("responseCode")
    if code not in rules.PINT_ACCEPTED + rules.PINT_REJECTED:
        raise ValueError(f"the answer's response code {str(code)[:8]!r} is not RECE, DUPE, BSIG or BENV")
    return _Answer(code, token, crypto.key_id(pem))


def _finish_started(endpoint: str, reply: requests.Response, *, timeout: int) -> requests.Response:
    """Finish a transfer the receiving platform started (``201 EnvelopeTransferStartedResponse``): the envelopes of
    this registry announce no additional documents, so none can be missing."""
    try:
        started = reply.json()
    except ValueError:
        started = None
    reference = started.get("envelopeReference") if isinstance(started, dict) else None
    if not isinstance(reference, str) or not reference or "/" in reference:
        raise ValueError("HTTP 201: the answer names no envelope transfer")
    if started.get("missingAdditionalDocumentChecksums"):
        raise ValueError("HTTP 201: the receiving platform asks for additional documents the envelope does not announce")
    try:
        return requests.put(f"{endpoint.rstrip('/')}/v3/envelopes/{reference}/finish-transfer", timeout=timeout,
                            headers={"Accept": "application/json"})
    except requests.RequestException as exc:
        raise ValueError(f"no answer from {endpoint} to finish the transfer: {type(exc).__name__}") from None


def record_pint_deliver(*, record_id: str, seq: int | None = None, now: dt.datetime | None = None) -> PintDelivery:
    """One attempt to send a record's PINT envelope to the receiving platform, and the answer acted upon (SC-28, SH-43).

    RECE/DUPE: the record here becomes ``exported``; BSIG/BENV: control returns to the sender; no usable answer: the
    attempt is counted and the next one scheduled (``pint_delivery_retry_minutes``), after the last one control returns.
    Each outcome is an event on the ledger, signed by the platform that answered (or, when none did, by this one).
    """
    now = now or timezone.now()
    deliveries = PintDelivery.objects.filter(record_id=record_id, status="pending")
    delivery = (deliveries.filter(seq=seq) if seq is not None else deliveries.order_by("-seq")).first()
    if delivery is None:
        raise InvalidInput("没有待发送的 PINT 信封", f"record {record_id} has no PINT envelope waiting to be sent",
                           code="not_in_transit", status=404, details={"record": record_id})
    platform = _receiving_platform(delivery.platform)
    envelope = json.loads(Entry.objects.get(index=RecordEvent.objects.get(record_id=record_id, seq=delivery.seq).ledger_index).leaf)["event"]["pint_envelope"]
    try:
        if platform is None or not platform.pint_endpoint:
            raise ValueError(f"platform {delivery.platform} has no PINT endpoint in the directory")
        keys = [(k.algorithm, k.public_key) for k in platform.keys.filter(revoked_at__isnull=True, valid_from__lte=now, valid_until__gt=now)]
        answer = _post(platform.pint_endpoint, envelope, last_entry=envelope["envelopeTransferChain"][-1], keys=keys,
                       timeout=parameter("records", "pint_delivery_timeout_seconds").at(now.date()))
    except ValueError as exc:
        return _delivery_failed(delivery, str(exc), now)
    return _delivery_answered(delivery, platform, answer, now)


def _delivery_failed(delivery: PintDelivery, error: str, now: dt.datetime) -> PintDelivery:
    with transaction.atomic():
        delivery = PintDelivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.status != "pending":
            return delivery
        delivery.attempts += 1
        delivery.last_error = error[:500]
        retry = rules.pint_next_attempt(delivery.attempts, now=now,
                                        retry_minutes=parameter("records", "pint_delivery_retry_minutes").at(now.date()))
        if retry is not None:
            delivery.next_attempt_at = retry
            delivery.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            return delivery
        key = platform_key()
        statement = {"record": delivery.record_id, "transfer_seq": delivery.seq, "platform": delivery.platform,
                     "attempts": delivery.attempts, "last_error": delivery.last_error}
        _outcome(delivery, code=None, actor_id=delivery.sender_id, key_id=key.kid, payload=statement,
                 token=dcsa.jws_sign(key.algorithm, key.private_pem, statement), now=now)
        return delivery


def _delivery_answered(delivery: PintDelivery, platform: Party, answer: _Answer, now: dt.datetime) -> PintDelivery:
    with transaction.atomic():
        delivery = PintDelivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.status != "pending":
            return delivery
        delivery.attempts += 1
        payload = {"record": delivery.record_id, "transfer_seq": delivery.seq, "platform": delivery.platform,
                   "responseCode": answer.code, "response": answer.token}
        _outcome(delivery, code=answer.code, actor_id=platform.pk, key_id=answer.key_id, payload=payload, token=answer.token, now=now)
        return delivery


def _outcome(delivery: PintDelivery, *, code: str | None, actor_id: str, key_id: str, payload: dict, token: str,
             now: dt.datetime) -> None:
    """Carry out the answer (or its absence) on the record, on the ledger and in the delivery row, in the caller's
    transaction."""
    ledger = ledger_batch()
    record = Record.objects.select_for_update().get(pk=delivery.record_id)
    tampered = _ledger_disagreements([record.pk], {record.pk: record}, ledger.state)
    if tampered:  # the delivery stays pending, and nothing is written, until the operator has repaired the record
        raise _refuse_tampered(tampered[record.pk])
    after = rules.pint_outcome(state_of(record), code=code, sender=delivery.sender_id)
    op = "pint_accepted" if code in rules.PINT_ACCEPTED else "pint_rejected" if code else "pint_undeliverable"
    instruction = crypto.canonical_json(payload).decode("utf-8")
    event = {"record": record.pk, "kind": record.kind, "op": op, "seq": after.seq, "version": after.version,
             "instruction": instruction, "signature": token, "document_hash": record.document_hash, "previous_document_hash": None,
             "state": rules.ledger_state(after), "statement": None}
    entry = ledger.add(kind=f"record.{op}", subject=SUBJECT_PREFIX + record.pk, event=event)
    writes = _Writes(ledger)
    _queue_record(writes, record, after, None, None, now)
    writes.events.append(RecordEvent(record=record, seq=after.seq, op=op, actor_id=actor_id, key_id=key_id, at=now, place="",
                                     received_at=now, instruction=instruction, signature=token, holder_after_id=after.holder,
                                     status_after=after.status, ledger_index=entry.index))
    writes.flush()
    ledger.close()
    delivery.status = {"pint_accepted": "accepted", "pint_rejected": "rejected"}.get(op, "undeliverable")
    delivery.response_code, delivery.response, delivery.answered_at = code or "", token if code else "", now
    delivery.save()
