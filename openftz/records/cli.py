"""``openftz records …``: sign an instruction, submit it, show a record, export its history as a verifiable copy."""
from __future__ import annotations

import json
from pathlib import Path

import typer

from openftz.core.cli import clean_errors, django_setup, fail

app = typer.Typer(no_args_is_help=True)


def _print_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        fail(f"error: cannot read {path}: {exc} / 无法读取 JSON 文件")


@app.command()
def sign(
    instruction: Path = typer.Argument(..., help="the instruction as JSON: record, op, seq, actor, key_id, at, place, params"),
    key: Path = typer.Option(..., help="the actor's private key (PEM)"),
    algorithm: str = typer.Option("SM2", help="SM2, Ed25519 or P-256"),
) -> None:
    """Sign an instruction (no database): prints {instruction, signature}, ready for `submit` or the API."""
    from openftz.core import crypto
    from openftz.core.errors import InvalidInput

    from .rules import parse_instruction

    raw = _read_json(instruction)
    try:
        parse_instruction(raw)
        pem = key.read_text(encoding="ascii")
        signature = crypto.sign(algorithm, pem, crypto.canonical_json(raw))
    except InvalidInput as exc:
        fail(exc.one_line())
    except (OSError, UnicodeDecodeError, crypto.CryptoError) as exc:
        fail(f"error: cannot sign: {exc} / 无法签名")
    _print_json({"instruction": raw, "signature": crypto.b64(signature)})


@app.command()
@clean_errors
def submit(envelope: Path = typer.Argument(..., help="{instruction, signature} as printed by `sign`")) -> None:
    """Carry out a signed instruction."""
    data = _read_json(envelope)
    if not isinstance(data, dict) or not isinstance(data.get("signature"), str):
        fail("error: the file must hold {instruction, signature} / 文件须包含指令和签名")
    django_setup()
    from . import selectors, services

    record = services.record_instruct(instruction=data.get("instruction"), signature=data["signature"])
    _print_json(selectors.record_as_dict(record, with_document=False))


@app.command()
@clean_errors
def show(record_id: str = typer.Argument(...)) -> None:
    """Print a record with its signed events and any integrity problem."""
    django_setup()
    from . import selectors

    record = selectors.record_get(record_id)
    _print_json({"record": selectors.record_as_dict(record), "events": [selectors.event_as_dict(e) for e in selectors.record_events(record)],
                 "integrity_problems": selectors.record_verify(record)})


@app.command()
@clean_errors
def export(record_id: str = typer.Argument(...)) -> None:
    """Print the record's history bundle: a copy, checkable offline with `openftz ledger verify-bundle`."""
    django_setup()
    from . import selectors

    _print_json(selectors.record_bundle(selectors.record_get(record_id)))


@app.command("dcsa-chain")
@clean_errors
def dcsa_chain(record_id: str = typer.Argument(...)) -> None:
    """Print the record's endorsement chain as DCSA eBL 3.0 transactions."""
    django_setup()
    from . import selectors

    _print_json(selectors.record_dcsa_transactions(selectors.record_get(record_id)))


@app.command("pint-envelope")
@clean_errors
def pint_envelope(record_id: str = typer.Argument(...)) -> None:
    """Print the DCSA PINT envelope with which the record was sent to another platform (after transfer_to_platform)."""
    django_setup()
    from . import selectors

    _print_json(selectors.record_outbound_envelope(selectors.record_get(record_id)))


@app.command("pint-receive")
@clean_errors
def pint_receive(envelope: Path = typer.Argument(..., help="a DCSA PINT 3.0 envelope (JSON)")) -> None:
    """Receive a PINT envelope from a file: prints the response code and the signed response; exit 1 unless accepted."""
    data = _read_json(envelope)
    django_setup()
    from .services import pint_receive as receive

    answer = receive(envelope=data)
    typer.echo(f"{answer.verdict.code}{': ' + answer.verdict.reason if answer.verdict.reason else ''}", err=True)
    typer.echo(answer.signed_response)
    if not answer.verdict.accepted:
        raise typer.Exit(1)
