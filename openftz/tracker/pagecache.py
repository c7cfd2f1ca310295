"""Whole tracker pages cached per data version (every tracker write moves it on), language and what the viewer may see.

What a tracker page shows depends on the data, the language and the viewer's permissions — which are those of a role
and, for a unit officer, a unit (``permissions.py``) — and on two things of the viewer's own: the user name in the
page header and the CSRF token in each form. So a page is stored once for everyone who may see the same thing, with
those two cut out, and put back on each hit: the user name of this request, and a token masked afresh for this
client (as Django's ``{% csrf_token %}`` would give it). A hit skips the template entirely: the page costs the
session and user reads the permission check needs and one read of the data version, so that what a user sees is
never older than the last write, whichever worker serves it. Nothing is cached while a flash message waits to be
shown, nor a page whose user name cannot be found where the header puts it.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, get_token
from django.utils.html import escape
from django.utils.translation import get_language

from . import selectors
from .permissions import role_of, unit_id_of

TIMEOUT = 300
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_TOKEN_MARK = b"\x00csrf\x00"
_WHO = ('<span class="who">', "</span>")  # where base.html names the signed-in user
_WHO_MARK = b"\x00who\x00"


def _messages_waiting(request: HttpRequest) -> bool:
    return "messages" in request.COOKIES or "_messages" in request.session


def _viewer(request: HttpRequest) -> str:
    user = request.user
    if not user.is_authenticated:
        return "anonymous"
    return f"{role_of(user)}:{unit_id_of(user) or ''}"


def _who(request: HttpRequest) -> bytes | None:
    user = request.user
    return f"{_WHO[0]}{escape(user.username)}{_WHO[1]}".encode() if user.is_authenticated else None


def _to_store(content: bytes, who: bytes | None) -> bytes | None:
    """The page with this viewer's own parts cut out; None when they are not where they are expected."""
    if who is not None:
        if content.count(who) != 1:
            return None
        content = content.replace(who, _WHO_MARK)
    return _TOKEN.sub(rb"\1" + _TOKEN_MARK + rb"\2", content)


def _csrf_token(request: HttpRequest) -> str:
    """What ``get_token(request)`` gives — the client's CSRF secret under a fresh mask — with the mask's 32
    characters taken from one draw of 256 random bits rather than Django's 32 draws (about 40 µs, which on a page
    served from the cache is as much as its three database reads)."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return get_token(request)  # a new client: Django makes its secret and sets the cookie
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token: the cookie is sent again, its expiry renewed
    n, draw = len(CSRF_ALLOWED_CHARS), int.from_bytes(os.urandom(32))
    mask, cipher = [], []
    for char in secret:
        draw, m = divmod(draw, n)
        mask.append(CSRF_ALLOWED_CHARS[m])
        cipher.append(CSRF_ALLOWED_CHARS[(CSRF_ALLOWED_CHARS.index(char) + m) % n])
    return "".join(mask) + "".join(cipher)


def _to_serve(request: HttpRequest, stored: bytes) -> bytes:
    if _WHO_MARK in stored:
        stored = stored.replace(_WHO_MARK, _who(request))
    if _TOKEN_MARK in stored:
        stored = stored.replace(_TOKEN_MARK, _csrf_token(request).encode("ascii"))
    return stored


def cached_page(request: HttpRequest, name: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """``render()``'s response, from the cache when a viewer with the same permissions saw this page of this data
    version before."""
    if request.method != "GET" or _messages_waiting(request):
        return render()
    parts = (name, request.get_full_path(), get_language() or "", selectors.data_version(), _viewer(request))
    key = "tracker:page:" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    hit = cache.get(key)
    if hit is not None:
        stored, content_type = hit
        return HttpResponse(_to_serve(request, stored), content_type=content_type)
    response = render()
    if response.status_code == 200 and not response.streaming:
        stored = _to_store(response.content, _who(request))
        if stored is not None:
            cache.set(key, (stored, response["Content-Type"]), TIMEOUT)
    return response
