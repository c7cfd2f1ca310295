"""Pages of the single window's e-invoice exchange (zh/en): inbox, outbox, send, and one message — the rendered
invoice, its findings, the China view, every response, and the buyer's answer form. Errors come back as a page in
the user's language with their status (403 for another party's message), with nothing written."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openftz.core.downloads import offer
from openftz.core.errors import InvalidInput, NotFound, OpenFTZError
from openftz.parties.models import Party

from . import selectors, services
from .convert import to_pdf, view_of
from .models import MessageLevel, ResponseKind
from .parse import parse
from .permissions import Action, Forbidden, can, party_id_of, require_party
from .response_rules import duplicate_rejection, next_status
from .responses import Clarification, codes
from .schemas_exchange import xml_text
from .semantic import invoice_tree
from .validate import max_document_bytes


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def _message(exc: OpenFTZError) -> str:
    return exc.message_en if _lang() == "en" else exc.message_zh


def _error(request: HttpRequest, exc: OpenFTZError) -> HttpResponse:
    return render(request, "einvoice/error.html", {"error": exc, "message": _message(exc)}, status=exc.status)


def _guard(view):
    """Render the 403 / 404 a read raises as a page with its status."""

    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (NotFound, Forbidden) as exc:
            return _error(request, exc)

    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return wrapper


def _name(entry: dict) -> str:
    return entry["en"] if _lang() == "en" else entry["zh"]


def _rows(queryset) -> list[dict]:
    rows = []
    for m in queryset[:500]:
        row = selectors.message_as_dict(m)
        row["status_label"] = _name(row["status_name"]) if row["status_name"] else ""
        rows.append(row)
    return rows


@login_required
@_guard
def inbox(request: HttpRequest) -> HttpResponse:
    party = Party.objects.get(pk=require_party(request.user))
    return render(request, "einvoice/inbox.html", {"party": party, "rows": _rows(selectors.inbox(party.pk))})


@login_required
@_guard
def outbox(request: HttpRequest) -> HttpResponse:
    party = Party.objects.get(pk=require_party(request.user))
    return render(request, "einvoice/outbox.html", {"party": party, "rows": _rows(selectors.outbox(party.pk))})


@login_required
@_guard
def send(request: HttpRequest) -> HttpResponse:
    party = Party.objects.get(pk=require_party(request.user))
    receivers = Party.objects.exclude(pk=party.pk).order_by("id")
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("document")
        limit = max_document_bytes() + services.ENVELOPE_MARGIN
        if upload is None:
            messages.error(request, _("Choose an invoice file to send."))
            status = 400
        elif upload.size > limit:
            messages.error(request, _("The file is larger than the limit of %(n)s bytes.") % {"n": limit})
            status = 413
        else:
            try:
                message = services.message_send(actor=request.user, document=upload.read(limit + 1),
                                                receiver_id=request.POST.get("receiver") or None)
            except Forbidden as exc:
                return _error(request, exc)
            except OpenFTZError as exc:
                messages.error(request, _message(exc))
                status = exc.status
            else:
                messages.success(request, _("Sent. The receiver's answer is below."))
                return redirect("einvoice:message", message_id=message.pk)
    return render(request, "einvoice/send.html", {"party": party, "receivers": receivers}, status=status)


def _invoice_view(message) -> dict:
    tree = invoice_tree(parse(bytes(message.payload), max_bytes=max_document_bytes() + services.ENVELOPE_MARGIN))
    result = {"findings": message.findings, "valid": message.valid, "ruleset": message.ruleset or None,
              "document": {"kind": message.kind}}
    return view_of(tree, result)


def _answers(message) -> list[dict]:
    """The statuses the buyer may give next, in order, with their names."""
    history = [(r.code, tuple(c["code"] for c in r.clarifications))
               for r in message.responses.all() if r.kind == ResponseKind.INVOICE_RESPONSE]
    spec = codes()["invoice_response"]
    return [{"code": s["code"], "label": _name(s), "clarification": s["clarification"]}
            for s in spec["statuses"] if next_status(history, s["code"]).allowed]


@login_required
@_guard
def message_detail(request: HttpRequest, message_id) -> HttpResponse:
    message = selectors.message_for(request.user, message_id)
    data = selectors.message_as_dict(message, detail=True)
    for r in data["responses"]:
        r["label"] = _name(r["name"])
    spec = codes()["invoice_response"]
    may_answer = can(request.user, Action.RESPOND, message) and message.message_level == MessageLevel.ACCEPTED
    answers = _answers(message) if may_answer else []
    preselect = {"status": "AP"}
    duplicate = duplicate_rejection()
    duplicate_answer = bool(message.duplicate_of_id) and any(a["code"] == duplicate["status"] for a in answers)
    if duplicate_answer:  # the buyer's rejection of a duplicate, with its reason, ready to send
        preselect = {"status": duplicate["status"], "reason": duplicate["reason"], "action": duplicate["action"],
                     "text": f'{duplicate["zh"]} / {duplicate["text"]}'}
    return render(request, "einvoice/message.html", {
        "message": message, "data": data, "view": _invoice_view(message),
        "role": "receiver" if message.receiver_id == party_id_of(request.user) else "sender",
        "answers": answers, "preselect": preselect, "duplicate_answer": duplicate_answer,
        "reasons": [{"code": c["code"], "label": _name(c)} for c in spec["reasons"]],
        "actions": [{"code": c["code"], "label": _name(c)} for c in spec["actions"]],
        "status_label": _name(data["status_name"]) if data["status_name"] else "",
    })


@require_POST
@login_required
@_guard
def message_respond(request: HttpRequest, message_id) -> HttpResponse:
    selectors.message_for(request.user, message_id, Action.RESPOND)
    clarifications = []
    for list_id, field in (("OPStatusReason", "reason"), ("OPStatusAction", "action")):
        code = request.POST.get(field, "").strip()
        if code:
            text = request.POST.get("text", "").strip() if field == "reason" else ""
            clarifications.append(Clarification(list_id, code, text[:500]))
    note = request.POST.get("note", "").strip()[:1000]
    try:
        for value in [note] + [c.text for c in clarifications]:
            _xml_safe(value)
        response = services.message_respond(actor=request.user, message_id=message_id,
                                            code=request.POST.get("code", ""), clarifications=tuple(clarifications), note=note)
    except Forbidden as exc:
        return _error(request, exc)
    except OpenFTZError as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Invoice Response %(code)s sent to the seller.") % {"code": response.code})
    return redirect("einvoice:message", message_id=message_id)


def _xml_safe(text: str) -> None:
    try:
        xml_text(text)
    except ValueError:
        raise InvalidInput("文字中含有控制字符（如 NUL）", "the text holds control characters (such as NUL)") from None


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    """A download whatever the name holds (a sender's envelope id may hold anything: openftz.core.downloads)."""
    return offer(HttpResponse(body, content_type=content_type), filename)


@login_required
@_guard
def response_xml(request: HttpRequest, message_id, document_id: str) -> HttpResponse:
    message = selectors.message_for(request.user, message_id)
    response = next((r for r in message.responses.all() if r.document_id == document_id), None)
    if response is None:
        return _error(request, NotFound("没有该应答", "no such response"))
    return _download(response.xml.encode("utf-8"), "application/xml", f"{document_id}.xml")


@login_required
@_guard
def envelope_xml(request: HttpRequest, message_id) -> HttpResponse:
    message = selectors.message_for(request.user, message_id)
    return _download(bytes(message.envelope), "application/xml", f"envelope-{message.instance_id[:100]}.xml")


@login_required
@_guard
def invoice_pdf(request: HttpRequest, message_id) -> HttpResponse:
    message = selectors.message_for(request.user, message_id)
    try:
        body = to_pdf(_invoice_view(message))
    except OpenFTZError as exc:  # too large for a PDF: a page with the reason and its status (413)
        return _error(request, exc)
    return _download(body, "application/pdf", f"invoice-{message.pk}.pdf")
