"""Pages of the enterprise directory: the parties and one party with its keys."""
from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from openftz.core.errors import NotFound

from . import selectors


def party_list(request: HttpRequest) -> HttpResponse:
    return render(request, "parties/list.html", {"parties": selectors.parties()[:1000]})


def party_detail(request: HttpRequest, party_id: str) -> HttpResponse:
    try:
        party = selectors.party_get(party_id)
    except NotFound as exc:
        raise Http404(exc.message_en) from None
    now = timezone.now()
    keys = [(k, k.revoked_at is None and k.valid_from <= now < k.valid_until) for k in party.keys.all()]
    return render(request, "parties/detail.html", {"party": party, "keys": keys})
