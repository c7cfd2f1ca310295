"""State changes of the e-invoice app: registering invoices on the ledger, and the single window's exchange
(send, receive, respond). Each use case is one transaction; a refused request writes nothing."""
from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from lxml import etree

from openftz.core.citations import cites
from openftz.core.errors import InvalidInput, NotFound
from openftz.ledger.services import ledger_append
from openftz.parties.models import Party
from openftz.parties.selectors import party_get

from . import registration as reg_rules
from .models import Message, MessageLevel, Registration, Response, ResponseKind
from .parse import UnreadableDocument, build, parse, parse_xml
from .participants import directory_key, endpoint_of
from .permissions import Action, Forbidden, require, require_party
from .response_rules import (
    check_invoice_response, check_message_level_response, clarifications_problems, duplicate_key, fatal, next_status,
)
from .responses import Endpoint, Header, LineIssue, Reference, invoice_response, message_level_response
from .sbdh import NS as NS_SBDH, build_envelope, open_envelope
from .selectors import participant_ids_of, party_by_participant
from .semantic import invoice_tree
from .validate import max_document_bytes, validated

# Room for the envelope's header around a document of the largest size the validator reads.
ENVELOPE_MARGIN = 65536
REGISTER_CITES = cites("SC-29", "SH-44")


def _readable(data: bytes) -> tuple[dict, dict]:
    """(validation result, term tree) of a document the parser can read; UnreadableDocument (4xx) otherwise."""
    limit = max_document_bytes()
    result, invoice = validated(data, max_bytes=limit)  # one parse for the findings and the terms
    if invoice is None:
        finding = result["findings"][0]
        raise UnreadableDocument(finding["rule"], finding["message_zh"], finding["message"])
    return result, invoice_tree(invoice)


def invoice_register(*, data: bytes, actor=None) -> tuple[Registration, bool]:
    """Put the fingerprint and key facts of these exact bytes on the ledger (SC-29: 发票上链存证).

    Idempotent: the same bytes registered again answer with the first registration (``created`` is False), also
    when two requests race — the second one's ledger entry is rolled back with its failed insert."""
    fp = reg_rules.fingerprint(data)
    existing = Registration.objects.filter(sha256=fp.sha256).first()
    if existing is not None:
        return existing, False
    result, tree = _readable(data)
    event = reg_rules.registration_event(fp, tree, result)
    try:
        with transaction.atomic():
            appended = ledger_append(kind=reg_rules.EVENT_KIND, subject=reg_rules.subject_of(fp.sha256), event=event)
            record = Registration(
                sha256=fp.sha256, sm3=fp.sm3, size=fp.size, kind=event["kind"], number=event["number"] or "",
                issue_date=event["issue_date"] or "", currency=event["currency"] or "", total=event["total"] or "",
                seller=event["seller"], buyer=event["buyer"], valid=event["valid"], ruleset=event["ruleset"],
                entry=appended.entry, registered_at=timezone.now(),
                registered_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            record.full_clean(validate_unique=False, validate_constraints=False)
            record.save(force_insert=True)
    except IntegrityError:
        return Registration.objects.get(sha256=fp.sha256), False
    return record, True


# — the single window: send, receive, respond (单一窗口电子发票交换) ————————————————————————————————————————————————

EXCHANGE_CITES = cites("SC-19", "SH-31", "SH-32", "SC-29", "SH-44")


def _local_now():
    return timezone.localtime(timezone.now())


def _party_for(participant: str, role: str) -> Party:
    party = party_by_participant(participant)
    if party is None:
        raise InvalidInput(f"{role}参与方 {participant} 不在企业名录中",
                           f"the {'receiver' if role == '收件' else 'sender'} {participant} is not a party of the directory",
                           code="unknown_participant", details={"participant": participant, "reason": "REC"})
    return party


def _endpoint_participant(tree_party: dict, term: str) -> str | None:
    value, scheme = tree_party.get(term), tree_party.get(f"{term}-1")
    if isinstance(value, str) and isinstance(scheme, str) and value and scheme:
        return f"{scheme}:{value}"
    return None


def _participant_of(party, preferred: str | None) -> str:
    """The invoice's own electronic address for the party if it names this party, else the party's first
    participant identifier (data/einvoice/participant-schemes.yaml)."""
    if preferred:
        try:
            if type(party).objects.filter(pk=party.pk, **directory_key(preferred)).exists():
                return preferred
        except InvalidInput:
            pass
    ids = participant_ids_of(party)
    if not ids:
        raise InvalidInput(f"当事人 {party.pk} 没有可用于 Peppol 的标识（LEI、GLN、ICD 或统一社会信用代码）",
                           f"party {party.pk} has no identifier a participant identifier can be made of "
                           "(LEI, GLN, a registered ICD scheme or a unified social credit code)",
                           code="no_participant", details={"party": party.pk})
    return ids[0]


def message_send(*, actor, document: bytes, receiver_id: str | None = None):
    """Send an invoice as the actor's party (SC-19, SH-31/32: the single window). ``document`` is a UBL invoice —
    the single window wraps it in a Peppol envelope addressed to ``receiver_id`` (or to the party the buyer's
    electronic address BT-49 names) — or a complete StandardBusinessDocument, delivered as it is."""
    require(actor, Action.SEND)
    sender = party_get(require_party(actor))
    limit = max_document_bytes()
    root = parse_xml(document, max_bytes=limit)
    if root.tag == f"{{{NS_SBDH}}}StandardBusinessDocument":
        del root  # the receiving side reads the envelope itself: one parsed copy at a time
        return message_receive(actor=actor, envelope=document, receiver_id=receiver_id)
    tree = invoice_tree(build(root))  # the receiving side validates; here only the addresses
    del root
    buyer = tree.get("BG-7") or {}
    if receiver_id:
        receiver = party_get(receiver_id)
    else:
        address = _endpoint_participant(buyer, "BT-49")
        if address is None:
            raise InvalidInput("未指定收件方，发票也没有购买方电子地址（BT-49）",
                               "no receiver given, and the invoice has no buyer electronic address (BT-49)",
                               code="no_receiver", details={"field": "receiver"})
        receiver = _party_for(address, "收件")
    seller = tree.get("BG-4") or {}
    country = ((seller.get("BG-5") or {}).get("BT-40")) or ("CN" if sender.uscc else None)
    if not country:
        raise InvalidInput("无法确定发送方国家（BT-40）", "the sender's country (BT-40) is not known", code="no_country")
    envelope = build_envelope(
        payload=document, sender=_participant_of(sender, _endpoint_participant(seller, "BT-34")),
        receiver=_participant_of(receiver, _endpoint_participant(buyer, "BT-49")), instance_id=str(uuid.uuid4()),
        created_at=timezone.now(), process_id=(tree.get("BG-2") or {}).get("BT-23") or "", country_c1=country,
        max_bytes=limit + ENVELOPE_MARGIN)
    return message_receive(actor=actor, envelope=envelope, receiver_id=receiver.pk)


@transaction.atomic
def message_receive(*, actor, envelope: bytes, receiver_id: str | None = None):
    """The receiver's inbox takes an envelope: it checks the envelope, validates the invoice with the Peppol rule
    set, stores the message and answers with a Message Level Response (AP, or RE with every finding) and, for an
    invoice it can process, an Invoice Response AB. Envelope errors are a 4xx and write nothing."""
    party_id = require_party(actor)
    env = open_envelope(envelope, max_bytes=max_document_bytes() + ENVELOPE_MARGIN)
    sender = _party_for(env.sender, "发件")
    if sender.pk != party_id:
        raise Forbidden("信封的发件方不是您所代表的企业", "the envelope's sender is not the party you act for",
                        details={"sender": env.sender})
    receiver = _party_for(env.receiver, "收件")
    if receiver_id and receiver.pk != receiver_id:
        raise InvalidInput("信封的收件方与指定的收件方不符", "the envelope's receiver is not the receiver given",
                           code="receiver_mismatch", details={"receiver": env.receiver})
    if receiver.pk == sender.pk:
        raise InvalidInput("发件方与收件方不能相同", "sender and receiver are the same party", code="same_party")
    if Message.objects.filter(instance_id=env.instance_id).exists():
        raise InvalidInput("该信封已投递（InstanceIdentifier 重复）", "this envelope was delivered before (same InstanceIdentifier)",
                           code="duplicate", status=409, details={"instance_id": env.instance_id})
    result, invoice = validated(env.payload, rules="peppol", max_bytes=max_document_bytes() + ENVELOPE_MARGIN)
    tree = invoice_tree(invoice) if invoice is not None else {}  # the model validated, not a second parse
    del invoice
    now = timezone.now()
    fp = reg_rules.fingerprint(env.payload)
    totals = tree.get("BG-22") or {}
    message = Message(
        instance_id=env.instance_id, sender=sender, receiver=receiver, sender_participant=env.sender,
        receiver_participant=env.receiver, document_type_id=env.document_type_id, process_id=env.process_id,
        country_c1=env.country_c1, created_at=env.created_at, received_at=now, envelope=envelope,
        payload=env.payload, payload_sha256=fp.sha256, kind=env.type, number=tree.get("BT-1") or "",
        issue_date=tree.get("BT-2") or "", type_code=tree.get("BT-3") or "", currency=tree.get("BT-5") or "",
        total=totals.get("BT-112") or "", valid=result["valid"], ruleset=result["ruleset"] or "",
        findings=result["findings"], message_level=MessageLevel.ACCEPTED if result["valid"] else MessageLevel.REJECTED,
        status="", sent_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    message.duplicate_of = _first_delivered(message)
    message.full_clean(validate_unique=False, validate_constraints=False)
    message.save(force_insert=True)
    _issue_mlr(message, result)
    _log(message, "einvoice.received", {"instance_id": env.instance_id, "sender": env.sender, "receiver": env.receiver,
                                        "payload_sha256": fp.sha256, "payload_sm3": fp.sm3,
                                        "message_level": message.message_level,
                                        "duplicate_of": str(message.duplicate_of_id) if message.duplicate_of_id else None})
    if message.message_level == MessageLevel.ACCEPTED:
        _issue_invoice_response(message, code="AB", clarifications=(), note="", actor=None, tree=tree)
    return message


def _first_delivered(message: Message) -> Message | None:
    """The first message this one repeats (same sender, receiver, kind, BT-1 and BT-2), or None."""
    key = duplicate_key(sender=message.sender_id, receiver=message.receiver_id, kind=message.kind,
                        number=message.number, issue_date=message.issue_date)
    if key is None:
        return None
    sender, receiver, kind, number, issue_date = key
    return (Message.objects.filter(sender_id=sender, receiver_id=receiver, kind=kind, number=number,
                                   issue_date=issue_date, duplicate_of__isnull=True)
            .order_by("received_at", "id").only("id").first())


def _log(message, kind: str, event: dict) -> None:
    """The exchange's audit trail on the ledger: each message and response, by fingerprint (not content)."""
    ledger_append(kind=kind, subject=f"einvoice-message:{message.pk}", event={**event, "cites": ["SC-19", "SH-31", "SC-29"]})


def _names(message, tree: dict) -> tuple[str, str]:
    seller = (tree.get("BG-4") or {}).get("BT-27")
    buyer = (tree.get("BG-7") or {}).get("BT-44")
    return _first(seller) or message.sender.name_zh, _first(buyer) or message.receiver.name_zh


def _first(value):
    return value[0] if isinstance(value, list) else value


def _issue_mlr(message, result: dict) -> None:
    issues = []
    if not message.valid:
        for f in result["findings"]:
            reason = "BV" if f["severity"] == "fatal" else "BW"
            issues.append(LineIssue(line_id=f["path"] or "NA", description=f"[{f['rule']}]-{f['message']}", reason=reason,
                                    code="RE" if reason == "BV" else None))
    code = "AP" if message.valid else "RE"
    header = Header(document_id=f"MLR-{message.pk}", issued_at=_local_now(),
                    sender=Endpoint(*endpoint_of(message.receiver_participant)),
                    receiver=Endpoint(*endpoint_of(message.sender_participant)))
    description = "" if message.valid else f"Rejected: {sum(1 for i in issues if i.reason == 'BV')} validation error(s) ({message.ruleset})"
    xml = message_level_response(header, code=code, reference=Reference(id=message.instance_id, type_code=message.type_code or None),
                                 description=description, issues=tuple(issues))
    _self_check(xml, check_message_level_response)
    Response.objects.create(message=message, kind=ResponseKind.MLR, document_id=header.document_id, code=code,
                            note=description, xml=xml.decode("utf-8"), issued_at=header.issued_at)


def _self_check(xml: bytes, check) -> None:
    """Every response issued passes the Peppol rules of its transaction; a failure is a bug, not user error."""
    problems = fatal(check(etree.fromstring(xml)))
    if problems:
        raise AssertionError(f"the single window built a response that breaks {problems[0].rule}: {problems[0].message_en}")


def _issue_invoice_response(message, *, code: str, clarifications: tuple, note: str, actor, tree: dict):
    seller_name, buyer_name = _names(message, tree)
    issued = _local_now()
    header = Header(document_id=f"IR-{uuid.uuid4().hex}", issued_at=issued, note=note,
                    sender=Endpoint(*endpoint_of(message.receiver_participant), name=buyer_name),
                    receiver=Endpoint(*endpoint_of(message.sender_participant), name=seller_name))
    xml = invoice_response(header, code=code, clarifications=clarifications, effective_date=issued.date(),
                           reference=Reference(id=message.number or message.instance_id, issue_date=message.issue_date or None,
                                               type_code=message.type_code or None),
                           issuer_name=seller_name, recipient_name=buyer_name)
    _self_check(xml, check_invoice_response)
    response = Response.objects.create(
        message=message, kind=ResponseKind.INVOICE_RESPONSE, document_id=header.document_id, code=code,
        clarifications=[{"list": c.list_id, "code": c.code, "text": c.text or None,
                         "conditions": [{"attribute": a, "value": v} for a, v in c.conditions]} for c in clarifications],
        note=note, xml=xml.decode("utf-8"), issued_at=issued, issued_by=actor)
    message.status = code
    message.save(update_fields=["status"])
    _log(message, "einvoice.invoice_response", {"document_id": header.document_id, "code": code,
                                                "reasons": [c.code for c in clarifications],
                                                "sha256": reg_rules.fingerprint(xml).sha256})
    return response


@transaction.atomic
def message_respond(*, actor, message_id, code: str, clarifications: tuple = (), note: str = ""):
    """The buyer answers an invoice it received with an Invoice Response (Peppol BIS Invoice Response 3.1): accept
    (AP), reject (RE, with a reason), mark paid (PD) or any status of the list, in the order the BIS prescribes."""
    try:
        message = Message.objects.select_for_update().select_related("sender", "receiver").get(pk=message_id)
    except (Message.DoesNotExist, ValueError, TypeError):
        raise NotFound("没有该报文", "no such message", details={"message": str(message_id)[:80]}) from None
    require(actor, Action.RESPOND, message)
    if message.message_level == MessageLevel.REJECTED:
        raise InvalidInput("该报文已在报文层被拒收，不能再作发票应答", "the message was rejected at message level: it takes no Invoice Response",
                           code="rejected_message", status=409)
    problems = fatal(clarifications_problems(code, clarifications))
    if problems:
        raise InvalidInput(problems[0].message_zh, problems[0].message_en, code="invalid_response",
                           details={"findings": [p.as_dict() for p in problems]})
    history = [(r.code, tuple(c["code"] for c in r.clarifications)) for r in message.responses.filter(kind="invoice_response")]
    decision = next_status(history, code)
    if not decision.allowed:
        finding = decision.findings[0]
        raise InvalidInput(finding.message_zh, finding.message_en, code="status_order", status=409,
                           details={"findings": [f.as_dict() for f in decision.findings], "status": message.status or None})
    tree = invoice_tree(parse(bytes(message.payload), max_bytes=max_document_bytes() + ENVELOPE_MARGIN))
    return _issue_invoice_response(message, code=code, clarifications=clarifications, note=note, actor=actor, tree=tree)
