"""GET /api/work/ — the signed-in user's work items across the services (401 for anyone else)."""
from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.security import django_auth

from . import selectors
from .schemas import ErrorOut, WorkOut

router = Router()


@router.get("/", auth=django_auth, response={200: WorkOut, 401: ErrorOut}, summary="My work: what waits for you",
            description="Tasks, reports, invoices, challenges, debriefings, approvals and records waiting for the "
                        "signed-in user, overdue first and then by deadline (Asia/Shanghai dates).")
def work(request: HttpRequest):
    return selectors.work_as_dict(selectors.work(request.user))
