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
import copy
import dataclasses
import hashlib
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "einvoice"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
TEXTS = ("", "  ", " \n ", "0.001", "12.345", "-1", "1e3", "abc", "XX", "S", "Z", "E", "AE", "K", "G", "O", "L", "M",
         "VAT", "true", "false", "1", "0", "2024-13-45", "2024-02-29", "380", "381", "EUR", "USD", "C62", "58", "30",
         "0088", "9930", "DE123", " S ", "100.00", "100", ".5", "+3.10", "NaN", "€", "<x>", "1,5")
ATTRIBUTES = (("currencyID", "USD"), ("currencyID", "EUR"), ("schemeID", "0088"), ("schemeID", "XX"),
              ("unitCode", "XXX"), ("unitCode", "C62"), ("listID", ""), ("mimeCode", "text/plain"),
              ("filename", "a.pdf"), ("foo", "bar"), ("name", "Credit"), ("listVersionID", "1"))
NAMES = tuple([f"{{{CBC}}}{n}" for n in ("ID", "Note", "Amount", "Percent", "Name", "Foo", "TaxAmount", "CompanyID",
                                        "EndpointID", "IdentificationCode", "ChargeIndicator", "InvoicedQuantity")]
              + [f"{{{CAC}}}{n}" for n in ("TaxCategory", "TaxScheme", "Party", "Country", "Bar", "AllowanceCharge",
                                          "Item", "InvoiceLine", "Price", "PostalAddress")]
              + ["{urn:example:other}Thing", "Plain"])


def sources() -> list[bytes]:
    from tests.einvoice.vefa import cases

    files = sorted((DATA / "en16931-examples").iterdir()) + sorted((DATA / "en16931-testfiles").iterdir())
    return [c.document for c in cases()] + [p.read_bytes() for p in files]


def mutate(data: bytes, rng: random.Random) -> bytes:
    from lxml import etree

    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    for _ in range(rng.randint(1, 3)):
        elements = [e for e in root.iter() if isinstance(e.tag, str)]
        el = rng.choice(elements)
        parent = el.getparent()
        op = rng.randrange(11)
        if op == 0 and parent is not None:
            parent.remove(el)
        elif op == 1 and parent is not None:
            parent.insert(parent.index(el) + rng.randint(0, 1), copy.deepcopy(el))
        elif op == 2:
            el.text = rng.choice(TEXTS)
        elif op == 3:
            el.set(*rng.choice(ATTRIBUTES))
        elif op == 4:
            el.attrib.clear()
        elif op == 5:
            child = etree.SubElement(el, rng.choice(NAMES))
            child.text = rng.choice(TEXTS)
            if rng.random() < 0.3:
                child.set(*rng.choice(ATTRIBUTES))
        elif op == 6 and parent is not None:
            target = rng.choice(elements)
            if target is not el and el not in target.iterancestors():
                target.insert(rng.randint(0, len(target)), el)
        elif op == 7:
            node = etree.Comment("c") if rng.random() < 0.5 else etree.ProcessingInstruction("pi", "x")
            el.insert(rng.randint(0, len(el)), node)
        elif op == 8 and parent is not None and len(parent) > 1:
            i, j = rng.sample(range(len(parent)), 2)
            a, b = parent[i], parent[j]
            parent.replace(a, etree.Element("placeholder"))
            parent.replace(b, a)
            parent.replace(parent[i], b)
        elif op == 9 and parent is not None:
            el.tag = rng.choice(NAMES)
        elif op == 10:
            for child in list(el):
                el.remove(child)
            el.text = rng.choice(TEXTS)
    return etree.tostring(root, xml_declaration=rng.random() < 0.5, encoding="UTF-8")


def documents(mutants: int) -> list[bytes]:
    rng = random.Random(20240607)
    originals = sources()
    return originals + [mutate(data, rng) for data in originals for _ in range(mutants)]


def dump(obj):
    """The model as plain data: every field of every object (a value's cached number left out)."""
    if dataclasses.is_dataclass(obj):
        out = {f.name: dump(getattr(obj, f.name)) for f in dataclasses.fields(obj) if not f.name.startswith("_")}
        out["@"] = type(obj).__name__
        return out
    if isinstance(obj, (tuple, list)):
        return [dump(x) for x in obj]
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    if isinstance(obj, dict):
        return {k: dump(v) for k, v in obj.items()}
    return obj


def lines(mutants: int):
    from openftz.einvoice.parse import UnreadableDocument, parse
    from openftz.einvoice.rules import check
    from openftz.einvoice.semantic import invoice_tree

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
