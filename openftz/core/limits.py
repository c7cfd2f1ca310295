"""The size limit of a request body, answered the same way on every API route.

Django refuses to read a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (12 MiB) by raising ``RequestDataTooBig`` — which
it turns into an HTML 400 page. For the API that is a 413 with the error schema: the NinjaAPI's exception handler
(openftz/api.py) answers it wherever the body is read (a JSON body, form fields, a body whose Content-Length was
understated), and ``BodyLimitMiddleware`` answers it before anything else runs when the Content-Length already says
so, also on a route that would not read the body. Multipart uploads are left to each route's own file limit (the
files of a multipart body do not count towards DATA_UPLOAD_MAX_MEMORY_SIZE; their form fields do). Pages keep
Django's HTML 400.
"""
from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse

from .errors import OpenFTZError

API_PREFIX = "/api/"


class BodyTooLarge(OpenFTZError):
    status = 413
    code = "too_large"


def body_too_large() -> BodyTooLarge:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return BodyTooLarge(f"请求体超过 {limit} 字节上限", f"the request body exceeds the limit of {limit} bytes",
                        details={"max_bytes": limit})


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class BodyLimitMiddleware:
    """413 with the error schema for an API request whose declared non-multipart body is over the limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if (limit is not None and request.path.startswith(API_PREFIX) and _declared_length(request) > limit
                and not request.content_type.startswith("multipart/")):
            error = body_too_large()
            return JsonResponse(error.as_dict(), status=error.status, json_dumps_params={"ensure_ascii": False})
        return self.get_response(request)
