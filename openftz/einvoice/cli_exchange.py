"""``openftz einvoice convert | china-view | register | check-registered | verify-receipt | envelope | duplicates | demo``.

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


def _json_default(value):
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n")


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


@app.command()
@clean_errors
def register(path: Path = typer.Argument(..., help="a UBL 2.1 Invoice or CreditNote")) -> None:
    """Put the document's SM3 and SHA-256 and its key facts on the ledger; print the receipt (JSON: the ledger
    entry, its inclusion proof and the signed tree head). Registering the same bytes again prints the first
    registration. Verify the receipt offline with `openftz ledger verify-bundle` or `openftz einvoice verify-receipt`."""
    data = _read(path)
    django_setup()
    from .selectors import receipt
    from .services import invoice_register

    record, created = invoice_register(data=data)
    if not created:
        typer.echo(f"already registered at {record.registered_at.isoformat()} / 已于该时登记", err=True)
    _print_json(receipt(record))


@app.command("check-registered")
def check_registered(path: Path = typer.Argument(..., help="any file")) -> None:
    """Whether these exact bytes are registered: exit 0 and the registration if so, 1 if not, 2 if unreadable."""
    from openftz.core.errors import OpenFTZError

    data = _read(path)
    try:
        django_setup()
        from .registration import fingerprint
        from .selectors import registration_as_dict, registration_find

        fp = fingerprint(data)
        record = registration_find(fp.sha256)
        if record is None:
            _print_json({"registered": False, "sha256": fp.sha256, "sm3": fp.sm3})
            raise typer.Exit(1)
        from openftz.ledger.selectors import entry_as_dict

        _print_json({"registered": True, **registration_as_dict(record),
                     "entry": entry_as_dict(record.entry)})
    except OpenFTZError as exc:
        fail(exc.one_line())


@app.command("verify-receipt")
def verify_receipt(
    receipt: Path = typer.Argument(..., help="a registration receipt (JSON) printed by `openftz einvoice register`"),
    document: Path = typer.Argument(None, help="the file it should be the receipt of"),
    key: Path = typer.Option(None, help="the registry's public key (PEM) you trust; else the receipt's own"),
) -> None:
    """Check a receipt offline, without the database: the ledger's bundle checks (tree head signature, inclusion
    proof), one registration in it, and — given the file — that the file's exact bytes are the ones registered.
    Exit 0 if it holds, 1 if not, 2 for unreadable input."""
    from .registration import verify_receipt as check

    from openftz.core import jsonio

    try:
        body = jsonio.load_path(receipt)
        trusted = key.read_text(encoding="ascii") if key else None
    except jsonio.InvalidJSON as exc:
        fail(exc.one_line())
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        fail(f"error: cannot read the receipt or key: {exc} / 无法读取文件")
    data = _read(document) if document is not None else None
    report = check(body, data, trusted)
    for note in report.notes:
        typer.echo(f"note: {note}", err=True)
    for problem in report.problems:
        typer.echo(f"problem: {problem}", err=True)
    if not report.ok:
        typer.echo(f"{report.subject or receipt}: NOT VERIFIED")
        raise typer.Exit(1)
    what = "the file is the registered document" if data is not None else "no file given"
    typer.echo(f"{report.subject}: registration verified against the signed tree head of size {report.tree_size}; {what}")


@app.command()
@clean_errors
def envelope(
    path: Path = typer.Argument(..., help="a UBL 2.1 Invoice or CreditNote"),
    sender: str = typer.Option(..., "--sender", help="the sender's participant identifier, e.g. 0199:LEI or USCC:code"),
    receiver: str = typer.Option(..., "--receiver", help="the receiver's participant identifier"),
    country: str = typer.Option(None, "--country", help="the sender's country (COUNTRY_C1); default: the seller's BT-40"),
) -> None:
    """Wrap an invoice in a Peppol Business Message Envelope (SBDH 2.0) and print it: the StandardBusinessDocument
    the single window accepts at POST /api/einvoice/send. No database is needed."""
    import datetime as dt
    import uuid

    from .parse import parse
    from .sbdh import build_envelope
    from .semantic import invoice_tree
    from .validate import max_document_bytes

    data = _read(path)
    limit = max_document_bytes()
    tree = invoice_tree(parse(data, max_bytes=limit))
    country = country or ((tree.get("BG-4") or {}).get("BG-5") or {}).get("BT-40")
    if not country:
        fail("error: the seller has no country code (BT-40): give --country / 发票缺少销售方国家代码")
    body = build_envelope(payload=data, sender=sender, receiver=receiver, instance_id=str(uuid.uuid4()),
                          created_at=dt.datetime.now(dt.timezone.utc), process_id=(tree.get("BG-2") or {}).get("BT-23") or "",
                          country_c1=country, max_bytes=limit)
    sys.stdout.buffer.write(body)
    sys.stdout.flush()


@app.command()
@clean_errors
def duplicates(party: str = typer.Option(None, "--party", help="only the messages this party sent or received")) -> None:
    """Invoices flagged as duplicates on delivery (重复发票: same sender, receiver, BT-1 and BT-2 as one before),
    newest first, as JSON: their count and each message with the one it repeats."""
    django_setup()
    from . import selectors

    flagged = selectors.flagged_duplicates(party_id=party)
    _print_json({"duplicates_flagged": selectors.duplicates_flagged(party_id=party),
                 "messages": [selectors.message_as_dict(m) for m in flagged]})


@app.command()
@clean_errors
def demo(if_empty: bool = typer.Option(False, "--if-empty", help="do nothing (exit 0) when the single window holds messages")) -> None:
    """Demo parties, users and invoices of the single window (演示数据); prints the demo accounts."""
    django_setup()
    from .demo import DEMO_PASSWORD, demo_load, single_window_is_empty

    if if_empty and not single_window_is_empty():
        typer.echo("the single window holds messages: e-invoice demo not loaded")
        return
    accounts = demo_load()
    typer.echo("e-invoice demo loaded (演示数据): log in at http://127.0.0.1:8000/tracker/login/, then open /einvoice/:")
    for a in accounts:
        typer.echo(f"  {a.username:<18} password {DEMO_PASSWORD}   for party {a.party}")
