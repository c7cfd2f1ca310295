"""Procurement check benchmark: releases per second over a large JSON Lines file, beside bare JSON parsing.

Builds a file from the real government data under tests/data/procurement (one package, record or release per
line), repeated until it holds at least 10,000 releases; then times, in the same run, reading and parsing every
line with the standard json module (the baseline) and the whole check — parse, upgrade, merge with ocdsmerge, the
rules, a JSON line out per release — with one process and with two.
Run: `.venv/bin/python bench/procurement.py` (part of `make bench`).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from openftz.procurement.rules import Context  # noqa: E402
from openftz.procurement.stream import check_stream  # noqa: E402

MIN_RELEASES = 10_000
ROUNDS = 3


def build(path: Path) -> tuple[int, int]:
    docs = [json.dumps(json.loads(p.read_bytes()), ensure_ascii=False) for p in sorted((ROOT / "tests/data/procurement").rglob("*.json"))]
    ctx = Context.at(dt.date(2025, 1, 1))
    with tempfile.TemporaryFile() as one_pass:
        one_pass.write(("\n".join(docs) + "\n").encode())
        one_pass.seek(0)
        per_pass = sum(1 for r in check_stream(one_pass, ctx) if "error" not in r)
    passes = -(-MIN_RELEASES // per_pass)
    with path.open("w", encoding="utf-8") as out:
        for _ in range(passes):
            for doc in docs:
                out.write(doc + "\n")
    return passes * per_pass, passes * len(docs)


def bare(path: Path) -> float:
    t0 = time.perf_counter()
    with path.open("rb") as stream:
        for line in stream:
            json.loads(line)
    return time.perf_counter() - t0


def check(path: Path, workers: int) -> tuple[float, int]:
    ctx = Context.at(dt.date(2025, 1, 1))
    t0 = time.perf_counter()
    n = 0
    with path.open("rb") as stream, open(os.devnull, "w", encoding="utf-8") as sink:
        for result in check_stream(stream, ctx, workers=workers):
            sink.write(json.dumps(result, ensure_ascii=False) + "\n")
            n += "error" not in result
    return time.perf_counter() - t0, n


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "releases.jsonl"
        releases, lines = build(path)
        size = path.stat().st_size
        base = min(bare(path) for _ in range(ROUNDS))
        timings = {w: min(check(path, w)[0] for _ in range(ROUNDS)) for w in (1, 2)}
    print(f"{releases:,} releases in {lines:,} lines ({size / 1e6:,.1f} MB) of real OCDS data from 7 countries; best of {ROUNDS} runs, "
          f"machine with {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"baseline: read + json.loads every line             {releases / base:>9,.0f} releases/s  ({size / 1e6 / base:,.0f} MB/s)")
    for workers, seconds in timings.items():
        print(f"check, {workers} process{'es' if workers > 1 else '  '} (parse, upgrade, merge, rules, JSON out) {releases / seconds:>9,.0f} releases/s  "
              f"({seconds / base:.1f}x the bare parse)")


if __name__ == "__main__":
    main()
