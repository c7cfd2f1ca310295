"""The UBL elements and attributes that EN 16931 does not use (the UBL-CR rules), as the rows of
``data/einvoice/ubl-cr.tsv``. Read once, by the syntax rules that warn of them and by the parser, which records the
first occurrence of each element they name (and of every element the model does not read) rather than of every
element of a document."""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

TABLE = Path(__file__).resolve().parents[2] / "data" / "einvoice" / "ubl-cr.tsv"


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
