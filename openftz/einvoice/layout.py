"""The human-readable layout of an invoice (发票版式): the term tree arranged into labelled sections and tables.

One layout feeds both the HTML page and the PDF, so the two always show the same terms. Every label carries its
BT/BG id and both names; every term the document has is shown somewhere (nothing is dropped), in the order of
EN 16931. Pure.
"""
from __future__ import annotations

from .semantic import Tree, name_of

HEADER_TERMS = ("BT-1", "BT-2", "BT-3", "BT-5", "BT-6", "BT-7", "BT-8", "BT-9")
REFERENCE_TERMS = ("BT-10", "BT-11", "BT-12", "BT-13", "BT-14", "BT-15", "BT-16", "BT-17", "BT-18", "BT-18-1", "BT-19")
PARTY_GROUPS = ("BG-4", "BG-7", "BG-10", "BG-11", "BG-13")
LINE_COLUMNS = ("BT-126", "BT-153", "BT-129", "BT-130", "BT-146", "BT-151", "BT-152", "BT-131")


def label(term: str) -> dict:
    names = name_of(term)
    return {"term": term, "zh": names["zh"], "en": names["en"]}


def text_of(value) -> str:
    if isinstance(value, list):  # repeated terms stay aligned with their sub-terms: an empty one shows as —
        return "; ".join(text_of(v) or "—" for v in value)
    return "" if value is None else str(value)


def fields(group: Tree | None, *, skip: tuple[str, ...] = ()) -> list[dict]:
    """Every leaf term of a group, nested groups flattened in order (their terms name themselves)."""
    out: list[dict] = []
    for term, value in (group or {}).items():
        if term in skip:
            continue
        if isinstance(value, dict):
            out += fields(value)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for item in value:
                out += fields(item)
        else:
            out.append({**label(term), "value": text_of(value)})
    return out


def _flat(row: Tree) -> dict[str, str]:
    return {f["term"]: f["value"] for f in fields(row)}


def table(term: str, rows: list[Tree] | None, *, columns: tuple[str, ...] | None = None) -> dict | None:
    """A repeating group as a table: the given columns (or every term the rows have), and, per row, the terms
    not in a column as details."""
    if not rows:
        return None
    flat = [_flat(row) for row in rows]
    if columns is None:
        seen: dict[str, None] = {}
        for row in flat:
            seen.update(dict.fromkeys(row))
        columns = tuple(seen)
    details = [[f for f in fields(row) if f["term"] not in columns] for row in rows]
    return {
        **label(term),
        "columns": [label(c) for c in columns],
        "rows": [{"cells": [row.get(c, "") for c in columns], "details": d} for row, d in zip(flat, details, strict=True)],
    }


def sections(tree: Tree) -> list[dict]:
    """The invoice as sections: the document, the parties, lines, allowances and charges, VAT, totals, payment,
    notes and supporting documents."""
    out: list[dict] = []
    head = [{**label(t), "value": text_of(tree[t])} for t in HEADER_TERMS if t in tree]
    head += fields(tree.get("BG-2"))
    head += [{**label(t), "value": text_of(tree[t])} for t in REFERENCE_TERMS if t in tree]
    out.append({**label("BG-0"), "fields": head, "tables": [t for t in [table("BG-3", tree.get("BG-3"))] if t]})
    for group in PARTY_GROUPS:
        if group in tree:
            out.append({**label(group), "fields": fields(tree[group]), "tables": []})
    lines = table("BG-25", tree.get("BG-25"), columns=LINE_COLUMNS)
    if lines:
        out.append({**label("BG-25"), "fields": [], "tables": [lines]})
    charges = [t for t in (table("BG-20", tree.get("BG-20")), table("BG-21", tree.get("BG-21"))) if t]
    if charges:
        out.append({"term": "BG-20 / BG-21", "zh": "整单折让与附加费用", "en": "Document level allowances and charges",
                    "fields": [], "tables": charges})
    vat = table("BG-23", tree.get("BG-23"))
    if vat:
        out.append({**label("BG-23"), "fields": [], "tables": [vat]})
    if "BG-22" in tree:
        out.append({**label("BG-22"), "fields": fields(tree["BG-22"]), "tables": []})
    payment = [f for means in tree.get("BG-16") or [] for f in fields(means)]
    if "BT-20" in tree:
        payment.append({**label("BT-20"), "value": text_of(tree["BT-20"])})
    if payment:
        out.append({**label("BG-16"), "fields": payment, "tables": []})
    notes = [f for note in tree.get("BG-1") or [] for f in fields(note)]
    if notes:
        out.append({**label("BG-1"), "fields": notes, "tables": []})
    documents = table("BG-24", tree.get("BG-24"))
    if documents:
        out.append({**label("BG-24"), "fields": [], "tables": [documents]})
    return out


def shown_terms(layout: list[dict]) -> set[str]:
    """Every term id the layout shows (the test that nothing is dropped compares it with the tree)."""
    out: set[str] = set()
    for section in layout:
        out.update(f["term"] for f in section["fields"])
        for t in section["tables"]:
            out.update(c["term"] for c in t["columns"])
            for row in t["rows"]:
                out.update(f["term"] for f in row["details"])
    return out
