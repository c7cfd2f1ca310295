"""Reading a compiled OCDS release defensively: real data has nulls, strings for numbers and lists for objects.

Every accessor returns an empty value for anything of the wrong type, so that a rule never crashes on malformed
input and treats a field of the wrong shape as missing.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from functools import cache
from typing import Any, Iterator
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
CATEGORIES = ("goods", "works", "services")

def obj(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def lst(value: Any) -> list:
    return value if isinstance(value, list) else []


def objs(value: Any) -> Iterator[tuple[int, dict]]:
    """The objects of a list with their indices (non-objects skipped)."""
    for i, item in enumerate(lst(value)):
        if isinstance(item, dict):
            yield i, item


def text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def number(value: Any) -> float | None:
    """A JSON number, or a string that is one (as some publishers write amounts); never a boolean or NaN."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value == value and abs(value) != float("inf") else None
    if isinstance(value, str):
        try:
            parsed = float(value.replace(",", "").strip())
        except ValueError:
            return None
        return parsed if parsed == parsed and abs(parsed) != float("inf") else None
    return None


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def local_date(value: Any) -> dt.date | None:
    """The Asia/Shanghai calendar date of an OCDS date-time (a date alone, or a time without zone, is taken as written)."""
    if not isinstance(value, str) or not value:
        return None
    raw = value.strip()
    try:
        if _DATE_ONLY.match(raw):
            return dt.date.fromisoformat(raw)
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.date()
    try:
        return moment.astimezone(SHANGHAI).date()
    except (OverflowError, ValueError):  # a year 1 or 9999 time pushed out of range by the zone shift
        return None


@cache
def _t2s():
    import opencc  # loaded on first use: only Chinese texts need it

    return opencc.OpenCC("t2s")


_HAN = re.compile(r"[\u3400-\u9fff]")


def simplified(value: str) -> str:
    """Traditional Chinese characters turned into simplified ones (other text unchanged)."""
    return _t2s().convert(value) if _HAN.search(value) else value


def category(tender: dict) -> str | None:
    raw = text(tender.get("mainProcurementCategory"))
    return raw.lower() if raw and raw.lower() in CATEGORIES else None


def party(release: dict, reference: Any) -> dict:
    """The party an organization reference points to (by id), merged over the reference itself."""
    ref = obj(reference)
    ref_id = ref.get("id")
    if ref_id is not None:
        for _, candidate in objs(release.get("parties")):
            if candidate.get("id") == ref_id:
                return {**ref, **candidate}
    return ref


def document_type(value: Any) -> str:
    """A documentType as the codelist spells it, whatever the case and spacing ("Tender Notice" → "tendernotice")."""
    return re.sub(r"[\s_-]", "", value).lower() if isinstance(value, str) else ""


def documents(holder: dict, *types: str) -> Iterator[tuple[int, dict]]:
    """Documents of the given ``documentType``s (all documents when none are given); a type written with other case
    or spaces ("Tender Notice", as Mexico's airport group publishes it) is the codelist's type."""
    wanted = {document_type(t) for t in types}
    for i, doc in objs(holder.get("documents")):
        if not types or document_type(doc.get("documentType")) in wanted:
            yield i, doc


def earliest(dated: Iterator[tuple[dt.date | None, str]]) -> tuple[dt.date, str] | None:
    """The earliest (date, path) among those with a date."""
    known = [(d, p) for d, p in dated if d is not None]
    return min(known, key=lambda pair: pair[0]) if known else None


def days_between(start: dt.date, end: dt.date) -> int:
    """Calendar days from ``start`` to ``end``, the day of ``start`` not counted (《民法典》第201条)."""
    return (end - start).days


def misspelt(holder: dict, field: str) -> str | None:
    """A key of ``holder`` that looks like a misspelling of ``field`` (``tederPeriod`` for ``tenderPeriod``), when
    ``field`` itself is absent: a data problem to report, not a value to read."""
    if field in holder:
        return None
    near = difflib.get_close_matches(field, [k for k in holder if isinstance(k, str)], n=1, cutoff=0.85)
    return near[0] if near else None


def organisation_name(organisation: dict) -> str | None:
    """The name of an organisation: ``name``, else ``identifier.legalName`` (where some publishers put it)."""
    return text(organisation.get("name")) or text(obj(organisation.get("identifier")).get("legalName"))
