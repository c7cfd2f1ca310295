"""Bilingual renderings of an invoice (发票转换): JSON keyed by BT/BG ids, a self-contained HTML page, a PDF.

The document is read once by the project's parser and judged by its validator (``validate_bytes``); an invalid
document converts too, with its findings shown. Only a document that cannot be read at all (not XML, not a UBL
invoice, a DOCTYPE …) is refused, with the validator's own reason.
"""
from __future__ import annotations

from openftz.core.citations import cites
from openftz.core.errors import OpenFTZError

from .china import china_view
from .layout import sections
from .parse import UnreadableDocument
from .semantic import Tree, business_terms, invoice_tree, with_names
from .validate import max_document_bytes, validated

CITES = cites("SC-29", "SH-44")
FORMAT = "openftz-einvoice-en16931/1"
FORMATS = ("json", "html", "pdf")
KIND_ZH = {"Invoice": "发票", "CreditNote": "贷记发票"}


def invoice_view(data: bytes, *, rules: str = "auto", max_bytes: int | None = None) -> dict:
    """Everything a rendering needs: the term tree, the validation result and the China view."""
    limit = max_bytes if max_bytes is not None else max_document_bytes()
    result, invoice = validated(data, rules=rules, max_bytes=limit)  # one parse for the findings and the terms
    if invoice is None:
        finding = result["findings"][0]
        raise UnreadableDocument(finding["rule"], finding["message_zh"], finding["message"])
    return view_of(invoice_tree(invoice), result)


def view_of(tree: Tree, result: dict) -> dict:
    fatal = sum(1 for f in result["findings"] if f["severity"] == "fatal")
    kind = result["document"]["kind"]
    return {
        "kind": kind, "kind_zh": KIND_ZH[kind], "number": tree.get("BT-1"),
        "valid": result["valid"], "ruleset": result["ruleset"], "findings": result["findings"],
        "fatal": fatal, "warnings": len(result["findings"]) - fatal,
        "tree": tree, "sections": sections(tree), "china": china_view(tree),
    }


def to_json(view: dict) -> dict:
    return {
        "format": FORMAT,
        "kind": view["kind"],
        "valid": view["valid"],
        "ruleset": view["ruleset"],
        "findings": view["findings"],
        "names": {"en": "EN 16931-1:2017", "zh": "OpenFTZ unofficial translation (非官方译名)",
                  "zh_unofficial": True, "count": len(business_terms())},
        "terms": with_names(view["tree"]),
    }


def to_html(view: dict) -> str:
    from django.template.loader import render_to_string

    return render_to_string("einvoice/invoice_page.html", {"view": view, "china": view["china"]})


def pdf_rows(view: dict) -> int:
    """The table rows a PDF of ``view`` sets: findings, every table's rows with their detail rows, China-view lines."""
    rows = len(view["findings"]) + len(view["china"]["items"]) + len(view["china"]["lines"])
    for section in view["sections"]:
        rows += (len(section["fields"]) + 1) // 2
        rows += sum(len(t["rows"]) + sum(1 for r in t["rows"] if r["details"]) for t in section["tables"])
    return rows


def pdf_max_rows() -> int:
    from django.conf import settings

    return settings.EINVOICE_PDF_MAX_ROWS


def to_pdf(view: dict) -> bytes:
    """The PDF; a document with more table rows than the operational limit ``EINVOICE_PDF_MAX_ROWS`` is refused
    (413) before any rendering — its JSON and HTML renderings have no such limit."""
    from .pdf import render_pdf

    rows, limit = pdf_rows(view), pdf_max_rows()
    if rows > limit:
        raise OpenFTZError(f"发票过大，无法生成 PDF（{rows} 行表格，上限 {limit} 行）；请改用 HTML 或 JSON",
                           f"the invoice is too large for a PDF ({rows} table rows, the limit is {limit}); "
                           "use the HTML or JSON rendering", code="too_large_for_pdf", status=413,
                           details={"rows": rows, "limit": limit})
    return render_pdf(view)
