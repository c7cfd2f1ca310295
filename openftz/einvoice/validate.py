"""Validate one document: bytes in, ``{"valid", "findings", …}`` out (校验一份电子发票). Pure: no database.

A document that cannot be read (too large, not XML, a DOCTYPE, a wrong root) gets one fatal finding
(``OPENFTZ-SIZE``, ``OPENFTZ-XML``, ``OPENFTZ-ROOT``) instead of an exception, so that a batch goes on.
"""
from __future__ import annotations

import datetime as dt

from openftz.core.parameters import parameter

from .model import Invoice
from .parse import UnreadableDocument, parse
from .rules import RULESETS, check, ruleset_for

RULE_CHOICES = ("auto",) + RULESETS


def max_document_bytes(on: dt.date | None = None) -> int:
    return int(parameter("einvoice", "max_document_bytes").at(on or dt.date.today()))


def validate_bytes(data: bytes, *, rules: str = "auto", max_bytes: int | None = None) -> dict:
    """The validation result of one document under ``rules`` (auto | en16931 | peppol)."""
    return validated(data, rules=rules, max_bytes=max_bytes)[0]


def validated(data: bytes, *, rules: str = "auto", max_bytes: int | None = None) -> tuple[dict, Invoice | None]:
    """The validation result and the model it judged (None when unreadable), so that a caller that needs the
    model too (a rendering, the exchange) does not parse the document a second time."""
    if rules not in RULE_CHOICES:
        raise ValueError(f"unknown rule set {rules!r}")
    try:
        invoice = parse(data, max_bytes=max_bytes if max_bytes is not None else max_document_bytes())
    except UnreadableDocument as exc:
        return {"valid": False, "readable": False, "ruleset": None, "document": None,
                "findings": [unreadable_finding(exc)]}, None
    return judged(invoice, rules), invoice


def judged(invoice: Invoice, rules: str = "auto") -> dict:
    """The validation result of a parsed document."""
    ruleset = ruleset_for(invoice, rules)
    findings = check(invoice, ruleset)
    return {
        "valid": not any(f["severity"] == "fatal" for f in findings),
        "readable": True,
        "ruleset": ruleset,
        "document": {"kind": invoice.kind, "number": invoice.number.norm if invoice.number is not None else None,
                     "customization_id": invoice.customization_id.norm if invoice.customization_id is not None else None},
        "findings": findings,
    }


def unreadable_finding(exc: UnreadableDocument) -> dict:
    return {"rule": exc.rule, "severity": "fatal", "message": exc.message_en, "message_zh": exc.message_zh,
            "path": "/", "bt": []}
