"""The Peppol answers to a message as UBL 2.1 ApplicationResponse documents (应答报文): the Message Level Response
(Peppol BIS MLR 3.0) of the receiving access point, and the buyer's Invoice Response (Peppol BIS Invoice Response
3.1, statuses AB IP UQ CA RE AP PD with OPStatusReason / OPStatusAction clarifications). Pure: plain data in, XML
bytes out, elements in the order of the UBL 2.1 schema.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import yaml
from lxml import etree

from .parse import NS_CAC, NS_CBC
from .semantic import DATA

NS_AR = "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
NSMAP = {None: NS_AR, "cac": NS_CAC, "cbc": NS_CBC}
CAC = f"{{{NS_CAC}}}"
CBC = f"{{{NS_CBC}}}"


@cache
def codes() -> dict:
    return yaml.safe_load((DATA / "peppol-responses.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A party of a response: its electronic address (scheme, value) and registration name."""

    scheme: str
    value: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Clarification:
    """One cac:Status: a code of OPStatusReason or OPStatusAction, an optional text, and optional details
    (the business term to correct and its correct value, e.g. BT-48 → EU12345)."""

    list_id: str
    code: str
    text: str = ""
    conditions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class LineIssue:
    """One cac:LineResponse of an MLR: where (an XPath, or NA), what (English), and BV / BW / SV."""

    line_id: str
    description: str
    reason: str
    code: str | None = None


@dataclass(frozen=True, slots=True)
class Reference:
    """The document responded to: for an Invoice Response the invoice (BT-1, BT-2, BT-3); for an MLR the envelope
    (its InstanceIdentifier) and the type code of what it carried."""

    id: str
    issue_date: str | None = None
    type_code: str | None = None


@dataclass(frozen=True, slots=True)
class Header:
    document_id: str
    issued_at: dt.datetime
    sender: Endpoint
    receiver: Endpoint
    note: str = ""


def _el(parent, tag: str, text: str | None = None, **attrs):
    el = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v})
    if text is not None:
        el.text = text
    return el


def _head(kind: str, header: Header):
    spec = codes()[kind]
    root = etree.Element(f"{{{NS_AR}}}ApplicationResponse", nsmap=NSMAP)
    _el(root, CBC + "CustomizationID", spec["customization_id"])
    _el(root, CBC + "ProfileID", spec["profile_id"])
    _el(root, CBC + "ID", header.document_id)
    issued = header.issued_at  # an aware time in the issuer's zone: the date is that zone's calendar day
    _el(root, CBC + "IssueDate", issued.date().isoformat())
    _el(root, CBC + "IssueTime", issued.strftime("%H:%M:%S") + _offset(issued))
    if header.note:
        _el(root, CBC + "Note", header.note)
    return root


def _offset(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("a response's issue time must carry its time zone")
    offset = moment.strftime("%z")
    return "Z" if offset in ("+0000", "-0000") else f"{offset[:3]}:{offset[3:]}"


def _party(root, tag: str, endpoint: Endpoint, *, legal_name: bool):
    party = _el(root, CAC + tag)
    _el(party, CBC + "EndpointID", endpoint.value, schemeID=endpoint.scheme)
    if legal_name:
        legal = _el(party, CAC + "PartyLegalEntity")
        _el(legal, CBC + "RegistrationName", endpoint.name or endpoint.value)
    return party


def _bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def message_level_response(header: Header, *, code: str, reference: Reference, description: str = "",
                           issues: tuple[LineIssue, ...] = ()) -> bytes:
    """A Peppol MLR: SenderParty = the receiver of the original envelope, ReceiverParty = its sender, the response
    code (AB / AP / RE), why (a rejection must say), the envelope referred to, and one line response per issue."""
    root = _head("message_level_response", header)
    _party(root, "SenderParty", header.sender, legal_name=False)
    _party(root, "ReceiverParty", header.receiver, legal_name=False)
    doc = _el(root, CAC + "DocumentResponse")
    response = _el(doc, CAC + "Response")
    _el(response, CBC + "ResponseCode", code)
    if description:
        _el(response, CBC + "Description", description)
    ref = _el(doc, CAC + "DocumentReference")
    _el(ref, CBC + "ID", reference.id)
    if reference.type_code:
        _el(ref, CBC + "DocumentTypeCode", reference.type_code)
    for issue in issues:
        line = _el(doc, CAC + "LineResponse")
        _el(_el(line, CAC + "LineReference"), CBC + "LineID", issue.line_id or "NA")
        line_response = _el(line, CAC + "Response")
        if issue.code:
            _el(line_response, CBC + "ResponseCode", issue.code)
        _el(line_response, CBC + "Description", issue.description)
        _el(_el(line_response, CAC + "Status"), CBC + "StatusReasonCode", issue.reason)
    return _bytes(root)


def invoice_response(header: Header, *, code: str, reference: Reference, clarifications: tuple[Clarification, ...] = (),
                     effective_date: dt.date | None = None, issuer_name: str = "", recipient_name: str = "") -> bytes:
    """A Peppol Invoice Response: SenderParty = the buyer, ReceiverParty = the seller (each with a registration
    name), the invoice status with its clarifications, the invoice referred to, and the invoice's seller (issuer)
    and buyer (recipient)."""
    root = _head("invoice_response", header)
    _party(root, "SenderParty", header.sender, legal_name=True)
    _party(root, "ReceiverParty", header.receiver, legal_name=True)
    doc = _el(root, CAC + "DocumentResponse")
    response = _el(doc, CAC + "Response")
    _el(response, CBC + "ResponseCode", code)
    if effective_date is not None:
        _el(response, CBC + "EffectiveDate", effective_date.isoformat())
    for c in clarifications:
        status = _el(response, CAC + "Status")
        _el(status, CBC + "StatusReasonCode", c.code, listID=c.list_id)
        if c.text:
            _el(status, CBC + "StatusReason", c.text)
        for attribute, value in c.conditions:
            condition = _el(status, CAC + "Condition")
            _el(condition, CBC + "AttributeID", attribute)
            if value:
                _el(condition, CBC + "Description", value)
    ref = _el(doc, CAC + "DocumentReference")
    _el(ref, CBC + "ID", reference.id)
    if reference.issue_date:
        _el(ref, CBC + "IssueDate", reference.issue_date)
    _el(ref, CBC + "DocumentTypeCode", reference.type_code or "380")
    for tag, name in (("IssuerParty", issuer_name), ("RecipientParty", recipient_name)):
        if name:
            _el(_el(_el(doc, CAC + tag), CAC + "PartyName"), CBC + "Name", name)
    return _bytes(root)
