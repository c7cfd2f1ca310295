"""The UBL elements and attributes that EN 16931 does not use: the UBL-CR rules, as the rows of
``data/einvoice/ubl-cr.tsv``, and the attributes of the UBL-DT rules. Read once, by the syntax rules that warn of
them and by the parser, which records the first occurrence of each element and attribute they name (and of every
element and attribute of an element the model does not read) rather than of every one in a document."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

TABLE = Path(__file__).resolve().parents[2] / "data" / "einvoice" / "ubl-cr.tsv"
# Attributes UBL allows but EN 16931 does not use, on any element: the rule that warns of each.
ATTRIBUTE_RULES = {
    "schemeName": "UBL-DT-08", "schemeAgencyName": "UBL-DT-09", "schemeDataURI": "UBL-DT-10", "schemeURI": "UBL-DT-11",
    "format": "UBL-DT-12", "unitCodeListIdentifier": "UBL-DT-13", "unitCodeListAgencyIdentifier": "UBL-DT-14",
    "unitCodeListAgencyName": "UBL-DT-15", "listAgencyName": "UBL-DT-16", "listName": "UBL-DT-17", "name": "UBL-DT-18",
    "languageID": "UBL-DT-19", "listURI": "UBL-DT-20", "listSchemeURI": "UBL-DT-21", "languageLocaleID": "UBL-DT-22",
    "uri": "UBL-DT-23", "currencyCodeListVersionID": "UBL-DT-24", "characterSetCode": "UBL-DT-25",
    "encodingCode": "UBL-DT-26", "schemeAgencyID": "UBL-DT-27", "listAgencyID": "UBL-DT-28",
}


class Row(NamedTuple):
    id: str
    severity: str
    path: str  # "/" (any element), "//…" (at any depth), or the positionless path of the element
    keys: tuple[str, ...]  # the positionless paths the row names: a line row's under both kinds of line
    attribute: str  # "" for a row about an element
    message: str


@cache
def rows() -> tuple[Row, ...]:
    out = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            rid, severity, where, path, attribute, message = line.split("\t")
            keys = (path,) if where != "line" else (f"cac:InvoiceLine/{path}", f"cac:CreditNoteLine/{path}")
            out.append(Row(rid, severity, path, keys, attribute, message))
    return tuple(out)


def element_places() -> tuple[frozenset[str], tuple[str, ...]]:
    """The positionless paths of the rows about an element, and the ends of those that match at any depth."""
    element_rows = [r for r in rows() if not r.attribute]
    exact = frozenset(key for r in element_rows if not r.path.startswith("/") for key in r.keys)
    return exact, tuple(r.path[2:] for r in element_rows if r.path.startswith("//"))


@cache
def _attribute_places() -> tuple[dict[str, frozenset[str]], tuple[tuple[str, str], ...], frozenset[str]]:
    """The attribute rows: by the positionless path they name, (end, attribute) for those at any depth, and the
    attributes a rule is about on any element (those of the UBL-DT rules and of the rows on "/")."""
    exact: dict[str, set[str]] = {}
    ends, everywhere = [], set(ATTRIBUTE_RULES)
    for r in rows():
        if not r.attribute:
            continue
        if r.path == "/":
            everywhere.add(r.attribute)
        elif r.path.startswith("//"):
            ends.append((r.path[2:], r.attribute))
        else:
            for key in r.keys:
                exact.setdefault(key, set()).add(r.attribute)
    return {k: frozenset(v) for k, v in exact.items()}, tuple(ends), frozenset(everywhere)


def attributes_at(key: str) -> frozenset[str]:
    """The attributes of an element at ``key`` (a positionless path) that a rule can be about: those of the UBL-DT
    rules and of the rows on any element, and those a row names at this place or at the end of it."""
    exact, ends, everywhere = _attribute_places()
    here = exact.get(key, frozenset()) | {a for end, a in ends if key == end or key.endswith("/" + end)}
    return everywhere | here if here else everywhere
