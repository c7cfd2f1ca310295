"""Schemas of the procurement API: the workflow (and the CLI's JSON input) and the check of OCDS data."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import AwareDatetime, Field, StrictBool

OCID = r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$"
SLUG = r"^[a-z0-9][a-z0-9-]{0,62}$"
Amount = Field(None, ge=0, le=10**15, max_digits=20, decimal_places=2)
Text = Field("", max_length=20000)


class ItemIn(Schema):
    description: str = Field(..., min_length=1, max_length=2000)
    quantity: Decimal | None = Field(None, ge=0, le=10**12, max_digits=20, decimal_places=4)
    unit: str = Field("", max_length=50)
    estimated: StrictBool = False


class FeeIn(Schema):
    description: str = Field(..., min_length=1, max_length=2000)
    amount: Decimal | None = Amount
    type: Literal["document", "deposit", "submission", "win"] = "document"


class DocumentIn(Schema):
    """A procurement document published with the notice (OCDS ``tender.documents``), kept with its release."""

    title: str = Field(..., min_length=1, max_length=300)
    url: str = Field(..., pattern=r"^https?://[^\s\x00]{1,2000}$")
    documentType: Literal["tenderNotice", "biddingDocuments", "technicalSpecifications", "evaluationCriteria",
                          "eligibilityCriteria", "clarifications", "contractDraft", "billOfQuantity"] = "biddingDocuments"
    language: Literal["zh", "en"] = "zh"


class ProcedureIn(Schema):
    entity: str = Field(..., pattern=SLUG, description="the procuring entity's id")
    method: Literal["open", "selective", "limited"]
    title: str = Field(..., min_length=1, max_length=300, description="title in Chinese (OCDS `title`)")
    title_en: str = Field("", max_length=300, description="title in English (OCDS `title_en`); leave empty rather than machine-translate")
    description: str = Text
    description_en: str = Text
    limited_grounds: list[Literal["no_tenders", "sole_supplier", "additional_deliveries", "prototype_rd", "urgency"]] = Field(
        default_factory=list, max_length=5, description="SH-72 grounds of a limited procedure")
    rationale: str = Text
    value: Decimal | None = Amount
    currency: Literal["CNY", "USD", "EUR", "HKD", "JPY"] = "CNY"
    items: list[ItemIn] = Field(default_factory=list, max_length=200)
    tender_period_end: AwareDatetime | None = Field(None, description="deadline for tenders, or for requests to participate (selective)")
    submission_details: str = Field("", max_length=2000, description="where tenders or requests to participate are submitted")
    eligibility_criteria: str = Text
    eligibility_criteria_en: str = Text
    fees: list[FeeIn] = Field(default_factory=list, max_length=20, description="SH-73: fees and terms of payment")
    max_candidates: int | None = Field(None, ge=1, le=1000, description="selective: the number of qualified suppliers invited")
    selection_criteria: str = Text
    exclusion_grounds: str = Field("", max_length=20000, description="SH-78: the exclusion grounds the documents state")
    documents: list[DocumentIn] = Field(default_factory=list, max_length=50, description="SH-77: documents offered free of charge")


class ReleaseIn(Schema):
    tag: Literal["tenderUpdate", "tenderAmendment", "award", "awardUpdate", "contract", "contractUpdate", "contractAmendment",
                 "implementation"]
    tender: dict[str, Any] | None = Field(None, description="an OCDS tender fragment")
    awards: list[dict[str, Any]] | None = Field(None, max_length=100, description="OCDS awards; suppliers as [{id: party id}]")
    contracts: list[dict[str, Any]] | None = Field(None, max_length=100)
    tenderers: list[str] = Field(default_factory=list, max_length=500, description="party ids of the tenderers")


class EndIn(Schema):
    status: Literal["complete", "cancelled", "unsuccessful"]
    ended_on: dt.date | None = None


class ConfidentialIn(Schema):
    supplier: str = Field(..., pattern=SLUG)
    text: str = Field(..., min_length=1, max_length=500)
    note: str = Field("", max_length=300)


class ExclusionIn(Schema):
    debarment: int = Field(..., ge=1, le=2**31 - 1)


class EntityOut(Schema):
    id: str
    name_zh: str
    name_en: str


class ReleaseRef(Schema):
    id: str
    date: str
    tag: list[str]


class ProcedureOut(Schema):
    ocid: str
    title: str
    title_en: str
    method: str
    stage: str
    entity: EntityOut
    started_on: dt.date
    ended_on: dt.date | None
    retain_until: dt.date | None
    exclusion_grounds_stated: bool
    demo: bool
    releases: list[ReleaseRef]
    compiled: dict[str, Any]


class ProcedureSummary(Schema):
    ocid: str
    title: str
    title_en: str
    method: str
    stage: str
    entity: str
    started_on: dt.date
    demo: bool


class ChallengeIn(Schema):
    ocid: str = Field(..., pattern=OCID)
    grounds: str = Field(..., min_length=1, max_length=20000)
    knew_on: dt.date = Field(..., description="the day the supplier knew or should have known of the harm (Asia/Shanghai)")
    evidence: str = Text


class RouteIn(Schema):
    action: Literal["accept", "reject_late", "reject_inadmissible"]
    reason: str = Text


class DecideIn(Schema):
    outcome: Literal["uphold", "dismiss"]
    decision_text: str = Field(..., min_length=1, max_length=20000)
    decided_on: dt.date | None = None


class StatementIn(Schema):
    statement: str = Field(..., min_length=1, max_length=20000)


class WithdrawIn(Schema):
    reason: str = Text


class EvidenceOut(Schema):
    id: int
    file_name: str
    content_type: str
    size: int
    sha256: str


class ChallengeOut(Schema):
    id: int
    ocid: str
    supplier: str
    grounds: str
    knew_on: dt.date
    evidence: str
    filed_at: dt.datetime
    deadline: dt.date
    late: bool
    status: str
    entity_statement: str
    routing_reason: str
    decision_text: str
    decided_on: dt.date | None
    evidence_files: list[EvidenceOut]
    demo: bool


class DebriefingIn(Schema):
    ocid: str = Field(..., pattern=OCID)
    question: str = Text


class AnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=20000)


class DebriefingOut(Schema):
    id: int
    ocid: str
    supplier: str
    question: str
    requested_at: dt.datetime
    due_on: dt.date
    answer: str
    answered_on: dt.date | None
    overdue: bool
    demo: bool


class DebarmentIn(Schema):
    supplier: str = Field(..., pattern=SLUG)
    entity: str = Field(..., pattern=SLUG, description="the procuring entity whose contract was breached")
    contract_reference: str = Field(..., min_length=1, max_length=200)
    breach_on: dt.date
    decided_on: dt.date
    grounds: str = Field(..., min_length=1, max_length=20000)
    material: StrictBool = True
    remedied: StrictBool = False


class DebarmentOut(Schema):
    id: int
    supplier: str
    entity: str
    contract_reference: str
    breach_on: dt.date
    decided_on: dt.date
    grounds: str
    material: bool
    remedied: bool
    demo: bool


class ExclusionOut(Schema):
    id: int
    ocid: str
    supplier: str
    debarment: int
    findings: list[FindingOut]


class AuditOut(Schema):
    at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    ocid: str
    via: str
    details: dict[str, Any]


# — the check (the same shape as `openftz procurement check --format jsonl`) —————————————————————


class FindingOut(Schema):
    rule: str
    severity: Literal["violation", "warning", "info"]
    cites: list[str]
    message_zh: str
    message_en: str
    path: str


class ReleaseOut(Schema):
    line: int
    ocid: str
    findings: list[FindingOut]
    releases: int
    upgraded: bool
    merge_notes: list[str] = []


class LineError(Schema):
    code: str
    message_zh: str
    message_en: str


class LineErrorOut(Schema):
    line: int
    error: LineError


class RuleCountOut(Schema):
    rule: str
    cites: list[str]
    violation: int
    warning: int
    info: int
    releases: int


class SummaryOut(Schema):
    releases: int
    errors: int
    releases_with_violations: int
    by_rule: list[RuleCountOut]


class CheckOut(Schema):
    on: str
    summary: SummaryOut
    releases: list[ReleaseOut]
    errors: list[LineErrorOut]
