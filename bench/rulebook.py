"""Rulebook benchmark: parse + align both plans, and search latency.

Prints each figure beside what it is compared with in the same run:
- parse + align against the target (0.5 s for both plans) and against a bare read + line split of the
  same files (the floor any parser pays);
- search p50/p95 through the index (FTS5 trigram on SQLite, pg_trgm on PostgreSQL) against the same
  queries answered by a plain ORM `icontains` scan without the index, and against the 20 ms target.

Run: `make bench` (or `.venv/bin/python bench/rulebook.py` after `make setup`).
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openftz.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from openftz.rulebook import align, search, selectors  # noqa: E402
from openftz.rulebook.models import Measure  # noqa: E402
from openftz.rulebook.parser import parse_plan  # noqa: E402
from openftz.rulebook.services import LOCAL, NATIONAL, PLAN_FILES, PLANS_DIR, aligner_items  # noqa: E402

QUERIES = ["数据出境", "电子提单", "政府采购", "知识产权", "再保险", "数据", "跨境 数据", "海关 监管", "Peppol", "临港新片区",
           "商用密码", "劳动者权益", "SH-43", "标准合同", "负面清单", "绿色金融", "供应商 质疑", "电子发票", "数字身份", "生物多样性"]
ROUNDS = 20


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def bench_parse_align():
    raws = {code: (PLANS_DIR / name).read_bytes() for code, name in PLAN_FILES.items()}
    parse_plan(raws["SC"], plan="SC")  # warm: loads OpenCC's dictionaries once
    totals, parses, aligns, floors = [], [], [], []
    for _ in range(ROUNDS):
        t0 = time.perf_counter()
        docs = {code: parse_plan(raw, plan=code) for code, raw in raws.items()}
        t1 = time.perf_counter()
        align.align(aligner_items(docs[LOCAL]), aligner_items(docs[NATIONAL]))
        t2 = time.perf_counter()
        parses.append(t1 - t0)
        aligns.append(t2 - t1)
        totals.append(t2 - t0)
        t3 = time.perf_counter()
        for raw in raws.values():
            raw.decode("utf-8").splitlines()
        floors.append(time.perf_counter() - t3)
    print(f"parse both plans      median {statistics.median(parses) * 1000:8.1f} ms")
    print(f"align SH→SC           median {statistics.median(aligns) * 1000:8.1f} ms")
    print(f"parse + align         median {statistics.median(totals) * 1000:8.1f} ms   max {max(totals) * 1000:.1f} ms   "
          f"target < 500 ms   baseline (read + split lines only) {statistics.median(floors) * 1000:.2f} ms")


def timed(fn, rounds=ROUNDS):
    samples = []
    for _ in range(rounds):
        for q in QUERIES:
            t0 = time.perf_counter()
            fn(q)
            samples.append((time.perf_counter() - t0) * 1000)
    return samples


def scan_ids(query_terms):
    """The candidate step without the index: a LIKE scan over the measures' text (Django icontains)."""
    qs = Measure.objects.all()
    for term in query_terms:
        qs = qs.filter(search_text__icontains=term)
    return list(qs.values_list("id", flat=True))


def bench_search():
    if not Measure.objects.exists():
        sys.exit("the rulebook is not loaded: run `make setup` first")
    indexed = timed(lambda q: [h.measure.id for h in selectors.search(q)])
    plain = timed(lambda q: [h.measure.id for h in search.search(q, Measure.objects.all(), find=scan_ids)])
    print(f"search ({connection.vendor}, {len(QUERIES)} queries × {ROUNDS})")
    print(f"  indexed search        p50 {pct(indexed, 50):6.2f} ms   p95 {pct(indexed, 95):6.2f} ms   target p95 < 20 ms")
    print(f"  same search, no index p50 {pct(plain, 50):6.2f} ms   p95 {pct(plain, 95):6.2f} ms   (candidates by an icontains scan instead of the index)")


if __name__ == "__main__":
    bench_parse_align()
    bench_search()
