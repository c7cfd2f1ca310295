"""Data export API: /api/dataexport/assess, /transfers, /approvals, /notices, /reminders."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from ninja.security import django_auth
from pydantic import BeforeValidator, Field, StrictBool

from openftz.rulebook.schemas import ErrorOut

from . import selectors, services
from .schemas import ApprovalCreated, ApprovalIn, ApprovalOut, IsoDate, NoticeCreated, NoticeIn, NoticeOut, ReminderOut

router = Router()


def _whole(value):
    """A count: a JSON integer (5285 or 5285.0), never a boolean or a string."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError("must be a whole number")
    return int(value)


Count = Annotated[int, BeforeValidator(_whole)]


# Strict types: the same input the CLI takes, where 0 is not false and "1" is not a number.
class ProcessorIn(Schema):
    ciio: StrictBool = Field(..., description="a critical information infrastructure operator (关键信息基础设施运营者)")
    state_organ: StrictBool
    ftz_registered: StrictBool = Field(..., description="registered in the China (Shanghai) Pilot FTZ, the Lingang New Area included")
    exports_from_zone: StrictBool = Field(False, description="exports the data from within the zone (the zone's list applies only then)")


class CategoryIn(Schema):
    sector: str = Field(..., min_length=1, max_length=100)
    category: str = Field(..., min_length=1, max_length=100)


class TransferIn(Schema):
    recipient_foreign_judicial_authority: StrictBool
    important_data: StrictBool = Field(..., description="holds data notified or published as important data")
    personal_info_people: Count = Field(..., ge=0, le=10**10, description="people, non-sensitive, cumulative since 1 January including this transfer")
    sensitive_personal_info_people: Count = Field(..., ge=0, le=10**10)
    collected_abroad_only: StrictBool
    purpose: Literal["contract", "hr", "emergency", "statutory_duty"] | None = Field(
        None, description="statutory_duty: truly necessary to perform a statutory duty or obligation (网络数据安全管理条例 Art. 35(6), from 2025-01-01)")
    ftz_negative_list: Literal["off_list", "on_list"] | None = None
    ftz_list_mechanism: Literal["security_assessment", "standard_contract_or_certification", "not_triggered"] | None = Field(
        None, description="what the matched list rows require; worked out from the zone's lists when categories are declared")
    important_data_notified_on: IsoDate | None = Field(None, description="the day the processor was told the data is important data (YYYY-MM-DD)")
    judicial_approval: StrictBool = False
    categories: list[CategoryIn] | None = Field(None, max_length=50, description="data categories, matched against the zone's lists")
    recipient_countries: list[Annotated[str, Field(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$")]] | None = Field(
        None, max_length=50, description="ISO 3166-1 alpha-2 codes of the recipients (checked against the party's approvals when recorded)")


class AssessIn(Schema):
    processor: ProcessorIn
    transfer: TransferIn


class StepOut(Schema):
    rule: str
    outcome: str
    reason_zh: str
    reason_en: str
    cites: list[str]


class AssessmentOut(Schema):
    list_match: dict[str, Any] | None = None
    pathway: Literal["prohibited", "security_assessment", "standard_contract_or_certification", "exempt"]
    cites: list[str]
    measures: list[str]
    trace: list[StepOut]
    obligations: list[dict[str, Any]]
    warnings: list[dict[str, Any]]


@router.post("/assess", response={200: AssessmentOut, 400: ErrorOut, 422: ErrorOut}, summary="Which pathway a transfer needs")
def assess(request: HttpRequest, payload: AssessIn):
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    return services.assess_with_lists(payload.model_dump(mode="json", exclude_none=False), on=today)


class TransferRecordIn(AssessIn):
    """A transfer to record: its people counts are this transfer's alone (the year's total is added by the registry)."""

    party: str = Field(..., min_length=1, max_length=63, pattern=r"^[a-z0-9][a-z0-9-]*$")
    transferred_on: dt.date | None = Field(None, description="Asia/Shanghai date; today when left out")
    description: str = Field("", max_length=300)
    approval: int | None = Field(None, ge=1, le=2**31 - 1, description="the approval the transfer is made under, if the party has several")


class TransferOut(Schema):
    id: int
    party: str
    transferred_on: dt.date
    personal_info_people: int
    sensitive_personal_info_people: int
    cumulative_people: int
    cumulative_sensitive: int
    pathway: str
    assessment: AssessmentOut


def _transfer_out(r) -> dict:
    return {"id": r.pk, "party": r.party_id, "transferred_on": r.transferred_on, "personal_info_people": r.personal_info_people,
            "sensitive_personal_info_people": r.sensitive_personal_info_people, "cumulative_people": r.cumulative_people,
            "cumulative_sensitive": r.cumulative_sensitive, "pathway": r.pathway, "assessment": r.assessment}


@router.post("/transfers", auth=django_auth, response={201: TransferOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Record a transfer: assessed with this year's cumulative counts")
def record_transfer(request: HttpRequest, payload: TransferRecordIn):
    on = payload.transferred_on or dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    raw = {"processor": payload.processor.model_dump(mode="json"), "transfer": payload.transfer.model_dump(mode="json")}
    for optional in ("categories", "recipient_countries", "ftz_list_mechanism", "important_data_notified_on"):
        if raw["transfer"][optional] is None:
            del raw["transfer"][optional]
    record = services.transfer_record(actor=request.user, party_id=payload.party, on=on, raw=raw, description=payload.description,
                                      approval_id=payload.approval)
    return Status(201, _transfer_out(record))


@router.get("/transfers", auth=django_auth, response={200: list[TransferOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
            summary="Recorded transfers of a party in a year")
def list_transfers(request: HttpRequest, party: str = Query(..., max_length=63), year: int = Query(..., ge=2000, le=2100)):
    return [_transfer_out(r) for r in selectors.transfers(user=request.user, party=party.replace("\x00", ""), year=year)]


# — approvals and reminders: the enterprise's own (its representative) or everyone's (the zone administration) ——


def _shanghai_today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


@router.post("/approvals", auth=django_auth, response={201: ApprovalCreated, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                        422: ErrorOut},
             summary="Record a security assessment result, a standard-contract filing or a certificate")
def record_approval(request: HttpRequest, payload: ApprovalIn):
    today = _shanghai_today()
    approval, warnings = services.approval_record(
        actor=request.user, party_id=payload.party, kind=payload.kind, reference=payload.reference, granted_on=payload.granted_on,
        recipient_countries=payload.recipient_countries, categories=[c.dict() for c in payload.categories],
        includes_sensitive=payload.includes_sensitive, contract_effective_on=payload.contract_effective_on,
        contract_valid_until=payload.contract_valid_until, replaces=payload.replaces, extension=payload.extension, note=payload.note,
        today=today)
    return Status(201, {**selectors.approval_out(approval, today=today), "warnings": warnings})


@router.get("/approvals", auth=django_auth, response={200: list[ApprovalOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
            summary="Approvals with their validity, windows and re-filing flags")
def list_approvals(request: HttpRequest, party: str | None = Query(None, max_length=63)):
    today = _shanghai_today()
    return [selectors.approval_out(a, today=today) for a in selectors.approvals(user=request.user, party=party)]


@router.post("/notices", auth=django_auth, response={201: NoticeCreated, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                                      422: ErrorOut},
             summary="Record an important-data notice: the security assessment is applied for within the period, with reminders")
def record_notice(request: HttpRequest, payload: NoticeIn):
    today = _shanghai_today()
    notice, warnings = services.important_data_notice_record(
        actor=request.user, party_id=payload.party, notified_on=payload.notified_on, reference=payload.reference,
        notified_by=payload.notified_by, categories=[c.dict() for c in payload.categories], applied_on=payload.applied_on,
        note=payload.note, today=today)
    return Status(201, {**selectors.notice_out(notice, today=today), "warnings": warnings})


@router.get("/notices", auth=django_auth, response={200: list[NoticeOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
            summary="Important-data notices with their application deadline")
def list_notices(request: HttpRequest, party: str | None = Query(None, max_length=63)):
    today = _shanghai_today()
    return [selectors.notice_out(n, today=today) for n in selectors.notices(user=request.user, party=party)]


@router.get("/reminders", auth=django_auth, response={200: list[ReminderOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
            summary="Reminders: windows and deadlines, 90 and 30 days before expiry, expired, to be filed again, "
                    "important-data applications due")
def list_reminders(request: HttpRequest, party: str | None = Query(None, max_length=63)):
    return [selectors.reminder_out(r) for r in selectors.reminders(user=request.user, party=party)]
