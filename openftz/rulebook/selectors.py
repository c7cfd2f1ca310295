"""Reads of the rulebook for pages, the API and the CLI (prefetched: no N+1 queries)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet

from openftz.core.errors import NotFound
from openftz.core.parameters import parameter

from . import rules, search as search_index
from .models import Chapter, CrosswalkLink, Measure, MeasureUnit, Plan, Unit


def measures(*, plan: str | None = None, chapter: int | None = None, unit: str | None = None,
             classification: str | None = None) -> QuerySet[Measure]:
    """Measures with their plan, chapter, section, units and crosswalk links, in plan order."""
    return _filtered(plan=plan, chapter=chapter, unit=unit, classification=classification).select_related(
        "plan", "chapter", "section"
    ).prefetch_related(
        Prefetch("unit_links", queryset=MeasureUnit.objects.select_related("unit").order_by("position")),
        Prefetch("implements_links", queryset=CrosswalkLink.objects.select_related("sc").order_by("rank")),
        Prefetch("implemented_by_links", queryset=CrosswalkLink.objects.select_related("sh").order_by("sh__position")),
    )


def _filtered(*, plan: str | None = None, chapter: int | None = None, unit: str | None = None,
              classification: str | None = None) -> QuerySet[Measure]:
    qs = Measure.objects.all()
    if plan:
        qs = qs.filter(plan_id=plan.upper())
    if chapter is not None:
        qs = qs.filter(chapter__number=chapter)
    if unit:
        found = unit_find(unit)
        qs = qs.filter(unit_links__unit=found)
    if classification:
        qs = qs.filter(classification=classification)
    return qs.order_by("plan__signed_on", "position")


def measure_get(measure_id: str) -> Measure:
    wanted = measure_id.strip()
    wanted = wanted[:2].upper() + wanted[2:]
    try:
        return measures().get(id=wanted)
    except Measure.DoesNotExist:
        raise NotFound(f"没有编号为 {measure_id} 的措施", f"there is no measure {measure_id}", details={"id": measure_id}) from None


def unit_find(name: str) -> Unit:
    """A unit by its printed name, an alias, or its id."""
    name = name.strip()
    unit = Unit.objects.filter(name=name).first() if "\x00" not in name else None  # PostgreSQL refuses NUL in text
    if unit is None and name.isdigit():
        unit = Unit.objects.filter(pk=int(name)).first()
    if unit is None:
        unit = next((u for u in Unit.objects.all() if name in (u.aliases or []) or name == u.full_name_zh), None)
    if unit is None:
        raise NotFound(f"没有名为“{name}”的责任单位", f"there is no responsible unit named {name}", details={"unit": name})
    return unit


def units() -> QuerySet[Unit]:
    return Unit.objects.select_related("same_body_as").annotate(
        measure_count=Count("measure_links", distinct=True),
        lead_count=Count("measure_links", filter=Q(measure_links__is_lead=True), distinct=True),
    ).order_by("-measure_count", "name")


def plans() -> QuerySet[Plan]:
    """The plans with the number of their measures (numbered ones: the State Council plan's closing requirements,
    SC-closing, are not a measure)."""
    return Plan.objects.annotate(measure_count=Count("measures", filter=Q(measures__number__isnull=False))).order_by("signed_on")


def plan_get(code: str) -> Plan:
    try:
        return plans().get(code=code.upper())
    except Plan.DoesNotExist:
        raise NotFound(f"没有代码为 {code} 的方案", f"there is no plan {code}", details={"plan": code}) from None


def plan_chapters(plan: Plan) -> list[Chapter]:
    """Chapters with their sections and measures, for the plan browser."""
    all_measures = list(measures(plan=plan.code))
    chapters = list(plan.chapters.prefetch_related("sections"))
    for ch in chapters:
        ch.loose_measures = [m for m in all_measures if m.chapter_id == ch.id and m.section_id is None]
        for sec in ch.sections.all():
            sec.measure_list = [m for m in all_measures if m.section_id == sec.id]
    plan.unplaced = [m for m in all_measures if m.chapter_id is None]
    return chapters


def measure_units(m: Measure) -> list[str]:
    return [link.unit.name for link in m.unit_links.all()]


def measure_lead(m: Measure) -> str | None:
    return next((link.unit.name for link in m.unit_links.all() if link.is_lead), None)


def unit_leading_measure_ids(unit) -> set[str]:
    """The measures a unit leads: as the lead unit or as a co-lead (牵头)."""
    return set(unit.measure_links.filter(Q(is_lead=True) | Q(leading=True)).values_list("measure_id", flat=True))


def measure_leads(m: Measure) -> list[str]:
    """Every unit the clause names as leading (牵头), the lead unit first."""
    return [link.unit.name for link in m.unit_links.all() if link.leading or link.is_lead]


def measure_deadline(m: Measure, dates: dict[str, dt.date] | None = None) -> dt.date | None:
    """When a Shanghai measure's detailed rules are due, by its class under SH-113 (None if in force on issue)."""
    if m.plan_id != "SH" or not m.classification:
        return None
    dates = dates or plan_dates()
    return rules.rules_due(
        m.classification, local_signed=dates["SH"], national_signed=dates["SC"],
        approval_months=parameter("rulebook", "national_approval_rules_months").at(dates["SH"]),
        national_months=parameter("rulebook", "national_rules_months").at(dates["SC"]),
    )


def plan_dates() -> dict[str, dt.date]:
    return dict(Plan.objects.values_list("code", "signed_on"))


def measure_as_dict(m: Measure, dates: dict[str, dt.date] | None = None) -> dict:
    """A measure in the export shape shared by ``openftz rulebook export`` and the API (``dates``: plan_dates())."""
    out = {
        "id": m.id,
        "plan": m.plan_id,
        "number": m.number,
        "chapter": m.chapter.title if m.chapter else None,
        "chapter_number": m.chapter.number if m.chapter else None,
        "section": m.section.title if m.section else None,
        "section_number": m.section.number if m.section else None,
        "text": m.text,
        "responsibility": m.responsibility or None,
        "units": measure_units(m),
        "lead_unit": measure_lead(m),
        "leads": measure_leads(m),
        "title_en": m.title_en,
    }
    if m.plan_id == "SH":
        out["implements"] = [link.sc_id for link in m.implements_links.all()]
        out["classification"] = m.classification
        deadline = measure_deadline(m, dates)
        out["rules_due"] = deadline.isoformat() if deadline else None
    else:
        out["implemented_by"] = [link.sh_id for link in m.implemented_by_links.all()]
    return out


def rulebook_export() -> dict:
    dates = plan_dates()
    rows = [measure_as_dict(m, dates) for m in measures()]
    if not rows:
        raise NotFound("规则库尚未载入,请先运行 openftz rulebook load", "the rulebook is not loaded: run `openftz rulebook load` (or make setup)")
    return {"measures": rows}


def search(query: str, *, plan: str | None = None, chapter: int | None = None, unit: str | None = None, limit: int = 50):
    return search_index.search(query, _filtered(plan=plan, chapter=chapter, unit=unit), limit=limit)
