"""The check page (合规检查): a supervisor uploads OCDS data and reads the findings by rule and by release."""
from __future__ import annotations

import datetime as dt
import io
import secrets

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from openftz.core.errors import OpenFTZError

from . import checking
from .report import write_xlsx
from .rules import RULES

REPORT_SECONDS = 3600  # how long a report stays downloadable as Excel
SHOWN_RELEASES = 500   # releases listed on the page; the Excel workbook has them all
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(results: list[dict], day: dt.date) -> HttpResponse:
    buffer = io.BytesIO()
    write_xlsx(results, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="procurement-check-{day.isoformat()}.xlsx"'
    return response


def check_page(request: HttpRequest) -> HttpResponse:
    english = (get_language() or "").startswith("en")
    context = {"english": english, "max_mb": checking.MAX_UPLOAD_BYTES // (1024 * 1024), "rules": list(RULES.values()),
               "today": checking.today()}
    if request.method != "POST":
        return render(request, "procurement/check.html", context)
    upload = request.FILES.get("file")
    on = None
    if request.POST.get("on"):
        try:
            on = dt.date.fromisoformat(request.POST["on"])
        except ValueError:
            context["error"] = ("日期格式应为 YYYY-MM-DD", "the date must be YYYY-MM-DD")
            return render(request, "procurement/check.html", context, status=400)
    if upload is None:
        context["error"] = ("请选择文件", "choose a file")
        return render(request, "procurement/check.html", context, status=400)
    try:
        report = checking.check_upload(upload, on=on)
    except OpenFTZError as exc:
        context["error"] = (exc.message_zh, exc.message_en)
        context["line_errors"] = (exc.details or {}).get("lines", []) if isinstance(exc.details, dict) else []
        return render(request, "procurement/check.html", context, status=exc.status)
    if request.POST.get("format") == "xlsx":
        return _xlsx_response(report.results, report.on)
    token = secrets.token_urlsafe(16)
    cache.set(f"procurement-report:{token}", (report.on, report.results), REPORT_SECONDS)
    titles = {spec.id: spec for spec in RULES.values()}
    by_rule = [(titles.get(c.rule), c) for c in report.summary.by_rule.values()]
    flagged = [r for r in report.releases if r["findings"]]
    context.update({
        "report": report, "by_rule": by_rule, "token": token, "file_name": upload.name,
        "flagged": flagged[:SHOWN_RELEASES], "flagged_total": len(flagged), "clean": len(report.releases) - len(flagged),
    })
    return render(request, "procurement/check.html", context)


def report_xlsx(request: HttpRequest, token: str) -> HttpResponse:
    stored = cache.get(f"procurement-report:{token}")
    if stored is None:
        raise Http404("this report has expired; check the file again")
    day, results = stored
    return _xlsx_response(results, day)
