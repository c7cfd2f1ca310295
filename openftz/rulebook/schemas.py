"""Schemas of the rulebook API (the same shape as ``openftz rulebook export``)."""
from __future__ import annotations

from ninja import Schema


class MeasureOut(Schema):
    id: str
    plan: str
    number: int | None
    chapter: str | None
    chapter_number: int | None
    section: str | None
    section_number: int | None
    text: str
    responsibility: str | None
    units: list[str]
    lead_unit: str | None
    leads: list[str] = []
    title_en: str
    implements: list[str] | None = None
    implemented_by: list[str] | None = None
    classification: str | None = None
    rules_due: str | None = None


class MeasureList(Schema):
    count: int
    measures: list[MeasureOut]


class UnitOut(Schema):
    id: int
    name: str
    full_name_zh: str
    name_en: str
    kind: str
    aliases: list[str]
    same_body_as: str | None
    measure_count: int
    lead_count: int


class UnitList(Schema):
    count: int
    units: list[UnitOut]


class SearchHit(Schema):
    id: str
    plan: str
    score: float
    title_en: str
    lead_unit: str | None
    snippet: str
    snippet_match: str


class SearchResult(Schema):
    query: str
    count: int
    results: list[SearchHit]


class ErrorOut(Schema):
    code: str
    message_zh: str
    message_en: str
    details: object | None = None
