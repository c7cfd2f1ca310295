"""Rules of the Peppol responses (应答规则). Pure: plain data or a parsed ApplicationResponse in, findings out.

- the order in which an invoice's status may advance (Peppol BIS Invoice Response 3.1, OP-BR111-R004/R005/R012);
- the clarifications a status needs (PEPPOL-T111-R001…R007) — checked on a request before anything is built;
- the Schematron rules of the two transactions (T111, T71) over the XML itself, so that every response the
  single window issues — and Peppol's own examples — can be checked the same way.

Every rule cites SC-29 and SH-44 (cross-border interoperable e-invoices), and SC-19 / SH-31 for the single window.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from openftz.core.findings import Finding, Severity

from .responses import CAC, CBC, NS_AR, Clarification, codes

CITES = ("SC-29", "SH-44", "SC-19", "SH-31")


def _statuses() -> dict[str, dict]:
    return {s["code"]: s for s in codes()["invoice_response"]["statuses"]}


def status_name(code: str) -> dict:
    found = _statuses().get(code) or {s["code"]: s for s in codes()["message_level_response"]["statuses"]}.get(code)
    return {"en": found["en"], "zh": found["zh"]} if found else {"en": code, "zh": code}


def duplicate_key(*, sender: str, receiver: str, kind: str, number: str, issue_date: str) -> tuple | None:
    """What makes two delivered invoices the same (重复发票): EN 16931 BT-1 identifies an invoice uniquely for its
    seller, so the same sender, receiver, kind, number and issue date (BT-2) twice is a duplicate. None when the
    invoice has no number or date (an unreadable one): nothing to compare. Cites SC-29, SH-44, SC-19, SH-31."""
    if not (number or "").strip() or not (issue_date or "").strip():
        return None
    return (sender, receiver, kind, number, issue_date)


def duplicate_rejection() -> dict:
    """The Invoice Response a buyer gives a duplicate: status, OPStatusReason and OPStatusAction codes and text."""
    return dict(codes()["invoice_response"]["duplicate"])


def _f(rule: str, zh: str, en: str, *, severity: str = "violation", path: str = "") -> Finding:
    return Finding.of(rule, severity, zh, en, cites=CITES, path=path)


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    findings: tuple[Finding, ...]


def next_status(responses: list[tuple[str, tuple[str, ...]]], code: str) -> Decision:
    """May an Invoice Response with ``code`` follow the ones already given — (code, clarification codes), oldest
    first? Statuses advance AB, IP, UQ, CA, RE, AP, PD (any may come first, UQ may repeat); nothing follows RE or a
    full payment; after AP only PD; a PD with the reason PPD (partially paid) may be followed by another PD."""
    statuses = _statuses()
    if code not in statuses:
        return Decision(False, (_f("PEPPOL-T111-CL", f"状态代码 {code} 不在发票应答状态代码表中",
                                   f"status code {code} is not in the Invoice Response code list (UNCL4343-T111)"),))
    if not responses:
        return Decision(True, ())
    current, reasons = responses[-1]
    partially_paid = current == "PD" and "PPD" in reasons  # PD with PPD is not final: more payments follow
    if partially_paid and code == "PD":
        return Decision(True, ())
    if statuses[current]["final"] and not partially_paid:
        return Decision(False, (_f("OP-BR111-R004", f"发票已处于最终状态 {current}，不得再发送应答",
                                   f"the invoice already has the final status {current}: no further response may be sent"),))
    if current == "AP" and code not in codes()["invoice_response"]["after_accepted"]:
        return Decision(False, (_f("OP-BR111-R005", "发票已接受（AP），其后只能发送已付款（PD）",
                                   "the invoice was accepted (AP): only Paid (PD) may follow"),))
    old, new = statuses[current], statuses[code]
    if new["order"] < old["order"] or (new["order"] == old["order"] and not new.get("repeatable")):
        return Decision(False, (_f("OP-BR111-R012", f"状态须按 AB→IP→UQ→CA→RE→AP→PD 的顺序推进，{current} 之后不能是 {code}",
                                   f"statuses advance in the order AB, IP, UQ, CA, RE, AP, PD: {code} cannot follow {current}"),))
    return Decision(True, ())


def clarifications_problems(code: str, clarifications: tuple[Clarification, ...]) -> list[Finding]:
    """What an Invoice Response's clarifications must satisfy (T111 R001-R007), before anything is built."""
    spec = codes()["invoice_response"]
    lists = {spec["reason_list"]: {c["code"] for c in spec["reasons"]}, spec["action_list"]: {c["code"] for c in spec["actions"]}}
    out: list[Finding] = []
    status = _statuses().get(code)
    if status and status["clarification"] and not clarifications:
        out.append(_f("PEPPOL-T111-R001", f"状态 {code} 须附说明代码（原因或要求的处理）",
                      f"status {code} needs a clarification code (a reason or an action): PEPPOL-T111-R001"))
    for i, c in enumerate(clarifications, 1):
        where = f"clarification {i}"
        if c.list_id not in lists:
            out.append(_f("PEPPOL-T111-B03303", f"第 {i} 项说明的代码表 {c.list_id} 无效",
                          f"{where}: list {c.list_id!r} is neither OPStatusReason nor OPStatusAction", path=where))
            continue
        if c.code not in lists[c.list_id]:
            rule = "PEPPOL-T111-R007" if c.list_id == spec["reason_list"] else "PEPPOL-T111-R006"
            out.append(_f(rule, f"第 {i} 项说明代码 {c.code} 不在 {c.list_id} 中",
                          f"{where}: code {c.code!r} is not in {c.list_id}", path=where))
            continue
        if c.list_id == spec["reason_list"] and c.code in spec["text_must"] and not c.text.strip():
            out.append(_f("PEPPOL-T111-R004", "部分付款（PPD）须附说明文字", "a partial payment (PPD) needs a clarification text", path=where))
        if c.list_id == spec["reason_list"] and c.code in spec["only_with_paid"] and code != "PD":
            out.append(_f("PEPPOL-T111-R005", "PPD 只能与已付款（PD）同用", "PPD may only be used with the status Paid (PD)", path=where))
        if c.code in spec["text_should"] and not c.text.strip():
            out.append(_f("PEPPOL-T111-R002", "说明代码为 OTH 时应附说明文字",
                          "a clarification code OTH should come with a clarification text", severity="warning", path=where))
    return out


# — the Schematron rules over the XML ———————————————————————————————————————————————————————————————————

def _x(root, path: str) -> list:
    return root.xpath(path, namespaces={"cac": CAC[1:-1], "cbc": CBC[1:-1], "ubl": NS_AR})


def _norm(el) -> str:
    return " ".join((el.text or "").split()) if el is not None else ""


def check_invoice_response(root: etree._Element) -> list[Finding]:
    """PEPPOL-T111-R001…R008 and the T111 code lists over a parsed Invoice Response."""
    spec = codes()["invoice_response"]
    out = _common(root, spec, "T111")
    statuses = _statuses()
    for response in _x(root, "/ubl:ApplicationResponse/cac:DocumentResponse/cac:Response"):
        code = _norm(next(iter(_x(response, "cbc:ResponseCode")), None))
        if code not in statuses:
            out.append(_f("PEPPOL-T111-B02201", f"状态代码 {code} 无效", f"ResponseCode {code!r} is not in UNCL4343-T111"))
        clarifications = []
        for status in _x(response, "cac:Status"):
            reason = next(iter(_x(status, "cbc:StatusReasonCode")), None)
            if reason is None:
                continue
            if not reason.get("listID"):
                out.append(_f("PEPPOL-T111-B03302", "StatusReasonCode 须有 listID", "attribute listID MUST be present"))
            text = _norm(next(iter(_x(status, "cbc:StatusReason")), None))
            clarifications.append(Clarification(reason.get("listID") or "", _norm(reason), text))
        out += clarifications_problems(code, tuple(clarifications))
    for ref in _x(root, "/ubl:ApplicationResponse/cac:DocumentResponse/cac:DocumentReference"):
        if not _norm(next(iter(_x(ref, "cbc:DocumentTypeCode")), None)):
            out.append(_f("PEPPOL-T111-DOCTYPE", "DocumentReference 须有 DocumentTypeCode",
                          "the invoice referred to needs its DocumentTypeCode (OP-BR111-R014)"))
    for party in ("SenderParty", "ReceiverParty"):
        if not _x(root, f"/ubl:ApplicationResponse/cac:{party}/cac:PartyLegalEntity/cbc:RegistrationName"):
            out.append(_f("PEPPOL-T111-PARTY", f"{party} 须有 RegistrationName", f"the {party} needs a RegistrationName"))
    return out


def check_message_level_response(root: etree._Element) -> list[Finding]:
    """PEPPOL-T71-R001, the MLR code lists, and what a rejection must say (the MLR guide's 'MUST')."""
    spec = codes()["message_level_response"]
    out = _common(root, spec, "T71")
    allowed = {s["code"] for s in spec["statuses"]}
    reasons = {s["code"] for s in spec["line_reasons"]}
    for response in _x(root, "/ubl:ApplicationResponse/cac:DocumentResponse/cac:Response"):
        code = _norm(next(iter(_x(response, "cbc:ResponseCode")), None))
        if code not in allowed:
            out.append(_f("CL-071-R002", f"应答代码 {code} 不在 UNCL4343 子集中", f"ResponseCode {code!r} is not in the UNCL4343 subset"))
        if code == "RE" and not _norm(next(iter(_x(response, "cbc:Description")), None)):
            out.append(_f("EUGEN-T71-R007", "拒收须说明原因", "a rejection MUST state its reason (cbc:Description)"))
    for reason in _x(root, "//cac:LineResponse/cac:Response/cac:Status/cbc:StatusReasonCode"):
        if _norm(reason) not in reasons:
            out.append(_f("OP-071-R003", f"行应答原因代码 {_norm(reason)} 无效", f"line StatusReasonCode {_norm(reason)!r} is not BV, BW or SV"))
    if not _x(root, "/ubl:ApplicationResponse/cac:DocumentResponse/cac:DocumentReference/cbc:ID"):
        out.append(_f("EUGEN-T71-R006", "须引用原报文信封", "an MLR MUST refer to the envelope of the business document"))
    return out


def _common(root, spec: dict, transaction: str) -> list[Finding]:
    out: list[Finding] = []
    if root.tag != f"{{{NS_AR}}}ApplicationResponse":
        return [_f(f"PEPPOL-{transaction}-ROOT", "根元素须为 ApplicationResponse", "the root element must be a UBL ApplicationResponse")]
    customization = _norm(next(iter(_x(root, "cbc:CustomizationID")), None))
    if not customization.startswith(spec["customization_id"]):
        rule = "PEPPOL-T111-R003" if transaction == "T111" else "PEPPOL-T71-R001"
        out.append(_f(rule, f"规范标识须以 {spec['customization_id']} 开头",
                      f"Specification identifier SHALL start with the value '{spec['customization_id']}'"))
    profile = _norm(next(iter(_x(root, "cbc:ProfileID")), None))
    if transaction == "T111" and profile not in (spec["profile_id"], "urn:peppol:bis:billing_with_response"):
        out.append(_f("PEPPOL-T111-R008", f"流程标识须为 {spec['profile_id']}", f"Process identifier SHALL have the value '{spec['profile_id']}'"))
    if transaction == "T71" and profile != spec["profile_id"]:
        out.append(_f("PEPPOL-T71-PROFILE", f"流程标识须为 {spec['profile_id']}", f"ProfileID must be '{spec['profile_id']}'"))
    for endpoint in _x(root, "cac:SenderParty/cbc:EndpointID | cac:ReceiverParty/cbc:EndpointID"):
        if not endpoint.get("schemeID"):
            out.append(_f("EUGEN-T71-R004", "EndpointID 须有 schemeID", "an endpoint identifier MUST have a scheme identifier attribute"))
    return out


def fatal(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == Severity.VIOLATION]

