"""API schemas of invoice registration and the single window's exchange."""
from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from ninja import Schema
from pydantic import Field, field_validator

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
PARTY_ID = r"^[a-z0-9][a-z0-9-]{1,62}$"


def xml_text(value: str) -> str:
    """Text that XML can carry: no NUL or other control characters (they would make the response unreadable)."""
    if _CONTROL.search(value):
        raise ValueError("control characters (such as NUL) are not allowed")
    return value


class PartyIdsOut(Schema):
    identifier: dict | None = None
    legal_id: dict | None = None
    vat_id: str | list | None = None
    endpoint: dict | None = None


class RegistrationOut(Schema):
    sha256: str
    sm3: str
    size: int
    kind: str
    number: str | None
    issue_date: str | None
    currency: str | None
    total: str | None
    seller: PartyIdsOut
    buyer: PartyIdsOut
    valid: bool
    ruleset: str
    registered_at: dt.datetime
    ledger_index: int


class EntryOut(Schema):
    index: int
    leaf: str
    leaf_hash: str
    kind: str
    subject: str
    logged_at: dt.datetime


class ReceiptPartOut(Schema):
    format: str
    registration: RegistrationOut
    entry: EntryOut


class ReceiptOut(Schema):
    """A ledger history bundle (``openftz ledger verify-bundle`` checks it offline) with the registration."""

    format: str
    copy_: bool = Field(alias="copy")
    notice_zh: str
    notice_en: str
    subject: str
    tree_head: dict
    public_key: str
    entries: list[dict]
    receipt: ReceiptPartOut


class SendIn(Schema):
    receiver: str | None = Field(None, pattern=PARTY_ID, description="the receiving party's id; by default the party "
                                 "the buyer's electronic address (BT-49) names")


ResponseCode = Literal["AB", "IP", "UQ", "CA", "RE", "AP", "PD"]


class ConditionIn(Schema):
    attribute: str = Field(..., pattern=r"^B[TG]-\d{1,3}(-\d)?$", description="the business term to correct, e.g. BT-48")
    value: str = Field("", max_length=200)

    _text = field_validator("value")(xml_text)


class ClarificationIn(Schema):
    list_id: Literal["OPStatusReason", "OPStatusAction"]
    code: str = Field(..., pattern=r"^[A-Z]{3}$")
    text: str = Field("", max_length=500)
    conditions: list[ConditionIn] = Field(default_factory=list, max_length=10)

    _text = field_validator("text")(xml_text)


class RespondIn(Schema):
    code: ResponseCode
    clarifications: list[ClarificationIn] = Field(default_factory=list, max_length=10)
    note: str = Field("", max_length=1000)

    _text = field_validator("note")(xml_text)


class StatusNameOut(Schema):
    en: str
    zh: str


class ResponseOut(Schema):
    document_id: str
    kind: Literal["mlr", "invoice_response"]
    code: str
    name: StatusNameOut
    clarifications: list[dict]
    note: str | None
    issued_at: dt.datetime
    issued_by: str | None
    xml: str


class MessageOut(Schema):
    id: str
    instance_id: str
    sender: str
    receiver: str
    sender_name: str
    receiver_name: str
    sender_participant: str
    receiver_participant: str
    kind: str
    number: str | None
    issue_date: str | None
    currency: str | None
    total: str | None
    valid: bool
    message_level: Literal["AP", "RE"]
    status: str | None
    status_name: StatusNameOut | None
    received_at: dt.datetime
    duplicate_of: str | None = Field(None, description="the earlier message with the same sender, receiver, invoice "
                                     "number (BT-1) and issue date (BT-2): this one is a duplicate (重复发票)")


class FindingOut(Schema):
    rule: str
    severity: str
    message: str
    path: str
    bt: list[str]
    message_zh: str | None = None


class MessageDetailOut(MessageOut):
    document_type_id: str
    process_id: str
    country_c1: str
    created_at: dt.datetime
    payload_sha256: str
    ruleset: str
    findings: list[FindingOut]
    responses: list[ResponseOut]
