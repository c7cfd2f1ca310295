"""Whole tracker pages cached per data version (every tracker write moves it on), language and what the viewer may see.

What a tracker page shows depends on the data, the language and the viewer's permissions — which are those of a role
and, for a unit officer, a unit (``permissions.py``) — and on two things of the viewer's own: the user name in the
page header and the CSRF token in each form. So a page is stored once for everyone who may see the same thing, with
those two cut out, and put back on each hit: the user name of this request, and a token masked afresh for this
client (as Django's ``{% csrf_token %}`` would give it). What a user sees is never older than the last write,
whichever worker serves it. Nothing is cached while a flash message waits to be shown, nor a page whose user name
cannot be found where the header puts it.

**Verified sessions.** A page from the cache would still cost Django's reading of the session and the user (two
thirds of it). So each process remembers, for a while (``SESSION_MEMORY_SECONDS``), the sessions it has seen signed
in — the viewer's role, unit and user name — under the *access version* read at the start of that request, before
the session was read. Any change that could end or narrow a session anywhere — a sign-out, a user or tracker
profile saved or deleted, a session deleted — moves the access version on (``apps.py``), and a remembered session is
used only while the version is the one it was remembered under, the session has not expired and the memory is
fresh. Then a cached page costs one read (both versions, one row) and is served before Django's session and user
are touched (``fast_page``). A session ended by a direct SQL update, which sends no signal, is honoured within
``SESSION_MEMORY_SECONDS``.
"""
from __future__ import annotations

import functools
import hashlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, get_token
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.translation import get_language

from openftz.core.errors import OpenFTZError
from openftz.core.navigation import signature as menu_signature

from .models import DataVersion
from .permissions import Action, can_as, role_of, unit_id_of

TIMEOUT = 300
SESSION_MEMORY_SECONDS = 30
_SESSIONS_KEPT = 20_000
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_TOKEN_MARK = b"\x00csrf\x00"
_WHO = ('<span class="who">', "</span>")  # where base.html names the signed-in user
_WHO_MARK = b"\x00who\x00"


@dataclass(frozen=True, slots=True)
class _Verified:
    role: str
    unit_id: int | None
    menu: str  # the menu entries the viewer sees (base.html shows them): part of what the page depends on
    who: bytes
    access: str  # the access version the session was verified under
    until: float  # time.monotonic() after which the memory is not used
    expires: float  # the session's own end (a POSIX timestamp)


_verified: dict[str, _Verified] = {}  # session key → what this process verified of it


def _messages_waiting(request: HttpRequest) -> bool:
    return "messages" in request.COOKIES or "_messages" in request.session


def _viewer(role: str, unit_id: int | None, menu: str, authenticated: bool) -> str:
    return f"{role}:{unit_id or ''}:{menu}" if authenticated else "anonymous"


def _who_of(username: str) -> bytes:
    return f"{_WHO[0]}{escape(username)}{_WHO[1]}".encode()


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


def _to_serve(request: HttpRequest, stored: bytes, who: bytes | None) -> bytes:
    if _WHO_MARK in stored:
        stored = stored.replace(_WHO_MARK, who or b"")
    if _TOKEN_MARK in stored:
        stored = stored.replace(_TOKEN_MARK, _csrf_token(request).encode("ascii"))
    return stored


def _key(request: HttpRequest, name: str, viewer: str) -> str:
    parts = (name, request.get_full_path(), get_language() or "", DataVersion.current(), viewer)
    return "tracker:page:" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def fast_page(request: HttpRequest, name: str, action: Action, scope: Callable[[], object]) -> HttpResponse | None:
    """The cached page for a session this process verified under the current access version, served without
    reading the session or the user; None when the page must go the whole way (not a GET, no such session, a flash
    message waiting, the viewer may not ``action`` on ``scope()``, or the page is not cached)."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if request.method != "GET" or not session_key:
        return None
    # read before the session is: what ``cached_page`` remembers is only as good as the version it is remembered under
    access = request.tracker_access = DataVersion.current_access()
    if "messages" in request.COOKIES:
        return None
    seen = _verified.get(session_key)
    if seen is None or seen.access != access or seen.until < time.monotonic() or seen.expires <= time.time():
        return None
    if not can_as(seen.role, seen.unit_id, action, scope()):
        return None  # the whole way: its refusal page
    hit = cache.get(_key(request, name, _viewer(seen.role, seen.unit_id, seen.menu, True)))
    if hit is None:
        return None
    stored, content_type = hit
    response = HttpResponse(_to_serve(request, stored, seen.who), content_type=content_type)
    patch_vary_headers(response, ("Cookie",))  # as Django's session middleware does for a page that read the session
    return response


def _remember(request: HttpRequest, access: str, role: str, unit_id: int | None, menu: str, who: bytes) -> None:
    """Remember a session this request found signed in (with no flash message waiting in it)."""
    session = request.session
    expires = session.expires_at() if hasattr(session, "expires_at") else None
    if expires is None or not session.session_key:
        return
    if len(_verified) >= _SESSIONS_KEPT:
        _verified.clear()
    _verified[session.session_key] = _Verified(role, unit_id, menu, who, access, time.monotonic() + SESSION_MEMORY_SECONDS,
                                               expires.timestamp())


def cached_page(request: HttpRequest, name: str, render: Callable[[], HttpResponse]) -> HttpResponse:
    """``render()``'s response, from the cache when a viewer with the same permissions saw this page of this data
    version before."""
    if request.method != "GET" or _messages_waiting(request):
        return render()
    user = request.user
    authenticated = user.is_authenticated
    role, unit_id = role_of(user), unit_id_of(user)
    menu = menu_signature(user) if authenticated else ""
    who = _who_of(user.username) if authenticated else None
    access = getattr(request, "tracker_access", None)  # set by ``fast_page`` before the session was read
    if authenticated and access is not None:
        _remember(request, access, role, unit_id, menu, who)
    key = _key(request, name, _viewer(role, unit_id, menu, authenticated))
    hit = cache.get(key)
    if hit is not None:
        stored, content_type = hit
        return HttpResponse(_to_serve(request, stored, who), content_type=content_type)
    response = render()
    if response.status_code == 200 and not response.streaming:
        stored = _to_store(response.content, who)
        if stored is not None:
            cache.set(key, (stored, response["Content-Type"]), TIMEOUT)
    return response


def served_fast(name: str, action: Action, scope: Callable[..., object] | None = None):
    """Put in front of a view whose GET is a ``cached_page(request, name, …)`` (above ``login_required``): a session
    this process verified is served the cached page at once; anything else goes the whole way. ``scope`` takes the
    view's URL arguments and gives the object the permission is about."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            def about():
                return scope(**kwargs) if scope is not None else None

            try:
                response = fast_page(request, name, action, about)
            except OpenFTZError:  # e.g. an unknown task: the view says so
                response = None
            return response if response is not None else view(request, *args, **kwargs)

        return wrapper

    return decorate
