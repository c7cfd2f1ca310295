"""The self-assessment wizard (数据出境自评估): one question at a time, then — when the decision needs a security
assessment, a standard contract or certification — the report items, then the report with the decision (page,
Word download, PDF). And the approvals page: validity, windows, re-filing flags and reminders."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from openftz.core.downloads import offer
from openftz.core.errors import InvalidInput, OpenFTZError
from openftz.core.parameters import parameter

from . import pdf, report, report_items, services, wizard


FIELD_PREFIX = "item_"  # the form's names for report-item topics, apart from the wizard's own questions (purpose…)


def _today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _ask(request: HttpRequest, question: wizard.Question, answers: dict[str, str], choices=None) -> HttpResponse:
    english = _english()
    choices = choices if choices is not None else question.choices
    return render(request, "dataexport/wizard.html", {
        "question": question, "text": question.en if english else question.zh, "answers": answers,
        "choices": [(value, en if english else zh) for value, zh, en in choices], "step": len(answers) + 1,
    })


def _items_form(request: HttpRequest, answers: dict[str, str], result: dict, on: dt.date, *, values=None, error=None, status=200):
    items = report_items.items_for(result["pathway"], wizard.mechanism_of(answers),
                                   personal_information=bool(wizard.exports_personal_information(answers)), on=on)
    english = _english()
    topics = [{"key": t.key, "field": FIELD_PREFIX + t.key, "kind": t.kind, "label": t.en if english else t.zh, "value": (values or {}).get(t.key, ""),
               "max": report_items.MAX_ANSWER[t.kind],
               "items": [i.id for i in items if t.key in i.topics]} for t in report_items.topics_for(items)]
    return render(request, "dataexport/items.html", {
        "answers": answers, "topics": topics, "error": error, "items": items, "english": english,
        "decision": report.DECISIONS[result["pathway"]][1 if english else 0], "cites": result["cites"],
    }, status=status)


def _report(answers: dict[str, str], result: dict, item_answers: dict[str, str], on: dt.date) -> dict:
    return report.build(result=result, answers=answers, item_answers=item_answers, on=on, periods=services.report_periods(on))


def _doc(response: HttpResponse, on: dt.date) -> HttpResponse:
    """Word opens HTML saved as .doc: an editable copy of the report."""
    response["Content-Type"] = "application/msword; charset=utf-8"
    offer(response, f"data-export-self-assessment-{on.isoformat()}.doc")
    return response


def _pdf(content: dict, on: dt.date) -> HttpResponse:
    response = HttpResponse(pdf.render(content), content_type="application/pdf")
    offer(response, f"data-export-self-assessment-{on.isoformat()}.pdf", attachment=False)
    return response


@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest) -> HttpResponse:
    today = _today()
    if request.method == "POST":
        return _save(request, today)
    answers = wizard.clean(request.GET)
    question = wizard.next_question(answers)
    if question is not None:
        return _ask(request, question, answers)
    result = services.wizard_decision(answers, on=today)
    if report_items.needs_items(result["pathway"]):
        question = wizard.item_question(answers, result["pathway"])
        if question is wizard.MECHANISM:
            in_force = report_items.mechanisms_in_force(today)
            return _ask(request, question, answers, [c for c in question.choices if c[0] in in_force or c[0] == "undecided"])
        if question is not None:
            return _ask(request, question, answers)
        return _items_form(request, answers, result, today)
    content = _report(answers, result, {}, today)
    response = render(request, "dataexport/report.html", {"report": content, "english": _english(), "query": request.GET.urlencode()})
    return _doc(response, today) if request.GET.get("format") == "doc" else response


def _save(request: HttpRequest, today: dt.date) -> HttpResponse:
    answers = wizard.clean(request.POST)
    if wizard.next_question(answers) is not None:
        return HttpResponseBadRequest("自评估尚未完成 / the self-assessment is not complete")
    values = {k: request.POST.get(FIELD_PREFIX + k, "") for k in report_items.catalogue().topics}
    try:
        record = services.self_assessment_save(actor=request.user, answers=answers, item_answers=values, on=today)
    except InvalidInput as exc:
        result = services.wizard_decision(answers, on=today)
        if not report_items.needs_items(result["pathway"]):
            return HttpResponseBadRequest(f"{exc.message_zh} / {exc.message_en}")
        return _items_form(request, answers, result, today, values=values,
                           error=exc.message_en if _english() else exc.message_zh, status=422)
    return redirect("dataexport:report", token=record.token)


def _stored(token: str):
    from . import selectors

    record = selectors.self_assessment_find(token)
    if record is None:
        raise Http404("no such self-assessment")
    return record


def _stored_report(record) -> dict:
    return _report(record.answers, record.result, record.item_answers, record.assessed_on)


def report_page(request: HttpRequest, token: str) -> HttpResponse:
    record = _stored(token)
    return render(request, "dataexport/report.html", {"report": _stored_report(record), "english": _english(), "token": token})


def report_doc(request: HttpRequest, token: str) -> HttpResponse:
    record = _stored(token)
    response = render(request, "dataexport/report.html", {"report": _stored_report(record), "english": _english(), "token": token})
    return _doc(response, record.assessed_on)


def report_pdf(request: HttpRequest, token: str) -> HttpResponse:
    record = _stored(token)
    return _pdf(_stored_report(record), record.assessed_on)


def answers_pdf(request: HttpRequest) -> HttpResponse:
    """The PDF of a report without items (exempt or prohibited), from the wizard's answers in the query string."""
    today = _today()
    answers = wizard.clean(request.GET)
    if wizard.next_question(answers) is not None:
        return HttpResponseBadRequest("自评估尚未完成 / the self-assessment is not complete")
    result = services.wizard_decision(answers, on=today)
    return _pdf(_report(answers, result, {}, today), today)


# — approvals and reminders: the enterprise's own, or every enterprise's for the zone administration ——————————


def _form_list(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").replace("、", ",").split(",") if part.strip()]


def _form_categories(text: str) -> list[dict]:
    out = []
    for line in text.splitlines():
        if line.strip():
            sector, _, category = line.partition("/")
            out.append({"sector": sector.strip(), "category": category.strip()})
    return out


def _form_date(value: str, field: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(f"{field} 须为日期（YYYY-MM-DD）", f"{field} must be a date (YYYY-MM-DD)", details={"field": field}) from None


def _form_int(value: str, field: str) -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit() or len(value.strip()) > 9:
        raise InvalidInput(f"{field} 须为编号", f"{field} must be an approval number", details={"field": field})
    return int(value)


@login_required
@require_http_methods(["GET", "POST"])
def approvals(request: HttpRequest) -> HttpResponse:
    from openftz.parties import selectors as parties

    from . import access, selectors

    today = _today()
    try:
        visible = access.visible_parties(request.user)
    except access.Forbidden as exc:
        return render(request, "dataexport/approvals.html", {"forbidden": exc.message_en if _english() else exc.message_zh}, status=403)
    error, status, created = None, 200, None
    if request.method == "POST":
        post = request.POST
        try:
            approval, warnings = services.approval_record(
                actor=request.user, party_id=post.get("party", "").strip(), kind=post.get("kind", ""), reference=post.get("reference", ""),
                granted_on=_form_date(post.get("granted_on", ""), "granted_on") or today, recipient_countries=_form_list(post.get("countries", "")),
                categories=_form_categories(post.get("categories", "")), includes_sensitive=post.get("includes_sensitive") == "on",
                contract_effective_on=_form_date(post.get("contract_effective_on", ""), "contract_effective_on"),
                contract_valid_until=_form_date(post.get("contract_valid_until", ""), "contract_valid_until"),
                replaces=_form_int(post.get("replaces", ""), "replaces"), extension=post.get("extension") == "on",
                note=post.get("note", ""), today=today)
            created = {"approval": approval, "warnings": warnings}
        except OpenFTZError as exc:  # nothing was written: the form comes back with what was typed and the reason
            error, status = (exc.message_en if _english() else exc.message_zh), exc.status
    rows = [selectors.approval_out(a, today=today) for a in selectors.approvals(user=request.user)]
    party_rows = parties.parties_list(ids=visible)
    return render(request, "dataexport/approvals.html", {
        "approvals": rows, "reminders": [selectors.reminder_out(r) for r in selectors.reminders(user=request.user)[:200]],
        "parties": party_rows, "zone_admin": visible is None, "english": _english(), "today": today, "error": error,
        "created": created, "form": request.POST if error else {},
        "periods": {"validity_years": parameter("dataexport", "assessment_validity_years").at(today),
                    "extension_days": parameter("dataexport", "assessment_extension_window_working_days").at(today),
                    "reminder_days": " / ".join(str(d) for d in parameter("dataexport", "expiry_reminder_days").at(today))},
    }, status=status)
