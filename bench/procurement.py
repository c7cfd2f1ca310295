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
    docs = [json.dumps(json.loads(p.read_bytes()), ensure_ascii=False) for p in sorted((ROOT / "tests/data/procurement").rglob("*.json"))
            if p.relative_to(ROOT / "tests/data/procurement").parts[0] != "real"]  # real/: the labelled sample's extra releases
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


def bare(path: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) to read and parse every line."""
    t0, c0 = time.perf_counter(), time.process_time()
    with path.open("rb") as stream:
        for line in stream:
            json.loads(line)
    return time.perf_counter() - t0, time.process_time() - c0


def check(path: Path, workers: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its workers) of the whole check, a JSON line out per result."""
    ctx = Context.at(dt.date(2025, 1, 1))
    t0, before = time.perf_counter(), os.times()
    with path.open("rb") as stream, open(os.devnull, "w", encoding="utf-8") as sink:
        for result in check_stream(stream, ctx, workers=workers):
            sink.write(json.dumps(result, ensure_ascii=False) + "\n")
    after = os.times()
    cpu = (after.user + after.system + after.children_user + after.children_system) - (before.user + before.system + before.children_user + before.children_system)
    return time.perf_counter() - t0, cpu


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "releases.jsonl"
        releases, lines = build(path)
        size = path.stat().st_size
        runs: dict[str, list[tuple[float, float]]] = {"bare": [], "1": [], "2": []}
        for _ in range(ROUNDS):  # interleaved, so that a busy moment of the machine hits all three alike
            runs["bare"].append(bare(path))
            runs["1"].append(check(path, 1))
            runs["2"].append(check(path, 2))
    best = {k: min(v) for k, v in runs.items()}  # the fastest wall time of each, with its CPU time
    base_wall, base_cpu = best["bare"]
    print(f"{releases:,} releases in {lines:,} lines ({size / 1e6:,.1f} MB) of real OCDS data from 7 countries; best of {ROUNDS} "
          f"interleaved runs; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end")
    print(f"baseline: read + json.loads every line                  {releases / base_wall:>7,.0f} releases/s  ({size / 1e6 / base_wall:,.0f} MB/s)")
    for workers in ("1", "2"):
        wall, cpu = best[workers]
        label = f"check, {workers} process{'es' if workers == '2' else '  '} (parse, upgrade, merge, rules, JSON out)"
        print(f"{label} {releases / wall:>7,.0f} releases/s  ({wall / base_wall:.1f}x the bare parse's time; CPU {cpu / base_cpu:.1f}x)")


if __name__ == "__main__":
    main()
