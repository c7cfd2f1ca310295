"""Chinese full-text search over measures.

Chinese has no spaces between words, so the index works on characters: on SQLite an FTS5 table
with the trigram tokenizer, on PostgreSQL a pg_trgm GIN index over the same folded text. A query is
split on spaces and every term must occur (AND); terms shorter than three characters (two-character
Chinese words such as 数据) cannot use a trigram index and are matched by a scan of the candidates.
Results are ranked by BM25-style term frequency, with a bonus where a term is in the English title.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch

from .models import Measure, MeasureUnit
from .parser import fold

FTS_TABLE = "rulebook_measure_fts"
_MEASURE_ID = re.compile(r"^(sc|sh)\s*-?\s*(\d{1,3}|closing)$")
K1, B, AVERAGE_LENGTH = 1.2, 0.75, 220


def normalise(text: str) -> str:
    return fold(text).lower()


def search_text(measure_id: str, text: str, title_en: str, units: list[str]) -> str:
    """The indexed text of a measure: folded and lower-cased, so that full-width and case do not matter."""
    return normalise("\n".join([measure_id, text, title_en, " ".join(units)]))


def terms(query: str) -> list[str]:
    """At most 8 words of the query; control characters (NUL among them, which neither FTS5 nor PostgreSQL accept) separate words."""
    return [t for t in re.sub(r"[\x00-\x1f\x7f]", " ", normalise(query)).split() if t][:8]


def index_rebuild() -> None:
    """Refill the SQLite FTS5 table from the measures (PostgreSQL indexes the column itself)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (measure_id, body) VALUES (%s, %s)",
            list(Measure.objects.values_list("id", "search_text")),
        )


def candidate_ids(query_terms: list[str]) -> list[str]:
    """Ids of the measures whose text holds every term."""
    if connection.vendor == "sqlite":
        long_terms = [t for t in query_terms if len(t) >= 3]
        short_terms = [t for t in query_terms if len(t) < 3]
        clauses, params = [], []
        if long_terms:
            clauses.append(f"{FTS_TABLE} MATCH %s")
            params.append(" AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms))
        for t in short_terms:
            clauses.append("instr(body, %s) > 0")
            params.append(t)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT measure_id FROM {FTS_TABLE} WHERE {' AND '.join(clauses)}", params)
            return [row[0] for row in cursor.fetchall()]
    qs = Measure.objects.all()
    for t in query_terms:
        qs = qs.filter(search_text__contains=t)
    return list(qs.values_list("id", flat=True))


@dataclass(frozen=True)
class Hit:
    measure: Measure
    score: float
    before: str
    match: str
    after: str


def rank(search_text: str, title_en: str, query_terms: list[str]) -> float:
    score = 0.0
    norm = K1 * (1 - B + B * len(search_text) / AVERAGE_LENGTH)
    for t in query_terms:
        tf = search_text.count(t)
        score += tf * (K1 + 1) / (tf + norm) * (1 + len(t) / 4)
        if t in title_en.lower():
            score += 1.0
    return round(score, 4)


def snippet(text: str, query_terms: list[str], width: int = 36) -> tuple[str, str, str]:
    """The text around the first occurrence of a term, split as (before, match, after)."""
    folded = normalise(text)
    if len(folded) != len(text):  # lower() changed lengths: positions no longer map
        return text[: width * 2], "", ""
    found = [(folded.find(t), t) for t in query_terms if folded.find(t) >= 0]
    if not found:
        return text[: width * 2] + ("…" if len(text) > width * 2 else ""), "", ""
    start, term = min(found)
    end = start + len(term)
    before = ("…" if start > width else "") + text[max(0, start - width):start]
    after = text[end:end + width] + ("…" if end + width < len(text) else "")
    return before, text[start:end], after


def search(query: str, measures, *, limit: int = 50, find=candidate_ids) -> list[Hit]:
    """Search ``measures`` (a queryset, already filtered) for ``query``; best first.

    ``find`` picks the candidate ids; the benchmark swaps in an unindexed scan to measure the index.
    """
    query_terms = terms(query)
    if not query_terms:
        return []
    exact = _MEASURE_ID.match(" ".join(query_terms))
    if exact:
        wanted = f"{exact.group(1).upper()}-{exact.group(2)}"
        return [Hit(m, 100.0, m.text[:72], "", "") for m in _with_units(measures.filter(id=wanted))]
    # Rank on the bare columns, then load only the page of results with their units.
    rows = measures.filter(id__in=find(query_terms)).values_list("id", "search_text", "title_en", "plan_id", "position")
    ranked = sorted((-rank(text, title, query_terms), plan, position, mid) for mid, text, title, plan, position in rows)[:limit]
    loaded = {m.id: m for m in _with_units(Measure.objects.filter(id__in=[r[3] for r in ranked]))}
    return [Hit(loaded[mid], -score, *snippet(loaded[mid].text, query_terms)) for score, _, _, mid in ranked]


def _with_units(qs):
    return qs.select_related("plan", "chapter").prefetch_related(
        Prefetch("unit_links", queryset=MeasureUnit.objects.select_related("unit").order_by("position"))
    )
