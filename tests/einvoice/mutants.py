"""Seeded mutations of e-invoice documents and the model as plain data, for the differential checks: the
compiled walk against the Python walk (``test_compiled_walk.py``) and one version of the code against another
(``bench/einvoice_differential.py``)."""
from __future__ import annotations

import copy
import dataclasses
import random
from pathlib import Path

from lxml import etree

DATA = Path(__file__).resolve().parents[1] / "data" / "einvoice"
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
    """Every document of the official VEFA unit tests, then every official example and test file (EN 16931's, then
    the Peppol release's)."""
    from tests.einvoice.vefa import cases

    files = (sorted((DATA / "en16931-examples").iterdir()) + sorted((DATA / "en16931-testfiles").iterdir())
             + sorted(DATA.glob("peppol-*/*.xml")))
    return [c.document for c in cases()] + [p.read_bytes() for p in files]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """``data`` with one to three random changes: elements removed, repeated, moved, renamed, emptied; texts,
    attributes, children, comments and processing instructions added or changed."""
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
