"""``openftz einvoice convert | china-view | register | check-registered | verify-receipt | envelope``.

Registered on the ``openftz einvoice`` typer app of :mod:`openftz.einvoice.cli`. Bad input ends with one line on
stderr and exit status 2.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from openftz.core.cli import clean_errors, django_setup, fail

from .cli import app


def _read(path: Path) -> bytes:
    """The file's bytes, refusing one larger than the validator reads, or exit 2."""
    from .validate import max_document_bytes

    limit = max_document_bytes()
    try:
        if path.stat().st_size > limit:
            fail(f"error: {path}: the document exceeds the limit of {limit} bytes / 文件超过 {limit} 字节上限")
        return path.read_bytes()
    except OSError as exc:
        fail(f"error: cannot read {path}: {exc.strerror or exc} / 无法读取文件")


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@app.command()
@clean_errors
def convert(
    path: Path = typer.Argument(..., help="a UBL 2.1 Invoice or CreditNote"),
    to: str = typer.Option(..., "--to", help="json | html | pdf"),
    output: Path = typer.Option(None, "--output", "-o", help="write here instead of standard output"),
    rules: str = typer.Option("auto", "--rules", help="auto | en16931 | peppol"),
) -> None:
    """Render the invoice for people, in Chinese and English: JSON keyed by BT/BG ids, an HTML page, or a PDF.
    Invalid documents convert too, with their findings."""
    from .convert import FORMATS, invoice_view, to_html, to_json, to_pdf
    from .validate import RULE_CHOICES

    if to not in FORMATS:
        fail(f"error: --to must be one of {', '.join(FORMATS)}")
    if rules not in RULE_CHOICES:
        fail(f"error: --rules must be one of {', '.join(RULE_CHOICES)}")
    if to == "pdf" and output is None and sys.stdout.isatty():
        fail("error: a PDF is binary: give --output FILE or redirect standard output")
    django_setup()
    view = invoice_view(_read(path), rules=rules)
    if to == "json":
        body = (json.dumps(to_json(view), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    elif to == "html":
        body = to_html(view).encode("utf-8")
    else:
        body = to_pdf(view)
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(body)
    except OSError as exc:
        fail(f"error: cannot write {output}: {exc.strerror or exc} / 无法写入文件")


@app.command("china-view")
@clean_errors
def china_view(path: Path = typer.Argument(..., help="a UBL 2.1 Invoice or CreditNote")) -> None:
    """The items of a Chinese fully digitalised e-invoice (数电票) with what this invoice gives them (JSON)."""
    from .convert import invoice_view

    django_setup()
    _print_json(invoice_view(_read(path))["china"])
