"""``openftz einvoice validate PATH…``: validate UBL invoices and credit notes (EN 16931, Peppol BIS 3.0).

Exit status 0 when every document is valid, 1 when some is not, 2 when nothing could be read or on bad usage.
"""
from __future__ import annotations

import sys
from pathlib import Path

import typer

from openftz.core.cli import fail, write_json

app = typer.Typer(no_args_is_help=True)
FORMATS = ("jsonl", "json", "table", "html")


def _files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".xml"))
        else:
            out.append(path)
    return out


def _result(path: Path, rules: str, max_bytes: int) -> dict:
    from .parse import UnreadableDocument
    from .validate import unreadable_finding, validate_bytes

    try:
        size = path.stat().st_size
        if size > max_bytes:  # refuse before reading a huge file into memory
            exc = UnreadableDocument("OPENFTZ-SIZE", f"文件超过 {max_bytes} 字节上限",
                                     f"the document exceeds the limit of {max_bytes} bytes")
            return {"file": str(path), "valid": False, "readable": False, "findings": [unreadable_finding(exc)]}
        data = path.read_bytes()
    except OSError as exc:
        err = UnreadableDocument("OPENFTZ-FILE", f"无法读取文件: {exc.strerror or exc}", f"cannot read the file: {exc.strerror or exc}")
        return {"file": str(path), "valid": False, "readable": False, "findings": [unreadable_finding(err)]}
    return {"file": str(path), **validate_bytes(data, rules=rules, max_bytes=max_bytes)}


@app.command()
def validate(
    paths: list[Path] = typer.Argument(..., help="UBL XML files, or directories searched for *.xml"),
    format: str = typer.Option("jsonl", "--format", help="jsonl (one line per file) | json (one array) | table | html"),
    rules: str = typer.Option("auto", "--rules", help="auto (by CustomizationID) | en16931 | peppol"),
) -> None:
    """Validate each document; print one result per file."""
    from .validate import RULE_CHOICES, max_document_bytes

    if format not in FORMATS:
        fail(f"error: --format must be one of {', '.join(FORMATS)}")
    if rules not in RULE_CHOICES:
        fail(f"error: --rules must be one of {', '.join(RULE_CHOICES)}")
    files = _files(paths)
    if not files:
        fail("error: no documents found / 未找到文件")
    limit = max_document_bytes()
    results: list[dict] = []
    if format in ("json", "jsonl"):
        def printed_as_checked():
            for path in files:
                results.append(_result(path, rules, limit))
                yield results[-1]

        write_json(printed_as_checked(), format, default=None)
    else:
        results = [_result(path, rules, limit) for path in files]
    if format == "table":
        _table(results)
    elif format == "html":
        from .report import render_html

        sys.stdout.write(render_html(results))
    if not any(r["readable"] for r in results):
        raise typer.Exit(2)
    raise typer.Exit(0 if all(r["valid"] for r in results) else 1)


def _table(results: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="E-invoice validation / 电子发票校验")
    # the file names whole, however deep the folder: the findings column wraps instead, and keeps room of its own
    longest = max((len(r["file"]) for r in results), default=4)
    table.add_column("file", no_wrap=True, min_width=longest)
    for column in ("valid", "fatal", "warnings"):
        table.add_column(column)
    table.add_column("first findings", overflow="fold")
    for r in results:
        fatal = [f for f in r["findings"] if f["severity"] == "fatal"]
        warnings = len(r["findings"]) - len(fatal)
        shown = "; ".join(f"{f['rule']} {f['path']}" for f in (fatal or r["findings"])[:3])
        table.add_row(r["file"], "yes" if r["valid"] else "NO", str(len(fatal)), str(warnings), shown)
    Console(width=max(200, longest + 120)).print(table)


# convert, china-view, register, check-registered, verify-receipt, envelope (the exchange engineer's commands)
from . import cli_exchange  # noqa: E402,F401
