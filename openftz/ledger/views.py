"""The ledger's page: the latest signed tree head, the registry key and the latest entries."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openftz.core import jsonio
from openftz.core.errors import NotFound

from . import selectors


def ledger_home(request: HttpRequest) -> HttpResponse:
    try:
        head = selectors.tree_head()
    except NotFound:
        head = None
    return render(request, "ledger/home.html", {
        "head": head, "key": selectors.registry_public_key(),
        "entries": selectors.recent_entries(50),
    })


MAX_BUNDLE_BYTES = 5 * 1024 * 1024


def verify_upload(request: HttpRequest) -> HttpResponse:
    """Anyone uploads an exported history bundle and sees whether it is intact, checked against the registry's key."""
    from .verify import verify_bundle

    report, error, status = None, None, 200
    if request.method == "POST":
        upload = request.FILES.get("bundle")
        if upload is None:
            error, status = ("请选择文件", "choose a file"), 400
        elif upload.size > MAX_BUNDLE_BYTES:
            error, status = ("文件过大", "the file is too large"), 413
        else:
            try:
                bundle = jsonio.loads(upload.read())
            except jsonio.InvalidJSON as exc:
                error, status = (f"不是可读的 JSON 文件:{exc.message_zh}", f"not a readable JSON file: {exc.message_en}"), 400
            else:
                report = verify_bundle(bundle, selectors.registry_public_key()["public_key"])
                status = 200 if report.ok else 422
    return render(request, "ledger/verify.html", {"report": report, "error": error}, status=status)
