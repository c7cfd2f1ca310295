"""Data export API: /api/dataexport/assess."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import BeforeValidator, Field, StrictBool

from openftz.rulebook.schemas import ErrorOut

from . import rules

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
    ftz_registered: StrictBool = Field(..., description="registered in the FTZ")


class TransferIn(Schema):
    recipient_foreign_judicial_authority: StrictBool
    important_data: StrictBool = Field(..., description="holds data notified or published as important data")
    personal_info_people: Count = Field(..., ge=0, le=10**10, description="people, non-sensitive, cumulative since 1 January including this transfer")
    sensitive_personal_info_people: Count = Field(..., ge=0, le=10**10)
    collected_abroad_only: StrictBool
    purpose: Literal["contract", "hr", "emergency"] | None = None
    ftz_negative_list: Literal["off_list", "on_list"] | None = None
    judicial_approval: StrictBool = False


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
    pathway: Literal["prohibited", "security_assessment", "standard_contract_or_certification", "exempt"]
    cites: list[str]
    measures: list[str]
    trace: list[StepOut]
    obligations: list[dict[str, Any]]
    warnings: list[dict[str, Any]]


@router.post("/assess", response={200: AssessmentOut, 400: ErrorOut, 422: ErrorOut}, summary="Which pathway a transfer needs")
def assess(request: HttpRequest, payload: AssessIn):
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    return rules.assess_raw(payload.dict(), on=today)
