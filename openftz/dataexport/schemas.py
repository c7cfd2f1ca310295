"""Schemas of the approvals and reminders API (the CLI takes the same JSON)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field, StrictBool

def _iso_date(value):
    """A date as JSON carries it: "YYYY-MM-DD" (never a number, which pydantic would read as a Unix time)."""
    if isinstance(value, dt.date) or (isinstance(value, str) and len(value) == 10):
        return value
    raise ValueError("must be a date (YYYY-MM-DD)")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
Country = Field(..., min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")


class CategoryIn(Schema):
    sector: str = Field(..., min_length=1, max_length=100)
    category: str = Field(..., min_length=1, max_length=100)


class ApprovalIn(Schema):
    """What an enterprise obtained. Its validity follows from the law: leave it to the registry, except a standard
    contract's own term (``contract_valid_until``), which the law does not fix."""

    party: str = Field(..., min_length=1, max_length=63, pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: Literal["security_assessment", "standard_contract", "certification"]
    reference: str = Field(..., min_length=1, max_length=100, description="the result's, filing's or certificate's number")
    granted_on: dt.date = Field(..., description="result issued / contract filed / certificate issued (Asia/Shanghai date)")
    recipient_countries: list[str] = Field(..., min_length=1, max_length=50, description="ISO 3166-1 alpha-2 codes covered")
    categories: list[CategoryIn] = Field(default_factory=list, max_length=100, description="data categories covered")
    includes_sensitive: StrictBool = False
    contract_effective_on: dt.date | None = None
    contract_valid_until: dt.date | None = None
    replaces: int | None = Field(None, ge=1, le=2**31 - 1, description="the approval this one takes the place of")
    extension: StrictBool = Field(False, description="the CAC's extension of the security assessment result in replaces")
    note: str = Field("", max_length=300)


class ApprovalOut(Schema):
    id: int
    party: str
    party_name: str
    kind: str
    reference: str
    granted_on: dt.date
    contract_effective_on: dt.date | None
    valid_until: dt.date | None
    window_opens: dt.date | None = Field(None, description="the day the extension (assessment) or renewal (certificate) window opens")
    window_warnings: list[dict[str, Any]]
    renewal_deadline: dt.date | None = Field(None, description="a certificate: the last day to apply again (个人信息出境认证办法 Art. 8)")
    status: Literal["valid", "window_open", "expired", "needs_refiling", "replaced"]
    recipient_countries: list[str]
    categories: list[dict[str, Any]]
    includes_sensitive: bool
    needs_refiling: bool
    refiling_reasons: list[dict[str, Any]]
    replaces: int | None
    replaced_by: int | None
    is_extension: bool
    note: str
    measures: list[str] = Field(..., description="the plan measures carried out (SH-38, SC-24)")


class ApprovalCreated(ApprovalOut):
    warnings: list[dict[str, Any]]


class NoticeIn(Schema):
    """A notice that data the party exports is important data (重要数据告知)."""

    party: str = Field(..., min_length=1, max_length=63, pattern=r"^[a-z0-9][a-z0-9-]*$")
    notified_on: IsoDate = Field(..., description="the day of the notice (Asia/Shanghai date)")
    reference: str = Field("", max_length=100)
    notified_by: str = Field("", max_length=100, description="the department or region that gave the notice")
    categories: list[CategoryIn] = Field(default_factory=list, max_length=100)
    applied_on: IsoDate | None = Field(None, description="the day the security assessment was applied for, if it was")
    note: str = Field("", max_length=300)


class NoticeOut(Schema):
    id: int
    party: str
    party_name: str
    notified_on: dt.date
    reference: str
    notified_by: str
    categories: list[dict[str, Any]]
    application_deadline: dt.date | None = Field(..., description="the last day to apply for a security assessment")
    applied_on: dt.date | None
    status: Literal["open", "overdue", "applied", "no_period"]
    note: str
    cites: list[str]
    measures: list[str]


class NoticeCreated(NoticeOut):
    warnings: list[dict[str, Any]]


class ReminderOut(Schema):
    id: int
    approval: int | None
    notice: int | None = None
    party: str
    kind: str
    due_on: dt.date
    message_zh: str
    message_en: str
    cites: list[str]
    warnings: list[dict[str, Any]]
    created_at: dt.datetime
    measures: list[str]
