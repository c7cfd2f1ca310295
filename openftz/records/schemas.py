"""Schemas of the records API."""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class InstructionBody(Schema):
    """The instruction exactly as signed: its RFC 8785 bytes are what ``signature`` signs."""

    model_config = ConfigDict(extra="forbid")
    record: str = Field(..., min_length=1, max_length=64, description="record id (eBL: transportDocumentReference)")
    op: Literal["issue", "transfer", "transfer_to_platform", "endorse", "endorse_to_order", "blank_endorse", "surrender_for_delivery",
                "surrender_for_amendment", "accept_surrender", "reject_surrender", "amend", "to_paper", "to_electronic", "void"]
    seq: int = Field(..., ge=1, le=2**31, description="the record's next sequence number (1 for issue)")
    actor: str = Field(..., max_length=63, description="party id of the signer")
    key_id: str = Field(..., max_length=32, description="id of the signer's registered key")
    at: str = Field(..., max_length=40, description="ISO 8601 time with UTC offset, e.g. 2026-11-22T15:00:00+00:00")
    place: str = Field(..., max_length=5, description="UN/LOCODE, e.g. CNSHA")
    params: dict[str, Any] = Field(..., description="the operation's parameters (to, holder, form, document, statement, reason …)")


class InstructionIn(Schema):
    instruction: InstructionBody
    signature: str = Field(..., max_length=400, description="base64 signature (SM2 with SM3, or Ed25519) over the instruction's RFC 8785 bytes")


class RecordOut(Schema):
    id: str
    kind: str
    form: str
    status: str
    medium: str
    issuer: str
    holder: str
    consignee: str | None
    pending_surrender: str | None
    seq: int
    version: int
    document_hash: str
    authoritative: bool
    document: dict[str, Any] | None = None


class InstructionBatchIn(Schema):
    envelopes: list[InstructionIn] = Field(..., min_length=1, max_length=1000,
                                           description="signed instructions, carried out in this order")


class BatchItemOut(Schema):
    ok: bool
    record: RecordOut | None = None
    error: dict[str, Any] | None = Field(None, description="{code, message_zh, message_en, details} of a refused instruction")


class InstructionBatchOut(Schema):
    accepted: int
    refused: int
    results: list[BatchItemOut]


class RecordList(Schema):
    count: int
    records: list[RecordOut]


class EventOut(Schema):
    seq: int
    op: str
    actor: str
    key_id: str
    at: dt.datetime
    place: str
    received_at: dt.datetime
    holder_after: str
    status_after: str
    statement: str | None
    ledger_index: int
    signature: str
    instruction: dict[str, Any]


class StateMismatchOut(Schema):
    """A stored field that disagrees with the state the record's ledger history implies."""

    field: str
    stored: Any
    ledger: Any
    ledger_index: int | None


class HistoryOut(Schema):
    record: RecordOut
    events: list[EventOut]
    integrity_problems: list[str]
    state_mismatches: list[StateMismatchOut]
