"""Pages of the records registry: the list of records and one record's history."""
from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from openftz.core.downloads import offer
from openftz.core.errors import NotFound

from . import selectors

LABELS = {
    "issue": _("Issue"), "transfer": _("Transfer of control"),
    "transfer_to_platform": _("Transfer to another eBL platform"), "exported": _("on another eBL platform (inoperative here)"), "endorse": _("Endorsement (restrictive)"),
    "endorse_to_order": _("Endorsement to order"), "blank_endorse": _("Blank endorsement"),
    "surrender_for_delivery": _("Surrender for delivery"), "surrender_for_amendment": _("Surrender for amendment"),
    "accept_surrender": _("Surrender accepted"), "reject_surrender": _("Surrender rejected"), "amend": _("Amendment"),
    "to_paper": _("Change to paper"), "to_electronic": _("Change back to electronic"), "void": _("Void"),
    "pint_receive": _("Received from another eBL platform (DCSA PINT)"),
    "pint_accepted": _("Accepted by the other eBL platform (DCSA PINT)"),
    "pint_rejected": _("Refused by the other eBL platform: control returned"),
    "pint_undeliverable": _("Not delivered to the other eBL platform: control returned"),
    "pint_pending": _("in transit to another eBL platform (inoperative)"),
    "pending": _("waiting for the platform's answer"), "accepted": _("accepted by that platform"), "rejected": _("refused"),
    "undeliverable": _("undeliverable"),
    "active": _("active"), "surrender_requested": _("surrender requested"), "surrendered": _("surrendered (delivered)"),
    "surrendered_for_amendment": _("surrendered for amendment"), "paper": _("replaced by paper (inoperative)"),
    "ebl": _("electronic bill of lading"), "ewr": _("electronic warehouse receipt"),
    "straight": _("straight"), "to_order": _("to order"), "blank": _("blank endorsed"),
}


def _label(code: str) -> str:
    return LABELS.get(code, code)


def record_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind")
    kind = kind if kind in ("ebl", "ewr") else None
    rows = [(r, _label(r.kind), _label(r.status)) for r in selectors.records(kind=kind)[:500]]
    return render(request, "records/list.html", {"rows": rows, "kind": kind or ""})


def record_detail(request: HttpRequest, record_id: str) -> HttpResponse:
    try:
        record = selectors.record_get(record_id)
    except NotFound as exc:
        raise Http404(exc.message_en) from None
    integrity = selectors.record_integrity(record)
    return render(request, "records/detail.html", {
        "record": record, "kind": _label(record.kind), "form": _label(record.form), "status": _label(record.status),
        "events": [(e, _label(e.op), _label(e.status_after)) for e in selectors.record_events(record)],
        "problems": integrity.problems, "state_mismatches": integrity.state_mismatches,
        "deliveries": [(d, _label(d["status"])) for d in selectors.record_deliveries(record)],
        "documents": selectors.record_additional_documents(record),
    })


def record_document(request: HttpRequest, record_id: str, checksum: str) -> HttpResponse:
    """An additional document that came with the record by DCSA PINT, as received (a download, never shown inline)."""
    try:
        document = selectors.record_additional_document(selectors.record_get(record_id), checksum)
    except NotFound as exc:
        raise Http404(exc.message_en) from None
    response = HttpResponse(bytes(document.content), content_type="application/octet-stream")
    offer(response, document.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
