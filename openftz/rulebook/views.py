"""Server-rendered pages of the rulebook: home, plan browser, measure, units, search."""
from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from openftz.core.errors import NotFound

from . import selectors


def _or_404(fn, *args):
    try:
        return fn(*args)
    except NotFound as exc:
        raise Http404(exc.message_en) from None


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "rulebook/home.html", {"plans": selectors.plans(), "unit_count": selectors.units().count()})


def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    plan = _or_404(selectors.plan_get, code)
    return render(request, "rulebook/plan.html", {"plan": plan, "chapters": selectors.plan_chapters(plan)})


def measure_detail(request: HttpRequest, measure_id: str) -> HttpResponse:
    measure = _or_404(selectors.measure_get, measure_id)
    context = {
        "m": measure,
        "unit_links": measure.unit_links.all(),
        "implements": [link.sc for link in measure.implements_links.all()],
        "implemented_by": [link.sh for link in measure.implemented_by_links.all()],
        "rules_due": selectors.measure_deadline(measure),
        "classification_label": measure.get_classification_display() if measure.classification else "",
    }
    return render(request, "rulebook/measure.html", context)


def unit_list(request: HttpRequest) -> HttpResponse:
    return render(request, "rulebook/units.html", {"units": selectors.units()})


def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _or_404(selectors.unit_find, str(unit_id))
    rows = list(selectors.measures(unit=unit.name))
    lead = selectors.unit_leading_measure_ids(unit)
    return render(request, "rulebook/unit.html", {"unit": unit, "measures": rows, "lead": lead})


def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    plan = request.GET.get("plan") or None
    if plan and plan.upper() not in ("SC", "SH"):
        plan = None
    unit = request.GET.get("unit") or None
    chapter = request.GET.get("chapter") or None
    chapter = int(chapter) if chapter and chapter.isdigit() and 0 < int(chapter) < 100 else None
    error = None
    hits = []
    if q:
        try:
            hits = selectors.search(q, plan=plan, chapter=chapter, unit=unit)
        except NotFound as exc:
            error = exc
    return render(request, "rulebook/search.html", {
        "q": q, "plan": plan or "", "unit": unit or "", "chapter": chapter or "", "hits": hits, "error": error,
        "units": selectors.units(),
    })
