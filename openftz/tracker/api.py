"""Tracker API: /api/tracker/tasks, reports, risks, feedback, progress, cases.

Reads of the public view need no login; everything else uses the Django session (with CSRF) and the
same permission checks as the pages.
"""
from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.security import django_auth
from ninja.responses import Status
from pydantic import Field, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from openftz.core import jsonio
from openftz.core.errors import InvalidInput

from openftz.rulebook.schemas import ErrorOut

from . import rules, selectors, services
from .permissions import Action, require
from .schemas import (
    AnswerIn, CaseOut, DispositionIn, FeedbackIn, FeedbackOut, LinkIn, ProgressOut, RagCode, ReportIn, ReportOut, ReviewIn, RiskIn,
    RiskOut, StatusCode, TaskList, TaskOut, TaskPatch,
)

router = Router()
_LINKS = TypeAdapter(list[LinkIn])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class TaskFilters(Schema):
    measure: str | None = Field(None, max_length=16)
    unit: str | None = Field(None, max_length=100)
    status: StatusCode | None = None
    rag: RagCode | None = None
    chapter: int | None = Field(None, ge=1, le=99)


def _report_out(r) -> dict:
    return {
        "id": r.pk, "task": r.task_id, "measure": r.task.measure_id, "unit": r.task.unit.name, "author": r.author.username,
        "state": r.state, "status": r.status, "progress": r.progress, "narrative": r.narrative, "submitted_at": r.submitted_at,
        "review_comment": r.review_comment,
        "evidence": [
            {"kind": "file" if e.sha256 else "link", "name": e.file_name or e.title or e.url, "sha256": e.sha256 or None,
             "size": e.size if e.sha256 else None, "url": e.url or None, "doc_number": e.doc_number or None,
             "download": reverse("tracker:evidence", args=[e.pk]) if e.sha256 else None}
            for e in r.evidence.all()
        ],
    }


def _risk_out(r) -> dict:
    return {"id": r.pk, "measure": r.measure_id, "title": r.title, "description": r.description, "likelihood": r.likelihood,
            "impact": r.impact, "score": r.score, "early_warning": r.early_warning, "disposition": r.disposition or None,
            "disposition_reason": r.disposition_reason}


def _feedback_out(f) -> dict:
    return {"id": f.pk, "measure": f.measure_id, "kind": f.kind, "text": f.text, "answer": f.answer or None,
            "published": f.published, "created_at": f.created_at}


@router.get("/progress", response={200: ProgressOut}, summary="Public progress of every measure")
def progress(request: HttpRequest):
    data = selectors.measure_progress()
    sh = [p for p in data.values() if p.plan == "SH"]
    return {
        "overall": rules.rollup((p.progress, 1.0) for p in sh if p.status != "terminated"),
        "measures": [{"id": p.id, "plan": p.plan, "progress": p.progress, "status": p.status, "rag": p.rag, "due": p.due,
                      "units": p.units, "implemented_by": p.children} for p in data.values()],
    }


@router.get("/tasks", auth=django_auth, response={200: TaskList, **ERRORS}, summary="Tasks you may see")
def list_tasks(request: HttpRequest, filters: Query[TaskFilters]):
    rows = [selectors.task_as_dict(t) for t in selectors.tasks(user=request.user, **filters.dict())]
    return {"count": len(rows), "tasks": rows}


@router.get("/tasks/{task_id}", auth=django_auth, response={200: TaskOut, **ERRORS}, summary="One task")
def get_task(request: HttpRequest, task_id: int):
    task = selectors.task_get(task_id)
    require(request.user, Action.VIEW_TASK, task)
    return selectors.task_as_dict(task)


@router.patch("/tasks/{task_id}", auth=django_auth, response={200: TaskOut, **ERRORS}, summary="Change status, progress or deadline")
def patch_task(request: HttpRequest, task_id: int, payload: TaskPatch):
    task = selectors.task_get(task_id)
    changes = payload.dict(exclude_unset=True)
    note = changes.pop("note", "")
    if "due" in changes:
        changes["due"] = payload.due
    task = services.task_update(actor=request.user, task=task, note=note, **changes)
    return selectors.task_as_dict(selectors.task_get(task.pk))


@router.get("/tasks/{task_id}/reports", auth=django_auth, response={200: list[ReportOut], **ERRORS}, summary="A task's reports")
def task_reports(request: HttpRequest, task_id: int):
    task = selectors.task_get(task_id)
    require(request.user, Action.VIEW_TASK, task)
    return [_report_out(r) for r in selectors.task_reports(task)]


@router.post("/tasks/{task_id}/reports", auth=django_auth, response={201: ReportOut, **ERRORS}, summary="File a progress report")
def submit_report(request: HttpRequest, task_id: int, payload: Form[ReportIn], files: File[list[UploadedFile]] = None):
    task = selectors.task_get(task_id)
    try:
        parsed = _LINKS.validate_python(jsonio.loads(payload.links))
    except jsonio.InvalidJSON as exc:  # a form field that holds bad JSON: the field is invalid (422), as below
        raise InvalidInput("文件链接格式无效", "links must be a JSON array of {url, doc_number, title}",
                           details=[exc.as_dict()]) from None
    except PydanticValidationError as exc:
        raise InvalidInput("文件链接格式无效", "links must be a JSON array of {url, doc_number, title}",
                           details=exc.errors(include_url=False, include_context=False)) from None
    uploads = [services.Upload(f.name or "evidence", f.read(), f.content_type or "") for f in files or []]
    links = [services.DocumentLink(str(link.url), link.doc_number, link.title) for link in parsed]
    report = services.report_submit(actor=request.user, task=task, narrative=payload.narrative, progress=payload.progress,
                                    status=payload.status, files=uploads, links=links)
    return Status(201, _report_out(selectors.report_get(report.pk)))


@router.post("/reports/{report_id}/review", auth=django_auth, response={200: ReportOut, **ERRORS}, summary="Accept or return a report")
def review_report(request: HttpRequest, report_id: int, payload: ReviewIn):
    report = services.report_review(actor=request.user, report=selectors.report_get(report_id), accept=payload.accept,
                                    comment=payload.comment)
    return _report_out(selectors.report_get(report.pk))


@router.get("/risks", auth=django_auth, response={200: list[RiskOut], **ERRORS}, summary="The risk register")
def list_risks(request: HttpRequest, measure: str | None = None):
    require(request.user, Action.VIEW_RISKS)
    return [_risk_out(r) for r in selectors.risks(user=request.user, measure=measure)]


@router.post("/risks", auth=django_auth, response={201: RiskOut, **ERRORS}, summary="Enter a risk")
def raise_risk(request: HttpRequest, payload: RiskIn):
    risk = services.risk_raise(actor=request.user, measure=selectors.measure_get(payload.measure), title=payload.title,
                               likelihood=payload.likelihood, impact=payload.impact, description=payload.description)
    return Status(201, _risk_out(risk))


@router.post("/risks/{risk_id}/disposition", auth=django_auth, response={200: RiskOut, **ERRORS}, summary="Adjust, suspend or terminate")
def dispose_risk(request: HttpRequest, risk_id: int, payload: DispositionIn):
    risk = services.risk_dispose(actor=request.user, risk=selectors.risk_get(risk_id), disposition=payload.disposition,
                                 reason=payload.reason)
    return _risk_out(risk)


@router.get("/feedback", response={200: list[FeedbackOut]}, summary="Feedback you may see (anonymous: the published)")
def list_feedback(request: HttpRequest):
    return [_feedback_out(f) for f in selectors.feedback_for(request.user)[:500]]


@router.post("/feedback", auth=django_auth, response={201: FeedbackOut, **ERRORS}, summary="Ask a question or give an opinion")
def ask_feedback(request: HttpRequest, payload: FeedbackIn):
    feedback = services.feedback_ask(actor=request.user, measure=selectors.measure_get(payload.measure), kind=payload.kind,
                                     text=payload.text)
    return Status(201, _feedback_out(feedback))


@router.post("/feedback/{feedback_id}/answer", auth=django_auth, response={200: FeedbackOut, **ERRORS}, summary="Answer feedback")
def answer_feedback(request: HttpRequest, feedback_id: int, payload: AnswerIn):
    feedback = services.feedback_answer(actor=request.user, feedback=selectors.feedback_get(feedback_id), answer=payload.answer,
                                        publish=payload.publish)
    return _feedback_out(feedback)


@router.get("/cases", response={200: list[CaseOut]}, summary="Innovation cases, ranked (SH-117)")
def list_cases(request: HttpRequest):
    out = []
    for position, (case, rank) in enumerate(selectors.cases_ranked(), start=1):
        out.append({"id": case.pk, "title": case.title, "organisation": case.organisation,
                    "measures": [m.id for m in case.measures.all()], "rank": position if rank else None,
                    "mean_total": rank.mean_total if rank else None, "reviewers": rank.reviewers if rank else 0})
    return out

