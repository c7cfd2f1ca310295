"""Procurement API: ``POST /api/procurement/check`` — upload OCDS data, get the findings per release."""
from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import File, Form, Router
from ninja.files import UploadedFile

from openftz.rulebook.schemas import ErrorOut

from . import checking
from .schemas import CheckOut

router = Router()


@router.post("/check", response={200: CheckOut, 413: ErrorOut, 422: ErrorOut},
             summary="Check OCDS data against the zone's procurement rules (SH-71…SH-86)")
def check(request: HttpRequest, file: File[UploadedFile], on: Form[dt.date | None] = None):
    """Upload JSON Lines of releases, records or packages, or one JSON document.

    Answers the findings per compiled release and the lines that could not be used (`errors`); 422 with those
    lines' errors in `details` when none could be read; `on` picks the day whose rules apply (default today,
    Asia/Shanghai).
    """
    report = checking.check_upload(file, on=on)
    return report.as_dict()
