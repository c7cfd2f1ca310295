"""Whole tracker pages cached per data version (every tracker write moves it on), language and session.

A hit skips the template entirely: the page costs the session and user reads the permission check needs and one read
of the data version, so that what a user sees is never older than the last write, whichever worker serves it.
Pages are cached per session because their forms carry the session's CSRF token, and never while a flash message
waits to be shown; an anonymous page that holds a CSRF token (a form) is not cached at all, since a new visitor
must be given a token of its own.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from . import selectors

TIMEOUT = 300


def _messages_waiting(request: HttpRequest) -> bool:
    return "messages" in request.COOKIES or "_messages" in request.session


def cached_page(request: HttpRequest, name: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """``render()``'s response, from the cache when this session saw this page of this data version before."""
    if request.method != "GET" or _messages_waiting(request):
        return render()
    session = request.session.session_key or ""
    parts = (name, request.get_full_path(), get_language() or "", selectors.data_version(), session, str(request.user.pk or ""))
    key = "tracker:page:" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    hit = cache.get(key)
    if hit is not None:
        content, content_type = hit
        return HttpResponse(content, content_type=content_type)
    response = render()
    if response.status_code == 200 and not response.streaming and (session or b"csrfmiddlewaretoken" not in response.content):
        cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
    return response
