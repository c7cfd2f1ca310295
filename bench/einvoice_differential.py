"""Differential check of the e-invoice validator: one version of the code writes, for every document, its findings
under both rule sets (in order), the whole model and the semantic tree; another version reads them back and
compares. The documents are the official EN 16931 unit tests and examples under `tests/data/einvoice/` and seeded
mutations of each (elements removed, repeated, moved, renamed, emptied; texts, attributes, children, comments and
processing instructions added or changed), so both runs see the same documents.

A change meant only to make validation faster must leave every line identical:

    git archive <before> openftz data | tar -x -C <dir>      # the code before the change, anywhere
    .venv/bin/python bench/einvoice_differential.py --code <dir> --write before.jsonl
    .venv/bin/python bench/einvoice_differential.py --compare before.jsonl

`--mutants N` mutations per document (default 10). Exit status 1 when a document's findings or model differ.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def documents(mutants: int) -> list[bytes]:
    from tests.einvoice.mutants import mutate, sources

    rng = random.Random(20240607)
    originals = sources()
    return originals + [mutate(data, rng) for data in originals for _ in range(mutants)]


def lines(mutants: int):
    from openftz.einvoice.parse import UnreadableDocument, parse
    from openftz.einvoice.rules import check
    from openftz.einvoice.semantic import invoice_tree
    from tests.einvoice.mutants import dump

    for data in documents(mutants):
        try:
            invoice = parse(data)
        except UnreadableDocument as exc:
            record = {"error": [exc.rule, exc.message_en]}
        else:
            record = {"en16931": check(invoice, "en16931"), "peppol": check(invoice, "peppol"),
                      "model": dump(invoice), "tree": invoice_tree(invoice)}
        record["doc"] = hashlib.sha1(data).hexdigest()
        yield json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--code", type=Path, default=ROOT, help="the checkout whose openftz package is checked")
    args.add_argument("--mutants", type=int, default=10)
    mode = args.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", type=Path)
    mode.add_argument("--compare", type=Path)
    opts = args.parse_args()
    sys.path[:0] = [str(opts.code.resolve()), str(ROOT)]
    import openftz

    print(f"the openftz package of {Path(openftz.__file__).parents[1]}")
    if opts.write:
        with opts.write.open("w", encoding="utf-8") as out:
            n = sum(out.write(line + "\n") > 0 for line in lines(opts.mutants))
        print(f"{n} documents written to {opts.write}")
        return 0
    findings = models = n = 0
    with opts.compare.open(encoding="utf-8") as before:
        for n, (old, new) in enumerate(zip(before, lines(opts.mutants), strict=True), 1):
            if old.rstrip("\n") == new:
                continue
            a, b = json.loads(old), json.loads(new)
            if any(a.get(k) != b.get(k) for k in ("error", "en16931", "peppol")):
                findings += 1
                what = "findings"
            else:
                models += 1
                what = "model"
            if findings + models <= 5:
                print(f"document {n} ({a['doc']}): the {what} differ")
    print(f"{n} documents: findings differ in {findings}, only the model or the tree in {models}")
    return 1 if findings or models else 0


if __name__ == "__main__":
    sys.exit(main())
