"""The Peppol Business Message Envelope (SBDH 2.0): build one around an invoice, and open one safely (报文信封).

The envelope is UN/CEFACT's StandardBusinessDocument as the Peppol Business Message Envelope specification 2.0
profiles it: one Sender and one Receiver participant identifier under ``iso6523-actorid-upis``; the document
identification (Standard = the payload's namespace, TypeVersion 2.1, a unique InstanceIdentifier, Type = its root
name, CreationDateAndTime with a time zone); the business scopes DOCUMENTID, PROCESSID and COUNTRY_C1, each once;
and exactly one business document. Opening parses with the project's hardened parser (no DTD, no entities, no
network) and refuses anything else with a clear error and nothing written (SC-19, SH-31/32: the single window).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lxml import etree

from openftz.core.citations import cites
from openftz.core.errors import InvalidInput

from .parse import NS_CBC, NS_CREDITNOTE, NS_INVOICE, parse_xml
from .participants import AUTHORITY, split

CITES = cites("SC-19", "SH-31", "SH-32", "SH-44")
NS = "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
NS_ENVELOPE_PAYLOAD = "http://peppol.eu/xsd/ticc/envelope/1.0"  # BinaryContent / TextContent (non-XML payloads)
DOCUMENT_SCHEMES = ("busdox-docid-qns", "peppol-doctype-wildcard")
PROCESS_SCHEME = "cenbii-procid-ubl"
RESERVED_SCOPES = ("DOCUMENTID", "PROCESSID", "COUNTRY_C1")
PAYLOADS = {(NS_INVOICE, "Invoice"), (NS_CREDITNOTE, "CreditNote")}
UBL_VERSION = "2.1"
_COUNTRY = re.compile(r"^[A-Z0-9][A-Z0-9]$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


class EnvelopeError(InvalidInput):
    """The envelope breaks the Peppol envelope specification; ``check`` names what was wrong."""

    code = "bad_envelope"

    def __init__(self, check: str, message_zh: str, message_en: str):
        super().__init__(message_zh, message_en, details={"check": check})
        self.check = check


@dataclass(frozen=True, slots=True)
class Envelope:
    sender: str  # participant identifier, e.g. 0199:…
    receiver: str
    standard: str
    type_version: str
    instance_id: str
    type: str
    created_at: dt.datetime
    document_type_id: str
    process_id: str
    country_c1: str
    scopes: dict[str, str]  # additional attributes (key → value)
    payload: bytes  # the business document, serialised on its own (UTF-8, with its namespaces)


def document_type_id(*, root_namespace: str, root_name: str, customization_id: str) -> str:
    """The Peppol document type identifier: ``<namespace>::<root>##<customization>::2.1``."""
    return f"{root_namespace}::{root_name}##{customization_id}::{UBL_VERSION}"


def build_envelope(*, payload: bytes, sender: str, receiver: str, instance_id: str, created_at: dt.datetime,
                   process_id: str, country_c1: str, max_bytes: int) -> bytes:
    """An SBD around ``payload`` (a UBL Invoice or CreditNote, read with the hardened parser)."""
    root = parse_xml(payload, max_bytes=max_bytes)
    qname = etree.QName(root)
    if (qname.namespace, qname.localname) not in PAYLOADS:
        raise EnvelopeError("payload", "信封只能装载 UBL 2.1 发票或贷记发票", "the envelope carries a UBL 2.1 Invoice or CreditNote only")
    customization = root.findtext(f"{{{NS_CBC}}}CustomizationID")
    if not customization or not customization.strip():
        raise EnvelopeError("documentid", "发票缺少规范标识（BT-24），无法确定文档类型标识",
                            "the invoice has no specification identifier (BT-24), so it has no document type identifier")
    if not process_id.strip():
        raise EnvelopeError("processid", "发票缺少业务流程类型（BT-23），无法确定流程标识",
                            "the invoice has no business process type (BT-23), so it has no process identifier")
    if created_at.tzinfo is None:
        raise ValueError("created_at must carry a time zone")
    for participant in (sender, receiver):
        split(participant)
    sbd = etree.Element(f"{{{NS}}}StandardBusinessDocument", nsmap={None: NS})
    header = etree.SubElement(sbd, f"{{{NS}}}StandardBusinessDocumentHeader")
    _text(header, "HeaderVersion", "1.0")
    for role, participant in (("Sender", sender), ("Receiver", receiver)):
        party = etree.SubElement(header, f"{{{NS}}}{role}")
        _text(party, "Identifier", participant).set("Authority", AUTHORITY)
    ident = etree.SubElement(header, f"{{{NS}}}DocumentIdentification")
    _text(ident, "Standard", qname.namespace)
    _text(ident, "TypeVersion", UBL_VERSION)
    _text(ident, "InstanceIdentifier", instance_id)
    _text(ident, "Type", qname.localname)
    _text(ident, "CreationDateAndTime", created_at.isoformat(timespec="seconds").replace("+00:00", "Z"))
    scope_list = etree.SubElement(header, f"{{{NS}}}BusinessScope")
    doc_id = document_type_id(root_namespace=qname.namespace, root_name=qname.localname,
                              customization_id=" ".join(customization.split()))
    for kind, value, scheme in (("DOCUMENTID", doc_id, DOCUMENT_SCHEMES[0]), ("PROCESSID", process_id.strip(), PROCESS_SCHEME),
                                ("COUNTRY_C1", country_c1, None)):
        scope = etree.SubElement(scope_list, f"{{{NS}}}Scope")
        _text(scope, "Type", kind)
        _text(scope, "InstanceIdentifier", value)
        if scheme:
            _text(scope, "Identifier", scheme)
    sbd.append(root)
    return etree.tostring(sbd, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _text(parent, name: str, value: str):
    el = etree.SubElement(parent, f"{{{NS}}}{name}")
    el.text = value
    return el


def _children(el, name: str) -> list:
    return [c for c in el if isinstance(c.tag, str) and c.tag == f"{{{NS}}}{name}"]


def _one(el, name: str, where: str):
    found = _children(el, name)
    if len(found) != 1:
        raise EnvelopeError(name.lower(), f"{where} 须恰有一个 {name}（现有 {len(found)} 个）",
                            f"{where} must have exactly one {name} (it has {len(found)})")
    return found[0]


def _value(el, name: str, where: str) -> str:
    text = (_one(el, name, where).text or "").strip()
    if not text:
        raise EnvelopeError(name.lower(), f"{where}/{name} 为空", f"{where}/{name} is empty")
    return text


def _participant(header, role: str) -> str:
    party = _one(header, role, "StandardBusinessDocumentHeader")
    ident = _one(party, "Identifier", role)
    if ident.get("Authority") != AUTHORITY:
        raise EnvelopeError(f"{role.lower()}-authority", f"{role}/Identifier 的 Authority 须为 {AUTHORITY}",
                            f"{role}/Identifier must have Authority=\"{AUTHORITY}\" (it has {ident.get('Authority')!r})")
    value = (ident.text or "").strip()
    try:
        split(value)
    except InvalidInput as exc:
        raise EnvelopeError(f"{role.lower()}-identifier", f"{role}: {exc.message_zh}", f"{role}: {exc.message_en}") from None
    return value


def open_envelope(data: bytes, *, max_bytes: int) -> Envelope:
    """The envelope's header and its one business document; EnvelopeError (or UnreadableDocument for XML that
    cannot be read safely: a DOCTYPE, an entity, not well-formed) for anything the specification does not allow."""
    root = parse_xml(data, max_bytes=max_bytes)
    if root.tag != f"{{{NS}}}StandardBusinessDocument":
        raise EnvelopeError("root", "根元素须为 SBDH 的 StandardBusinessDocument",
                            f"the root element must be the SBDH StandardBusinessDocument, not {str(root.tag)[:120]}")
    elements = [c for c in root if isinstance(c.tag, str)]
    if not elements or elements[0].tag != f"{{{NS}}}StandardBusinessDocumentHeader":
        raise EnvelopeError("header", "信封须以 StandardBusinessDocumentHeader 开始",
                            "the envelope must begin with its StandardBusinessDocumentHeader")
    header, rest = elements[0], elements[1:]
    if len(rest) != 1:
        raise EnvelopeError("payload", f"信封须恰好装载一份业务文档（现有 {len(rest)} 份）",
                            f"the envelope must carry exactly one business document (it carries {len(rest)})")
    if _value(header, "HeaderVersion", "StandardBusinessDocumentHeader") != "1.0":
        raise EnvelopeError("headerversion", "HeaderVersion 须为 1.0", "HeaderVersion must be 1.0")
    sender = _participant(header, "Sender")
    receiver = _participant(header, "Receiver")
    ident = _one(header, "DocumentIdentification", "StandardBusinessDocumentHeader")
    standard = _value(ident, "Standard", "DocumentIdentification")
    type_version = _value(ident, "TypeVersion", "DocumentIdentification")
    instance_id = _value(ident, "InstanceIdentifier", "DocumentIdentification")
    doc_type = _value(ident, "Type", "DocumentIdentification")
    created_text = _value(ident, "CreationDateAndTime", "DocumentIdentification")
    created_at = _datetime(created_text)
    if len(instance_id) > 200:
        raise EnvelopeError("instanceidentifier", "InstanceIdentifier 过长（最多 200 个字符）",
                            "the InstanceIdentifier is longer than 200 characters")
    scopes = _scopes(_one(header, "BusinessScope", "StandardBusinessDocumentHeader"))
    payload = rest[0]
    qname = etree.QName(payload)
    if qname.namespace == NS_ENVELOPE_PAYLOAD:
        raise EnvelopeError("payload", "此收件箱只接收 UBL 2.1 发票，不接收二进制或文本载荷",
                            "this inbox takes UBL 2.1 invoices, not binary or text payloads")
    if (qname.namespace, qname.localname) != (standard, doc_type):
        raise EnvelopeError("payload", "载荷与 DocumentIdentification 的 Standard 和 Type 不符",
                            f"the payload {{{qname.namespace}}}{qname.localname} is not the Standard and Type the header names")
    if (qname.namespace, qname.localname) not in PAYLOADS:
        raise EnvelopeError("payload", "此收件箱只接收 UBL 2.1 发票和贷记发票",
                            "this inbox takes UBL 2.1 Invoice and CreditNote documents only")
    if type_version != UBL_VERSION:
        raise EnvelopeError("typeversion", "TypeVersion 须为 2.1（UBL 2.1）", f"TypeVersion must be {UBL_VERSION} (UBL 2.1)")
    doc_id, doc_scheme = scopes.pop("DOCUMENTID")
    process_id, process_scheme = scopes.pop("PROCESSID")
    country, _ = scopes.pop("COUNTRY_C1")
    if (doc_scheme or DOCUMENT_SCHEMES[0]) not in DOCUMENT_SCHEMES:
        raise EnvelopeError("documentid", f"文档类型标识体系 {doc_scheme} 无效", f"document type identifier scheme {doc_scheme!r} is not a Peppol scheme")
    if (process_scheme or PROCESS_SCHEME) != PROCESS_SCHEME:
        raise EnvelopeError("processid", f"流程标识体系 {process_scheme} 无效", f"process identifier scheme {process_scheme!r} is not {PROCESS_SCHEME}")
    customization = " ".join((payload.findtext(f"{{{NS_CBC}}}CustomizationID") or "").split())
    expected = document_type_id(root_namespace=qname.namespace, root_name=qname.localname, customization_id=customization)
    if doc_id != expected:
        raise EnvelopeError("documentid", "DOCUMENTID 与载荷的类型和规范标识（BT-24）不符",
                            f"DOCUMENTID {doc_id[:200]!r} does not match the payload (expected {expected[:200]!r})")
    if not _COUNTRY.match(country):
        raise EnvelopeError("country_c1", "COUNTRY_C1 须为 ISO 3166-1 二位字母代码", "COUNTRY_C1 must be an ISO 3166-1 alpha-2 code")
    return Envelope(sender=sender, receiver=receiver, standard=standard, type_version=type_version,
                    instance_id=instance_id, type=doc_type, created_at=created_at, document_type_id=doc_id,
                    process_id=process_id, country_c1=country, scopes={k: v for k, (v, _s) in scopes.items()},
                    payload=etree.tostring(payload, xml_declaration=True, encoding="UTF-8"))


def _datetime(text: str) -> dt.datetime:
    if not _DATETIME.match(text):
        raise EnvelopeError("creationdateandtime", "CreationDateAndTime 须为带时区的 xs:dateTime",
                            "CreationDateAndTime must be an xs:dateTime with a time zone")
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise EnvelopeError("creationdateandtime", "CreationDateAndTime 不是有效的时间",
                            "CreationDateAndTime is not a valid date and time") from None


def _scopes(business_scope) -> dict[str, tuple[str, str | None]]:
    out: dict[str, tuple[str, str | None]] = {}
    for scope in _children(business_scope, "Scope"):
        key = _value(scope, "Type", "Scope")
        found = _children(scope, "InstanceIdentifier")
        if len(found) != 1:
            raise EnvelopeError("scope", f"Scope {key} 须恰有一个 InstanceIdentifier", f"Scope {key} must have exactly one InstanceIdentifier")
        value = (found[0].text or "").strip()
        identifiers = _children(scope, "Identifier")
        scheme = (identifiers[0].text or "").strip() if identifiers else None
        if key in out:
            raise EnvelopeError("scope", f"Scope {key} 重复", f"the scope {key} occurs more than once (keys must be unique)")
        if key in RESERVED_SCOPES and not value:
            raise EnvelopeError(key.lower(), f"Scope {key} 为空", f"the scope {key} has no value")
        out[key] = (value, scheme)
    for key in RESERVED_SCOPES:
        if key not in out:
            raise EnvelopeError(key.lower(), f"缺少 Scope {key}", f"the BusinessScope has no {key}")
    return out
