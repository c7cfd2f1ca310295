"""API schemas of the e-invoice validator."""
from __future__ import annotations

from typing import Literal

from ninja import Schema


class FindingOut(Schema):
    rule: str
    severity: Literal["fatal", "warning"]
    message: str
    path: str
    bt: list[str]
    message_zh: str | None = None


class DocumentOut(Schema):
    kind: Literal["Invoice", "CreditNote"]
    number: str | None
    customization_id: str | None


class ValidationOut(Schema):
    file: str
    valid: bool
    readable: bool
    ruleset: Literal["en16931", "peppol"] | None
    document: DocumentOut | None
    findings: list[FindingOut]
