"""Schemas of the tracker API."""
from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field, HttpUrl

StatusCode = Literal["not_started", "drafting_rules", "awaiting_approval", "in_force", "suspended", "terminated"]
RagCode = Literal["green", "amber", "red", "grey"]


class TaskOut(Schema):
    id: int
    measure: str
    unit: str
    lead: bool
    status: str
    progress: int
    due: str | None
    rag: str
    rag_reasons: list[str]
    next_report_due: str | None
    assignee: str | None


class TaskList(Schema):
    count: int
    tasks: list[TaskOut]


class TaskPatch(Schema):
    status: StatusCode | None = None
    progress: int | None = Field(None, ge=0, le=100)
    due: dt.date | None = None
    note: str = Field("", max_length=200)


class LinkIn(Schema):
    url: HttpUrl
    doc_number: str = Field("", max_length=64, description="文号 of the issued document, e.g. 沪府规〔2024〕3号")
    title: str = Field("", max_length=200)


class ReportIn(Schema):
    """Sent as multipart form data with the evidence files; ``links`` is a JSON array of LinkIn objects."""

    narrative: str = Field(..., min_length=1, max_length=20000)
    progress: int = Field(..., ge=0, le=100)
    status: StatusCode
    links: str = Field("[]", max_length=20000, description='JSON array: [{"url": …, "doc_number": "沪府规〔2024〕3号", "title": …}]')


class EvidenceOut(Schema):
    kind: Literal["file", "link"]
    name: str
    sha256: str | None
    size: int | None
    url: str | None
    doc_number: str | None
    download: str | None = Field(None, description="where a file is downloaded (the report's readers only); None for a link")


class ReportOut(Schema):
    id: int
    task: int
    measure: str
    unit: str
    author: str
    state: str
    status: str
    progress: int
    narrative: str
    submitted_at: dt.datetime
    review_comment: str
    evidence: list[EvidenceOut]


class ReviewIn(Schema):
    accept: bool
    comment: str = Field("", max_length=2000)


class RiskIn(Schema):
    measure: str = Field(..., pattern=r"^(SC|SH)-(\d{1,3}|closing)$")
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    likelihood: int = Field(..., ge=1, le=5)
    impact: int = Field(..., ge=1, le=5)


class DispositionIn(Schema):
    disposition: Literal["adjust", "suspend", "terminate"]
    reason: str = Field(..., min_length=1, max_length=2000)


class RiskOut(Schema):
    id: int
    measure: str
    title: str
    description: str
    likelihood: int
    impact: int
    score: int
    early_warning: bool
    disposition: str | None
    disposition_reason: str


class FeedbackIn(Schema):
    measure: str = Field(..., pattern=r"^SH-\d{1,3}$")
    kind: Literal["question", "opinion"]
    text: str = Field(..., min_length=1, max_length=5000)


class AnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=5000)
    publish: bool = False


class FeedbackOut(Schema):
    id: int
    measure: str
    kind: str
    text: str
    answer: str | None
    published: bool
    created_at: dt.datetime


class MeasureProgressOut(Schema):
    id: str
    plan: str
    progress: int
    status: str
    rag: str
    due: dt.date | None
    units: list[str]
    implemented_by: list[str]


class ProgressOut(Schema):
    overall: int
    measures: list[MeasureProgressOut]


class CaseOut(Schema):
    id: int
    title: str
    organisation: str
    measures: list[str]
    rank: int | None
    mean_total: float | None
    reviewers: int
