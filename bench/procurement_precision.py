"""Precision and recall of the procurement checker on real data, against a labelled sample.

Runs the checker over the real OCDS releases (``../shared/testdata/ocds`` beside the checkout, else the copy under
``tests/data/procurement``) and prints what fires per rule; then compares, for each labelled (release, rule) of
``tests/data/procurement/labelled.yaml`` (how it was built is written at its top), the checker's verdict — the most
severe finding of that rule, or none — with the label. Precision of violations: of the violations the checker
reports on labelled pairs, the share labelled violation; recall: of the labelled violations, the share it reports.

    .venv/bin/python bench/procurement_precision.py [--on 2025-01-01] [--data DIR] [--quiet]
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from openftz.procurement.compile import Compiled, compiled_releases  # noqa: E402
from openftz.procurement.rules import RULES, Context, check_release  # noqa: E402

LABELS = ROOT / "tests" / "data" / "procurement" / "labelled.yaml"
ORDER = {"none": 0, "info": 1, "warning": 2, "violation": 3}


def data_root(given: str | None = None) -> Path:
    """--data if given; else ``shared/testdata/ocds`` beside the checkout; else the copy under tests/data."""
    if given:
        return Path(given).resolve()
    shared = ROOT.parent / "shared" / "testdata" / "ocds"
    return shared if shared.is_dir() else ROOT / "tests" / "data" / "procurement"


def releases(path: Path):
    for item in compiled_releases(json.loads(path.read_text(encoding="utf-8"))):
        if isinstance(item, Compiled):
            yield item


def verdict(findings, rule: str) -> str:
    return max((f.severity.value for f in findings if f.rule == rule), key=ORDER.__getitem__, default="none")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--on", default="2025-01-01", help="the day whose rules apply (YYYY-MM-DD)")
    parser.add_argument("--quiet", action="store_true", help="do not list the disagreements")
    parser.add_argument("--data", help="the folder of real OCDS data (default: ../shared/testdata/ocds, else tests/data/procurement)")
    args = parser.parse_args(argv)
    ctx = Context.at(dt.date.fromisoformat(args.on))
    root = data_root(args.data)
    print(f"data: {root.relative_to(ROOT) if root.is_relative_to(ROOT) else root.name}")

    fired, count = collections.Counter(), 0
    for path in sorted(root.rglob("*.json")):
        if path.name.startswith("release-schema"):
            continue
        for item in releases(path):
            count += 1
            for f in check_release(item.release, ctx):
                fired[(f.rule, f.severity.value)] += 1
    print(f"\n{count} compiled releases checked; findings per rule:")
    for rule in RULES:
        row = {sev: fired[(rule, sev)] for sev in ("violation", "warning", "info")}
        if any(row.values()):
            print(f"  {rule:<22} violation {row['violation']:>4}  warning {row['warning']:>4}  info {row['info']:>4}")

    items = yaml.safe_load(LABELS.read_text(encoding="utf-8"))["items"]
    cache: dict[tuple[str, str], list | None] = {}
    per_rule: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    missing, wrong = [], []
    for item in items:
        key = (item["file"], item["ocid"])
        if key not in cache:
            path = root / item["file"]
            if not path.is_file():  # the labelled releases the tests' copy does not hold are under real/
                path = ROOT / "tests" / "data" / "procurement" / "real" / item["file"]
            found = [r for r in releases(path) if r.ocid == item["ocid"]] if path.is_file() else []
            cache[key] = list(check_release(found[0].release, ctx)) if found else None
        findings = cache[key]
        if findings is None:
            missing.append(key)
            continue
        got, want = verdict(findings, item["rule"]), item["expect"]
        c = per_rule[item["rule"]]
        c["pairs"] += 1
        c["agree"] += got == want
        c["tp"] += got == want == "violation"
        c["pred"] += got == "violation"
        c["true"] += want == "violation"
        if got != want:
            wrong.append((item, got))

    def pct(a: int, b: int) -> str:
        return f"{100 * a / b:5.1f}%" if b else "    –"

    print(f"\nlabelled sample: {len(items) - len(missing)} (release, rule) pairs of {len({k for k in cache if cache[k] is not None})} releases"
          + (f"; {len(missing)} pairs whose release is not in {root.name}" if missing else ""))
    print(f"  {'rule':<22} {'pairs':>5} {'agree':>7} {'violations: labelled':>21} {'reported':>8} {'precision':>9} {'recall':>7}")
    total = collections.Counter()
    for rule, c in sorted(per_rule.items()):
        total.update(c)
        print(f"  {rule:<22} {c['pairs']:>5} {pct(c['agree'], c['pairs']):>7} {c['true']:>21} {c['pred']:>8} {pct(c['tp'], c['pred']):>9} {pct(c['tp'], c['true']):>7}")
    print(f"  {'all':<22} {total['pairs']:>5} {pct(total['agree'], total['pairs']):>7} {total['true']:>21} {total['pred']:>8} "
          f"{pct(total['tp'], total['pred']):>9} {pct(total['tp'], total['true']):>7}")
    if wrong and not args.quiet:
        print("\ndisagreements (label → checker):")
        for item, got in wrong:
            print(f"  {item['ocid']:<36} {item['rule']:<20} {item['expect']} → {got}: {item['reason'][:110]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
