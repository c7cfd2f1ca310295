"""Procurement API under /api/procurement/: the check of OCDS data (``POST /check``), and the workflow — procedures
(OCDS), challenges, debriefings, debarments, audit.

Published procedures and their OCDS packages are public; everything else uses the Django session (with CSRF) and
the checks of ``permissions.py``. Errors are ``{code, message_zh, message_en, details}``; a refused request writes
nothing (except a refused deletion, which is itself written to the audit trail).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import File, Form, Path, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status
from ninja.security import django_auth

from openftz.core.parameters import parameter
from openftz.rulebook.schemas import ErrorOut

from . import checking, selectors, services
from .permissions import Action, require
from .schemas import (OCID, SLUG, AnswerIn, AuditOut, ChallengeIn, CheckOut, ChallengeOut, ConfidentialIn, DebarmentIn, DebarmentOut,
                      DebriefingIn, DebriefingOut, DecideIn, EndIn, ExclusionIn, ExclusionOut, FindingOut, ProcedureIn,
                      ProcedureOut, ProcedureSummary, ReleaseIn, ReleaseRef, RouteIn, StatementIn, WithdrawIn)

router = Router()
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
OcidPath = Path(..., pattern=OCID)
IdPath = Path(..., ge=1, le=2**31 - 1)


def procedure_out(p) -> dict:
    return {"ocid": p.ocid, "title": p.title, "title_en": p.title_en, "method": p.method, "stage": p.stage,
            "entity": {"id": p.entity_id, "name_zh": p.entity.name_zh, "name_en": p.entity.name_en},
            "started_on": p.started_on, "ended_on": p.ended_on, "retain_until": p.retain_until,
            "exclusion_grounds_stated": p.exclusion_grounds_stated, "demo": p.is_demo,
            "releases": [{"id": r.release_id, "date": r.data["date"], "tag": r.tags} for r in p.releases.order_by("seq")],
            "compiled": p.compiled}


def challenge_out(c) -> dict:
    return {"id": c.pk, "ocid": c.procedure.ocid, "supplier": c.supplier_id, "grounds": c.grounds, "knew_on": c.knew_on,
            "evidence": c.evidence, "filed_at": c.filed_at, "deadline": c.deadline, "late": c.late, "status": c.status,
            "entity_statement": c.entity_statement, "routing_reason": c.routing_reason, "decision_text": c.decision_text,
            "decided_on": c.decided_on, "demo": c.is_demo,
            "evidence_files": [{"id": e.pk, "file_name": e.file_name, "content_type": e.content_type, "size": e.size,
                                "sha256": e.sha256} for e in c.evidence_files.defer("content")]}


def debriefing_out(d) -> dict:
    return {"id": d.pk, "ocid": d.procedure.ocid, "supplier": d.supplier_id, "question": d.question, "requested_at": d.requested_at,
            "due_on": d.due_on, "answer": d.answer, "answered_on": d.answered_on, "overdue": selectors.is_overdue(d),
            "demo": d.is_demo}


def debarment_out(d) -> dict:
    return {"id": d.pk, "supplier": d.supplier_id, "entity": d.entity_id, "contract_reference": d.contract_reference,
            "breach_on": d.breach_on, "decided_on": d.decided_on, "grounds": d.grounds, "material": d.material,
            "remedied": d.remedied, "demo": d.is_demo}


def audit_out(e) -> dict:
    return {"at": e.at, "actor": e.actor_name, "action": e.action, "object_type": e.object_type, "object_id": e.object_id,
            "ocid": e.ocid, "via": e.via, "details": e.details}


# — procedures

@router.get("/procedures", response={200: list[ProcedureSummary], **ERRORS}, summary="Published procedures")
def list_procedures(request: HttpRequest, method: Literal["open", "selective", "limited"] | None = None,
                    stage: Literal["tender", "award", "contract", "ended"] | None = None,
                    entity: str | None = Query(None, pattern=SLUG)):
    return [{"ocid": p.ocid, "title": p.title, "title_en": p.title_en, "method": p.method, "stage": p.stage,
             "entity": p.entity_id, "started_on": p.started_on, "demo": p.is_demo}
            for p in selectors.procedures(method=method, stage=stage, entity=entity)]


@router.get("/procedures/{ocid}", response={200: ProcedureOut, **ERRORS}, summary="One procedure: its releases and compiled release")
def get_procedure(request: HttpRequest, ocid: str = OcidPath):
    return procedure_out(selectors.procedure(ocid))


@router.get("/procedures/{ocid}/package", response={200: dict[str, Any], **ERRORS},
            summary="The procedure as an OCDS 1.1 release package or record package")
def procedure_package(request: HttpRequest, ocid: str = OcidPath, kind: Literal["release", "record"] = "record"):
    return selectors.procedure_package(selectors.procedure(ocid), kind, base_url=request.build_absolute_uri("/"))


@router.post("/procedures", auth=django_auth, response={201: ProcedureOut, **ERRORS}, summary="Register a procedure (its tender notice)")
def create_procedure(request: HttpRequest, payload: ProcedureIn):
    procedure = services.procedure_create(actor=request.user, via="api", **services.procedure_kwargs(payload.model_dump()))
    return Status(201, procedure_out(procedure))


@router.post("/procedures/{ocid}/releases", auth=django_auth, response={201: ReleaseRef, **ERRORS},
             summary="Publish the next stage as a new OCDS release")
def add_release(request: HttpRequest, payload: ReleaseIn, ocid: str = OcidPath):
    release = services.procedure_release_add(actor=request.user, procedure=selectors.procedure(ocid), tag=payload.tag,
                                             tender=payload.tender, awards=payload.awards, contracts=payload.contracts,
                                             tenderers=payload.tenderers, via="api")
    return Status(201, {"id": release.release_id, "date": release.data["date"], "tag": release.tags})


@router.post("/procedures/{ocid}/end", auth=django_auth, response={200: ProcedureOut, **ERRORS},
             summary="End the procedure (its records are then kept 15 years, SH-81)")
def end_procedure(request: HttpRequest, payload: EndIn, ocid: str = OcidPath):
    procedure = services.procedure_end(actor=request.user, procedure=selectors.procedure(ocid), status=payload.status,
                                       ended_on=payload.ended_on, via="api")
    return procedure_out(procedure)


@router.post("/procedures/{ocid}/confidential", auth=django_auth, response={201: dict[str, Any], **ERRORS},
             summary="Mark a passage of a supplier's tender as its trade secret (SH-80)")
def mark_confidential(request: HttpRequest, payload: ConfidentialIn, ocid: str = OcidPath):
    item = services.confidential_mark(actor=request.user, procedure=selectors.procedure(ocid), supplier_id=payload.supplier,
                                      text=payload.text, note=payload.note, via="api")
    return Status(201, {"id": item.pk, "supplier": item.supplier_id, "text": item.text})


@router.post("/procedures/{ocid}/exclusions", auth=django_auth, response={201: ExclusionOut, **ERRORS},
             summary="Exclude a registered supplier from the procedure, where SH-78 allows it")
def exclude_supplier(request: HttpRequest, payload: ExclusionIn, ocid: str = OcidPath):
    exclusion = services.supplier_exclude(actor=request.user, procedure=selectors.procedure(ocid),
                                          debarment=selectors.debarment(payload.debarment), via="api")
    return Status(201, {"id": exclusion.pk, "ocid": ocid, "supplier": exclusion.supplier_id, "debarment": exclusion.debarment_id,
                        "findings": exclusion.findings})


@router.delete("/procedures/{ocid}", auth=django_auth, response={204: None, **ERRORS},
               summary="Delete a procedure and its records: refused (409) until 15 years after it ended")
def delete_procedure(request: HttpRequest, ocid: str = OcidPath):
    services.record_delete(actor=request.user, obj=selectors.procedure(ocid), via="api")
    return Status(204, None)


# — challenges

@router.get("/challenges", auth=django_auth, response={200: list[ChallengeOut], **ERRORS}, summary="Challenges you may see")
def list_challenges(request: HttpRequest,
                    status: Literal["filed", "accepted", "rejected_late", "rejected_inadmissible", "upheld", "dismissed",
                                    "withdrawn"] | None = None,
                    ocid: str | None = Query(None, pattern=OCID)):
    require(request.user, Action.VIEW_CHALLENGE)
    return [challenge_out(c) for c in selectors.challenges(request.user, status=status, ocid=ocid)]


@router.post("/challenges", auth=django_auth, response={201: ChallengeOut, **ERRORS},
             summary="File a challenge (SH-86: within 10 days of knowing; a late one is recorded as late)")
def file_challenge(request: HttpRequest, payload: ChallengeIn):
    challenge = services.challenge_file(actor=request.user, procedure=selectors.procedure(payload.ocid), grounds=payload.grounds,
                                        knew_on=payload.knew_on, evidence=payload.evidence, via="api")
    return Status(201, challenge_out(challenge))


def _challenge(request, challenge_id: int):
    challenge = selectors.challenge(challenge_id)
    require(request.user, Action.VIEW_CHALLENGE, challenge)
    return challenge


@router.get("/challenges/{challenge_id}", auth=django_auth, response={200: ChallengeOut, **ERRORS}, summary="One challenge")
def get_challenge(request: HttpRequest, challenge_id: int = IdPath):
    return challenge_out(_challenge(request, challenge_id))


@router.post("/challenges/{challenge_id}/route", auth=django_auth, response={200: ChallengeOut, **ERRORS},
             summary="The review body accepts a challenge for review or rejects it (SH-85)")
def route_challenge(request: HttpRequest, payload: RouteIn, challenge_id: int = IdPath):
    challenge = services.challenge_route(actor=request.user, challenge=_challenge(request, challenge_id), action=payload.action,
                                         reason=payload.reason, via="api")
    return challenge_out(challenge)


@router.post("/challenges/{challenge_id}/decide", auth=django_auth, response={200: ChallengeOut, **ERRORS},
             summary="The review body decides: upheld or dismissed (SH-85)")
def decide_challenge(request: HttpRequest, payload: DecideIn, challenge_id: int = IdPath):
    challenge = services.challenge_decide(actor=request.user, challenge=_challenge(request, challenge_id), outcome=payload.outcome,
                                          decision_text=payload.decision_text, decided_on=payload.decided_on, via="api")
    return challenge_out(challenge)


@router.post("/challenges/{challenge_id}/statement", auth=django_auth, response={200: ChallengeOut, **ERRORS},
             summary="The procuring entity's statement on a challenge against it")
def challenge_statement(request: HttpRequest, payload: StatementIn, challenge_id: int = IdPath):
    challenge = services.challenge_statement(actor=request.user, challenge=_challenge(request, challenge_id),
                                             statement=payload.statement, via="api")
    return challenge_out(challenge)


@router.post("/challenges/{challenge_id}/withdraw", auth=django_auth, response={200: ChallengeOut, **ERRORS},
             summary="The supplier withdraws its challenge")
def withdraw_challenge(request: HttpRequest, payload: WithdrawIn, challenge_id: int = IdPath):
    challenge = services.challenge_withdraw(actor=request.user, challenge=_challenge(request, challenge_id), reason=payload.reason,
                                            via="api")
    return challenge_out(challenge)


@router.post("/challenges/{challenge_id}/evidence", auth=django_auth, response={200: ChallengeOut, **ERRORS},
             summary="The supplier adds evidence files (PDF, PNG, JPEG, UTF-8 text) to its open challenge")
def add_evidence(request: HttpRequest, files: File[list[UploadedFile]], challenge_id: int = IdPath):
    challenge = _challenge(request, challenge_id)
    limit = parameter("procurement", "evidence_max_bytes").at(challenge.filed_on)
    uploads = [services.Upload(f.name or "evidence", f.read(limit + 1)) for f in files]
    services.challenge_evidence_add(actor=request.user, challenge=challenge, uploads=uploads, via="api")
    return challenge_out(selectors.challenge(challenge_id))


@router.delete("/challenges/{challenge_id}", auth=django_auth, response={204: None, **ERRORS},
               summary="Delete a challenge: refused (409) while its procedure's records are kept")
def delete_challenge(request: HttpRequest, challenge_id: int = IdPath):
    services.record_delete(actor=request.user, obj=_challenge(request, challenge_id), via="api")
    return Status(204, None)


# — debriefings

@router.get("/debriefings", auth=django_auth, response={200: list[DebriefingOut], **ERRORS}, summary="Debriefing requests you may see")
def list_debriefings(request: HttpRequest, overdue: bool | None = None, ocid: str | None = Query(None, pattern=OCID)):
    require(request.user, Action.VIEW_DEBRIEFING)
    return [debriefing_out(d) for d in selectors.debriefings(request.user, overdue=overdue, ocid=ocid)]


@router.post("/debriefings", auth=django_auth, response={201: DebriefingOut, **ERRORS},
             summary="An unsuccessful supplier asks why its tender was not selected (SH-80)")
def request_debriefing(request: HttpRequest, payload: DebriefingIn):
    debriefing = services.debriefing_request(actor=request.user, procedure=selectors.procedure(payload.ocid),
                                             question=payload.question, via="api")
    return Status(201, debriefing_out(debriefing))


def _debriefing(request, debriefing_id: int):
    debriefing = selectors.debriefing(debriefing_id)
    require(request.user, Action.VIEW_DEBRIEFING, debriefing)
    return debriefing


@router.get("/debriefings/{debriefing_id}", auth=django_auth, response={200: DebriefingOut, **ERRORS}, summary="One request")
def get_debriefing(request: HttpRequest, debriefing_id: int = IdPath):
    return debriefing_out(_debriefing(request, debriefing_id))


@router.post("/debriefings/{debriefing_id}/check", auth=django_auth, response={200: list[FindingOut], **ERRORS},
             summary="Which other suppliers' trade secrets a draft answer would disclose")
def check_answer(request: HttpRequest, payload: AnswerIn, debriefing_id: int = IdPath):
    debriefing = _debriefing(request, debriefing_id)
    require(request.user, Action.ANSWER_DEBRIEFING, debriefing)
    return [f.as_dict() for f in services.debriefing_check(debriefing=debriefing, answer=payload.answer)]


@router.post("/debriefings/{debriefing_id}/answer", auth=django_auth, response={200: DebriefingOut, **ERRORS},
             summary="The procuring entity answers (refused if it discloses a trade secret)")
def answer_debriefing(request: HttpRequest, payload: AnswerIn, debriefing_id: int = IdPath):
    debriefing = services.debriefing_answer(actor=request.user, debriefing=_debriefing(request, debriefing_id),
                                            answer=payload.answer, via="api")
    return debriefing_out(debriefing)


@router.delete("/debriefings/{debriefing_id}", auth=django_auth, response={204: None, **ERRORS},
               summary="Delete a debriefing: refused (409) while its procedure's records are kept")
def delete_debriefing(request: HttpRequest, debriefing_id: int = IdPath):
    services.record_delete(actor=request.user, obj=_debriefing(request, debriefing_id), via="api")
    return Status(204, None)


# — the debarment register

@router.get("/debarments", auth=django_auth, response={200: list[DebarmentOut], **ERRORS}, summary="The debarment register")
def list_debarments(request: HttpRequest, supplier: str | None = Query(None, pattern=SLUG)):
    require(request.user, Action.VIEW_DEBARMENTS)
    return [debarment_out(d) for d in selectors.debarments(request.user, supplier=supplier)]


@router.post("/debarments", auth=django_auth, response={201: DebarmentOut, **ERRORS},
             summary="Register a supplier's material breach of a procurement contract (SH-78)")
def record_debarment(request: HttpRequest, payload: DebarmentIn):
    debarment = services.debarment_record(actor=request.user, supplier_id=payload.supplier, entity_id=payload.entity,
                                          contract_reference=payload.contract_reference, breach_on=payload.breach_on,
                                          decided_on=payload.decided_on, grounds=payload.grounds, material=payload.material,
                                          remedied=payload.remedied, via="api")
    return Status(201, debarment_out(debarment))


@router.get("/debarments/{debarment_id}", auth=django_auth, response={200: DebarmentOut, **ERRORS}, summary="One register entry")
def get_debarment(request: HttpRequest, debarment_id: int = IdPath):
    debarment = selectors.debarment(debarment_id)
    require(request.user, Action.VIEW_DEBARMENTS, debarment)
    return debarment_out(debarment)


@router.get("/audit", auth=django_auth, response={200: list[AuditOut], **ERRORS}, summary="The audit trail")
def audit(request: HttpRequest, ocid: str | None = Query(None, pattern=OCID), limit: int = Query(200, ge=1, le=1000)):
    require(request.user, Action.VIEW_AUDIT)
    return [audit_out(e) for e in selectors.audit(request.user, ocid=ocid, limit=limit)]


# — the check of OCDS data

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
