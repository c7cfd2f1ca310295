"""Rulebook API: /api/rulebook/measures, /measures/{id}, /units, /search."""
from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from . import selectors
from .schemas import ErrorOut, MeasureList, MeasureOut, SearchResult, UnitList

router = Router()
PlanCode = Literal["SC", "SH", "sc", "sh"]
ClassCode = Literal["local_authority", "national_approval", "national_rules"]


class MeasureFilters(Schema):
    plan: PlanCode | None = Field(None, description="SC (State Council) or SH (Shanghai)")
    chapter: int | None = Field(None, ge=1, le=99, description="chapter number (一 = 1)")
    unit: str | None = Field(None, max_length=100, description="responsible unit: printed name or alias")
    classification: ClassCode | None = Field(None, description="class under SH-113")


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="words to find (Chinese or English); all must occur")
    plan: PlanCode | None = None
    chapter: int | None = Field(None, ge=1, le=99)
    unit: str | None = Field(None, max_length=100)
    limit: int = Field(20, ge=1, le=200)


@router.get("/measures", response={200: MeasureList, 404: ErrorOut, 422: ErrorOut}, summary="List measures")
def list_measures(request: HttpRequest, filters: Query[MeasureFilters]):
    dates = selectors.plan_dates()
    rows = [selectors.measure_as_dict(m, dates) for m in selectors.measures(**filters.dict())]
    return {"count": len(rows), "measures": rows}


@router.get("/measures/{measure_id}", response={200: MeasureOut, 404: ErrorOut}, summary="One measure")
def get_measure(request: HttpRequest, measure_id: str):
    return selectors.measure_as_dict(selectors.measure_get(measure_id))


@router.get("/units", response={200: UnitList}, summary="The responsible units")
def list_units(request: HttpRequest):
    rows = [
        {
            "id": u.id, "name": u.name, "full_name_zh": u.full_name_zh, "name_en": u.name_en, "kind": u.kind,
            "aliases": u.aliases or [], "same_body_as": u.same_body_as.name if u.same_body_as else None,
            "measure_count": u.measure_count, "lead_count": u.lead_count,
        }
        for u in selectors.units()
    ]
    return {"count": len(rows), "units": rows}


@router.get("/search", response={200: SearchResult, 404: ErrorOut, 422: ErrorOut}, summary="Full-text search")
def search(request: HttpRequest, params: Query[SearchQuery]):
    hits = selectors.search(params.q, plan=params.plan, chapter=params.chapter, unit=params.unit, limit=params.limit)
    results = [
        {
            "id": h.measure.id, "plan": h.measure.plan_id, "score": h.score, "title_en": h.measure.title_en,
            "lead_unit": selectors.measure_lead(h.measure), "snippet": h.before + h.match + h.after, "snippet_match": h.match,
        }
        for h in hits
    ]
    return {"query": params.q, "count": len(results), "results": results}
