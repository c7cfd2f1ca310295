"""E-invoice API: ``POST /api/einvoice/validate`` (upload one UBL document, get its validation)."""
from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile

from openftz.core.errors import InvalidInput
from openftz.rulebook.schemas import ErrorOut

from .parse import UnreadableDocument
from .schemas import ValidationOut
from .validate import max_document_bytes, validate_bytes

router = Router()


class RulesIn(Schema):
    rules: Literal["auto", "en16931", "peppol"] = "auto"


@router.post("/validate", response={200: ValidationOut, 400: ErrorOut, 413: ErrorOut, 422: ErrorOut},
             summary="Validate one UBL invoice or credit note (EN 16931, Peppol BIS 3.0)")
def validate(request: HttpRequest, document: File[UploadedFile], params: Query[RulesIn]):
    """The same object as one line of ``openftz einvoice validate --format jsonl``; an unreadable document is a 4xx."""
    limit = max_document_bytes()
    if document.size is not None and document.size > limit:
        raise InvalidInput(f"文件超过 {limit} 字节上限", f"the document exceeds the limit of {limit} bytes",
                           code="too_large", status=413, details={"rule": "OPENFTZ-SIZE"})
    result = validate_bytes(document.read(limit + 1), rules=params.rules, max_bytes=limit)
    if not result["readable"]:
        finding = result["findings"][0]
        raise UnreadableDocument(finding["rule"], finding["message_zh"], finding["message"])
    return {"file": document.name or "document.xml", **result}


# registration and the single window's exchange (the exchange engineer's routes)
from .api_exchange import router as _exchange_router  # noqa: E402

router.add_router("", _exchange_router)
