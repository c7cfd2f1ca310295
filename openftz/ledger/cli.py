"""``openftz ledger …``: verify the whole log, print proofs and heads, and verify a history bundle offline."""
from __future__ import annotations

import json
from pathlib import Path

import typer

from openftz.core.cli import clean_errors, django_setup, fail

app = typer.Typer(no_args_is_help=True)


def _print_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@app.command()
@clean_errors
def head() -> None:
    """Print the latest signed tree head."""
    django_setup()
    from . import selectors

    _print_json(selectors.head_as_dict(selectors.tree_head()))


@app.command()
@clean_errors
def key() -> None:
    """Print the registry's public key (PEM), which signs tree heads; publish it for offline verifiers."""
    django_setup()
    from . import selectors

    typer.echo(selectors.registry_public_key()["public_key"], nl=False)


@app.command()
@clean_errors
def verify() -> None:
    """Check the whole log: every leaf hash, every tree head's root and signature. Exit 1 if anything is wrong."""
    django_setup()
    from .selectors import ledger_verify

    report = ledger_verify()
    for problem in report.problems:
        typer.echo(f"problem: {problem}", err=True)
    typer.echo(f"{report.size} entries, {report.heads} signed tree heads: {'ok' if report.ok else 'NOT OK'}")
    if not report.ok:
        raise typer.Exit(1)


@app.command()
@clean_errors
def prove(
    leaf: int = typer.Argument(..., min=0, help="leaf index (0-based)"),
    size: int = typer.Option(None, min=1, help="tree size; the latest if omitted"),
) -> None:
    """Print the inclusion proof of a leaf with the signed tree head it leads to."""
    django_setup()
    from .selectors import inclusion_proof

    _print_json(inclusion_proof(leaf, size))


@app.command()
@clean_errors
def consistency(first: int = typer.Argument(..., min=1), second: int = typer.Argument(None, min=1)) -> None:
    """Print the consistency proof between two tree sizes."""
    django_setup()
    from .selectors import consistency_proof

    _print_json(consistency_proof(first, second))


@app.command("verify-bundle")
def verify_bundle(
    bundle: Path = typer.Argument(..., help="a history bundle exported by the registry (JSON)"),
    key: Path = typer.Option(None, help="the registry's public key (PEM) you trust; else the bundle's own"),
) -> None:
    """Verify a history bundle offline, without the database. Exit 0 if it holds, 1 if not, 2 for unreadable input."""
    from .verify import verify_bundle as check

    from openftz.core import jsonio

    try:
        data = jsonio.load_path(bundle)
        trusted = key.read_text(encoding="ascii") if key else None
    except jsonio.InvalidJSON as exc:
        fail(exc.one_line())
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        fail(f"error: cannot read the bundle or key: {exc} / 无法读取文件")
    report = check(data, trusted)
    for note in report.notes:
        typer.echo(f"note: {note}", err=True)
    for problem in report.problems:
        typer.echo(f"problem: {problem}", err=True)
    if not report.ok:
        typer.echo(f"{report.subject or bundle}: NOT VERIFIED")
        raise typer.Exit(1)
    typer.echo(f"{report.subject}: {report.entries} entries verified against the signed tree head of size {report.tree_size}")
