"""Records API: submit a signed instruction; read a record, its history and its exported copy (history bundle)."""
from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Body, Query, Router, Schema, Status
from pydantic import Field

from openftz.rulebook.schemas import ErrorOut

from . import selectors, services
from .schemas import HistoryOut, InstructionBatchIn, InstructionBatchOut, InstructionIn, RecordList, RecordOut

router = Router()


class RecordFilters(Schema):
    kind: Literal["ebl", "ewr"] | None = None
    holder: str | None = Field(None, max_length=63, description="party id of the person in control")


@router.post("/instructions", response={200: RecordOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
             summary="Carry out a signed instruction")
def instruct(request: HttpRequest, body: InstructionIn):
    record = services.record_instruct(instruction=body.instruction.model_dump(), signature=body.signature)
    return selectors.record_as_dict(record)


@router.post("/instructions/batch", response={200: InstructionBatchOut, 400: ErrorOut, 422: ErrorOut},
             summary="Carry out signed instructions in order, in one transaction (group commit)")
def instruct_batch(request: HttpRequest, body: InstructionBatchIn):
    """Each instruction is decided on the state its predecessors left; a refused one gets its error in its place and
    writes nothing, the others go on. All accepted events share one signed tree head."""
    results = services.record_instruct_batch(
        envelopes=[(e.instruction.model_dump(), e.signature) for e in body.envelopes])
    return selectors.batch_results_as_dict(results)


@router.post("/pint/v3/envelopes", response={200: str, 201: dict[str, Any], 400: ErrorOut, 422: str | ErrorOut},
             summary="Start a DCSA PINT 3.0 envelope transfer (answer: a JWS-signed response code, or 201 asking for documents)")
def pint_envelope(request: HttpRequest, envelope: dict[str, Any] = Body(...)):
    """RECE or DUPE with 200, BSIG or BENV with 422, each as a JWS signed with the registry's platform key whose payload
    is DCSA's EnvelopeTransferFinishedResponse. On RECE the record is taken in, the recipient in control. When the
    manifest announces additional documents this platform does not hold, 201 with the EnvelopeTransferStartedResponse:
    the sender transfers them, then finishes the transfer."""
    answer = services.pint_receive(envelope=envelope)
    return Status(answer.status, answer.started if answer.started is not None else answer.signed_response)


@router.put("/pint/v3/envelopes/{reference}/additional-documents/{checksum}",
            response={204: None, 400: ErrorOut, 404: ErrorOut, 409: str, 422: ErrorOut},
            summary="Transfer one additional document of a started PINT envelope transfer (body: the document in base64)")
def pint_additional_document(request: HttpRequest, reference: str, checksum: str, content: str = Body(...)):
    """204 when the document is the one the signed manifest announced (SHA-256 and size); else 409 with a signed
    INCD, which leaves the transfer open for the right document."""
    answer = services.pint_document_receive(reference=reference, checksum=checksum, content=content)
    return Status(204, None) if answer is None else Status(answer.status, answer.signed_response)


@router.put("/pint/v3/envelopes/{reference}/finish-transfer", response={200: str, 400: ErrorOut, 404: ErrorOut, 409: str, 422: str},
            summary="Finish a started PINT envelope transfer (answer: RECE/DUPE, MDOC with the missing documents, BSIG/BENV)")
def pint_finish_transfer(request: HttpRequest, reference: str):
    answer = services.pint_finish(reference=reference)
    return Status(answer.status, answer.signed_response)


class IdentifyingCode(Schema):
    codeListProvider: str = Field(..., max_length=100)
    partyCode: str = Field(..., max_length=150)
    codeListName: str | None = Field(None, max_length=100)


class ReceiverValidationOut(Schema):
    partyName: str


@router.post("/pint/v3/receiver-validation", response={200: ReceiverValidationOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
             summary="Name the party of this platform that a DCSA identifying code denotes (PINT receiver validation)")
def pint_receiver_validation(request: HttpRequest, code: IdentifyingCode):
    party = services.pint_receiver(code=code.model_dump(exclude_none=True))
    return {"partyName": (party.name_en or party.name_zh)[:100]}


@router.get("/", response={200: RecordList, 422: ErrorOut}, summary="Records")
def list_records(request: HttpRequest, filters: Query[RecordFilters]):
    rows = [selectors.record_as_dict(r, with_document=False) for r in selectors.records(**filters.dict())]
    return {"count": len(rows), "records": rows}


@router.get("/{record_id}", response={200: RecordOut, 404: ErrorOut}, summary="One record (the authoritative one)")
def get_record(request: HttpRequest, record_id: str):
    return selectors.record_as_dict(selectors.record_get(record_id))


@router.get("/{record_id}/history", response={200: HistoryOut, 404: ErrorOut}, summary="A record's signed events")
def history(request: HttpRequest, record_id: str):
    record = selectors.record_get(record_id)
    integrity = selectors.record_integrity(record)
    return {"record": selectors.record_as_dict(record, with_document=False),
            "events": [selectors.event_as_dict(e) for e in selectors.record_events(record)],
            "integrity_problems": integrity.problems, "state_mismatches": integrity.state_mismatches}


@router.get("/{record_id}/dcsa-transactions", response={200: dict[str, Any], 404: ErrorOut},
            summary="The record's endorsement chain as DCSA eBL 3.0 transactions")
def dcsa_transactions(request: HttpRequest, record_id: str):
    return selectors.record_dcsa_transactions(selectors.record_get(record_id))


@router.get("/{record_id}/pint-envelope", response={200: dict[str, Any], 404: ErrorOut},
            summary="The DCSA PINT envelope with which the record was sent to another platform")
def pint_envelope_out(request: HttpRequest, record_id: str):
    return selectors.record_outbound_envelope(selectors.record_get(record_id))


@router.get("/{record_id}/bundle", response={200: dict[str, Any], 404: ErrorOut},
            summary="A copy of the record's history with inclusion proofs, for offline verification")
def bundle(request: HttpRequest, record_id: str):
    return selectors.record_bundle(selectors.record_get(record_id))
