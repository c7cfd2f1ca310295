"""The automatic aligner: which national measure(s) a local implementation measure carries out.

A local plan (实施方案) rewrites each national measure in its own words, mostly in the same order and
under the same chapter headings. The aligner scores every (local, national) pair by the cosine of
their character n-gram TF-IDF vectors, adds a prior for pairs under matching chapters and at similar
relative positions within them, and proposes for each local measure its best national measure plus
any other whose score comes close. A trailing local chapter with no national counterpart (保障措施)
is matched to the national plan's unnumbered closing paragraph.

It proposes; people decide: the reviewed table is ``data/rulebook/crosswalk.yaml`` and the test suite
reports the aligner's precision and recall against it.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from .parser import fold

NGRAMS = (2, 3)
CHAPTER_WEIGHT = 0.12  # added when both measures sit under matching chapters
POSITION_WEIGHT = 0.10  # times (1 - |relative position difference|) within matching chapters
KEEP_RATIO = 0.75  # a second national measure is proposed when its score is at least this share of the best
MIN_CHAPTER_SIMILARITY = 0.3  # chapter titles less alike than this do not match

_NOISE = re.compile(r"[\s\d\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Item:
    """What the aligner needs of a measure: its id, text, chapter title and place in its chapter."""

    id: str
    text: str
    chapter: str | None  # chapter title; None for an unnumbered closing paragraph
    position: float = 0.0  # 0…1 within its chapter


@dataclass(frozen=True)
class Link:
    local: str
    national: str
    score: float
    similarity: float


def ngrams(text: str, sizes: Sequence[int] = NGRAMS) -> Counter:
    clean = _NOISE.sub(" ", fold(text).lower())
    grams: Counter = Counter()
    for chunk in clean.split():
        for n in sizes:
            grams.update(chunk[i:i + n] for i in range(len(chunk) - n + 1))
    return grams


def tfidf(documents: dict[str, Counter]) -> dict[str, dict[str, float]]:
    df: Counter = Counter()
    for grams in documents.values():
        df.update(grams.keys())
    n = len(documents)
    vectors = {}
    for key, grams in documents.items():
        vec = {g: (1 + math.log(tf)) * math.log((1 + n) / (1 + df[g])) for g, tf in grams.items()}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        vectors[key] = {g: w / norm for g, w in vec.items()}
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(g, 0.0) for g, w in a.items())


def with_positions(items: Iterable[tuple[str, str, str | None]]) -> list[Item]:
    """(id, text, chapter title) in plan order → Items with their relative place in the chapter."""
    rows = list(items)
    by_chapter: dict[str | None, list[int]] = {}
    for i, (_, _, chapter) in enumerate(rows):
        by_chapter.setdefault(chapter, []).append(i)
    out = []
    for i, (mid, text, chapter) in enumerate(rows):
        members = by_chapter[chapter]
        place = members.index(i)
        out.append(Item(mid, text, chapter, place / (len(members) - 1) if len(members) > 1 else 0.5))
    return out


def chapter_map(local: Sequence[Item], national: Sequence[Item]) -> dict[str | None, str | None]:
    """Each local chapter title → the most similar national chapter title (None: the closing paragraph)."""
    local_titles = list(dict.fromkeys(i.chapter for i in local if i.chapter))
    national_titles = list(dict.fromkeys(i.chapter for i in national if i.chapter))
    vectors = tfidf({("L", t): ngrams(t) for t in local_titles} | {("N", t): ngrams(t) for t in national_titles})
    mapping: dict[str | None, str | None] = {None: None}
    for title in local_titles:
        best = max(national_titles, key=lambda t: cosine(vectors[("L", title)], vectors[("N", t)]), default=None)
        good = best is not None and cosine(vectors[("L", title)], vectors[("N", best)]) >= MIN_CHAPTER_SIMILARITY
        mapping[title] = best if good else None
    return mapping


def score_matrix(local: Sequence[Item], national: Sequence[Item]) -> dict[tuple[str, str], tuple[float, float]]:
    """(local id, national id) → (score with priors, plain text similarity)."""
    vectors = tfidf({("L", i.id): ngrams(i.text) for i in local} | {("N", i.id): ngrams(i.text) for i in national})
    chapters = chapter_map(local, national)
    scores = {}
    for li in local:
        target = chapters.get(li.chapter)
        for ni in national:
            similarity = cosine(vectors[("L", li.id)], vectors[("N", ni.id)])
            score = similarity
            if ni.chapter == target:
                score += CHAPTER_WEIGHT + POSITION_WEIGHT * (1 - abs(li.position - ni.position))
            scores[(li.id, ni.id)] = (score, similarity)
    return scores


def align(local: Sequence[Item], national: Sequence[Item]) -> list[Link]:
    """Proposed links: every local measure gets its best national measure, plus any close second."""
    scores = score_matrix(local, national)
    links = []
    for li in local:
        ranked = sorted(((scores[(li.id, ni.id)], ni.id) for ni in national), reverse=True)
        (best, best_sim), _ = ranked[0]
        for (score, sim), nid in ranked:
            if score >= best * KEEP_RATIO:
                links.append(Link(li.id, nid, round(score, 4), round(sim, 4)))
    return links


def precision_recall(proposed: Iterable[tuple[str, str]], reviewed: Iterable[tuple[str, str]]) -> dict[str, float]:
    proposed, reviewed = set(proposed), set(reviewed)
    hits = len(proposed & reviewed)
    precision = hits / len(proposed) if proposed else 0.0
    recall = hits / len(reviewed) if reviewed else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "proposed": len(proposed), "reviewed": len(reviewed), "agreed": hits}
