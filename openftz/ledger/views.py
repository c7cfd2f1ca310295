"""The ledger's page: the latest signed tree head, the registry key and the latest entries."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openftz.core.errors import NotFound

from . import selectors
from .models import Entry


def ledger_home(request: HttpRequest) -> HttpResponse:
    try:
        head = selectors.tree_head()
    except NotFound:
        head = None
    return render(request, "ledger/home.html", {
        "head": head, "key": selectors.registry_public_key(),
        "entries": Entry.objects.order_by("-index").only("index", "kind", "subject", "logged_at", "leaf_hash")[:50],
    })
