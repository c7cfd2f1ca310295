"""The one django-ninja API of OpenFTZ: each app's router under /api/<app>/, docs at /api/docs.

Every JSON body is read by ``openftz.core.jsonio.loads`` (the parser below), so bad JSON is a 400 of the error
schema with its own code; a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413 of the error schema on every route
(here wherever the body is read, and in ``openftz.core.limits.BodyLimitMiddleware`` when the Content-Length says so).
"""
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from openftz.core import jsonio
from openftz.core.errors import OpenFTZError
from openftz.core.limits import body_too_large
from openftz.ledger.api import router as ledger_router
from openftz.parties.api import router as parties_router
from openftz.records.api import router as records_router
from openftz.dataexport.api import router as dataexport_router
from openftz.einvoice.api import router as einvoice_router
from openftz.procurement.api import router as procurement_router
from openftz.rulebook.api import router as rulebook_router
from openftz.tracker.api import router as tracker_router
from openftz.workspace.api import router as workspace_router


class JSONParser(Parser):
    """django-ninja's body parser, through the project's one JSON reader."""

    def parse_body(self, request: HttpRequest):
        return jsonio.loads(request.body)


api = NinjaAPI(
    title="OpenFTZ API",
    version="1",
    description="Shanghai FTZ institutional opening: the rulebook of the State Council plan (国发〔2023〕23号) "
    "and the Shanghai implementation plan (沪府发〔2024〕1号), and the services that carry them out. "
    "Errors are `{code, message_zh, message_en, details}`.",
    urls_namespace="api",
    parser=JSONParser(),
)


@api.exception_handler(OpenFTZError)
def _openftz_error(request: HttpRequest, exc: OpenFTZError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError):
    body = {"code": "invalid_input", "message_zh": "请求参数无效", "message_en": "invalid request parameters", "details": exc.errors}
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def _authentication_error(request: HttpRequest, exc: AuthenticationError):
    body = {"code": "unauthenticated", "message_zh": "请先登录", "message_en": "log in first", "details": None}
    return api.create_response(request, body, status=401)


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: RequestDataTooBig):
    error = body_too_large()
    return api.create_response(request, error.as_dict(), status=error.status)


@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def _too_many_parts(request: HttpRequest, exc: Exception):
    body = {"code": "too_many_parts", "message_zh": "请求中的字段或文件过多", "message_en": str(exc) or "too many fields or files",
            "details": None}
    return api.create_response(request, body, status=400)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError):
    if isinstance(exc.__cause__, OpenFTZError):  # django-ninja wraps what the body parser raised
        return _openftz_error(request, exc.__cause__)
    body = {"code": "http_error", "message_zh": "请求无效", "message_en": str(exc), "details": None}
    return api.create_response(request, body, status=exc.status_code)


api.add_router("/rulebook/", rulebook_router, tags=["rulebook"])
api.add_router("/tracker/", tracker_router, tags=["tracker"])
api.add_router("/parties/", parties_router, tags=["parties"])
api.add_router("/ledger/", ledger_router, tags=["ledger"])
api.add_router("/records/", records_router, tags=["records"])
api.add_router("/dataexport/", dataexport_router, tags=["dataexport"])
api.add_router("/einvoice/", einvoice_router, tags=["einvoice"])
api.add_router("/procurement/", procurement_router, tags=["procurement"])
api.add_router("/work/", workspace_router, tags=["work"])
