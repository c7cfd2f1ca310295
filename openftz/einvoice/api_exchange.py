"""E-invoice API, registration and exchange: ``/api/einvoice/registrations``, ``/send``, ``/inbox``, ``/outbox``,
``/messages/{id}`` and ``/messages/{id}/responses``. Writes need a session (CSRF token) of an enterprise user
linked to a party; a user sees only its party's messages. Mounted under the e-invoice router."""
from __future__ import annotations

import uuid

from django.http import HttpRequest
from ninja import File, Path, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status
from ninja.security import django_auth

from openftz.core.errors import InvalidInput
from openftz.rulebook.schemas import ErrorOut

from . import selectors, services
from .permissions import require_party
from .responses import Clarification
from .schemas_exchange import MessageDetailOut, MessageOut, ReceiptOut, RespondIn, ResponseOut, SendIn
from .validate import max_document_bytes

router = Router()
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut}


def _upload(document: UploadedFile, limit: int) -> bytes:
    if document.size is not None and document.size > limit:
        raise InvalidInput(f"文件超过 {limit} 字节上限", f"the document exceeds the limit of {limit} bytes",
                           code="too_large", status=413, details={"rule": "OPENFTZ-SIZE"})
    data = document.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(f"文件超过 {limit} 字节上限", f"the document exceeds the limit of {limit} bytes",
                           code="too_large", status=413, details={"rule": "OPENFTZ-SIZE"})
    return data


@router.post("/registrations", auth=django_auth, response={200: ReceiptOut, 201: ReceiptOut, **ERRORS},
             summary="Register an invoice's exact bytes on the ledger (SM3, SHA-256 and key facts)", by_alias=True)
def register(request: HttpRequest, document: File[UploadedFile]):
    """201 with the receipt (ledger entry, inclusion proof, signed tree head) for new bytes; 200 with the first
    registration's receipt for bytes registered before."""
    record, created = services.invoice_register(data=_upload(document, max_document_bytes()), actor=request.user)
    return Status(201 if created else 200, selectors.receipt(record))


@router.get("/registrations/{sha256}", response={200: ReceiptOut, **ERRORS}, by_alias=True,
            summary="Whether the bytes with this SHA-256 are registered: the registration and its receipt")
def registration(request: HttpRequest, sha256: str = Path(..., pattern=r"^[0-9a-fA-F]{64}$")):
    return selectors.receipt(selectors.registration_get(sha256))


@router.post("/send", auth=django_auth, response={201: MessageDetailOut, **ERRORS},
             summary="Send an invoice (UBL, or a Peppol StandardBusinessDocument) through the single window")
def send(request: HttpRequest, document: File[UploadedFile], params: Query[SendIn]):
    """The receiver's inbox answers at once: a Message Level Response (AP, or RE with the validation errors) and,
    for an invoice it can process, an Invoice Response AB. A bad envelope is a 4xx and writes nothing."""
    require_party(request.user)
    data = _upload(document, max_document_bytes() + services.ENVELOPE_MARGIN)
    message = services.message_send(actor=request.user, document=data, receiver_id=params.receiver)
    return Status(201, selectors.message_as_dict(selectors.message_get(message.pk), detail=True))


@router.get("/inbox", auth=django_auth, response={200: list[MessageOut], **ERRORS}, summary="Messages your party received")
def inbox(request: HttpRequest):
    return [selectors.message_as_dict(m) for m in selectors.inbox(require_party(request.user))]


@router.get("/outbox", auth=django_auth, response={200: list[MessageOut], **ERRORS},
            summary="Messages your party sent, each with its status")
def outbox(request: HttpRequest):
    return [selectors.message_as_dict(m) for m in selectors.outbox(require_party(request.user))]


@router.get("/messages/{message_id}", auth=django_auth, response={200: MessageDetailOut, **ERRORS},
            summary="One message: envelope facts, findings and every response (as UBL XML)")
def message(request: HttpRequest, message_id: uuid.UUID):
    return selectors.message_as_dict(selectors.message_for(request.user, message_id), detail=True)


@router.post("/messages/{message_id}/responses", auth=django_auth, response={201: ResponseOut, **ERRORS},
             summary="Answer an invoice your party received with a Peppol Invoice Response")
def respond(request: HttpRequest, message_id: uuid.UUID, payload: RespondIn):
    """Accept (AP), reject (RE with a reason code), mark paid (PD) or another status, in the order Peppol BIS
    Invoice Response 3.1 prescribes (409 otherwise); only the receiving party may answer (403)."""
    clarifications = tuple(
        Clarification(c.list_id, c.code, c.text.strip(), tuple((d.attribute, d.value.strip()) for d in c.conditions))
        for c in payload.clarifications)
    response = services.message_respond(actor=request.user, message_id=message_id, code=payload.code,
                                        clarifications=clarifications, note=payload.note.strip())
    return Status(201, selectors.response_as_dict(response))
