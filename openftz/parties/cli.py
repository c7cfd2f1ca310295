"""``openftz parties …``: register enterprises, generate, add, rotate and revoke their keys."""
from __future__ import annotations

import json
import os
from pathlib import Path

import typer

from openftz.core.cli import clean_errors, django_setup, fail

app = typer.Typer(no_args_is_help=True)


@app.command()
@clean_errors
def add(
    party_id: str = typer.Argument(None, help="short id: lowercase letters, digits, '-' (default: derived from the identifier)"),
    name_zh: str = typer.Option(..., "--name", "--name-zh", help="the party's name (Chinese first)"),
    name_en: str = typer.Option("", "--name-en"),
    uscc: str = typer.Option(None, help="unified social credit code (统一社会信用代码)"),
    lei: str = typer.Option(None, help="Legal Entity Identifier (ISO 17442)"),
    foreign_scheme: str = typer.Option(None, "--foreign-scheme", help="scheme of a foreign identifier, e.g. EORI"),
    foreign_id: str = typer.Option(None, "--foreign-id"),
    email: str = typer.Option("", help="contact e-mail"),
    phone: str = typer.Option("", help="contact phone"),
    pint_endpoint: str = typer.Option("", "--pint-endpoint", help="an eBL platform's DCSA PINT base URL (envelopes go to …/v3/envelopes)"),
    keygen: str = typer.Option(None, "--keygen", help="also generate and register a key: sm2 or ed25519"),
    key_out: Path = typer.Option(None, "--key-out", help="with --keygen: file for the private key (mode 0600)"),
) -> None:
    """Register an enterprise (at least one identifier); prints the party id."""
    from openftz.core.crypto import generate_private_key, public_key_pem

    algorithm = {"sm2": "SM2", "ed25519": "Ed25519"}.get((keygen or "").lower()) if keygen else None
    if keygen and (algorithm is None or key_out is None):
        fail("error: --keygen takes sm2 or ed25519 and needs --key-out FILE / 须同时指定算法与私钥文件")
    party_id = party_id or _derived_id(uscc, lei, foreign_id)
    django_setup()
    from django.db import transaction

    from .services import party_create, party_key_add

    with transaction.atomic():
        party = party_create(party_id=party_id, name_zh=name_zh, name_en=name_en, uscc=uscc, lei=lei,
                             foreign_scheme=foreign_scheme, foreign_id=foreign_id, contact_email=email, contact_phone=phone,
                             pint_endpoint=pint_endpoint)
        if algorithm:
            pem = generate_private_key(algorithm)
            party_key_add(party_id=party.id, algorithm=algorithm, public_key=public_key_pem(algorithm, pem))
            _write_private(key_out, pem)
    typer.echo(party.id)


def _derived_id(uscc: str | None, lei: str | None, foreign_id: str | None) -> str:
    value = (uscc or lei or foreign_id or "").strip().lower()
    slug = "".join(ch if ch.isalnum() else "-" for ch in value).strip("-")
    if not slug:
        fail("error: give a party id or an identifier (--uscc, --lei, --foreign-id) / 请提供编号或标识")
    return slug[:62]


def _write_private(path: Path, pem: str) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        fail(f"error: cannot create {path}: {exc.strerror} / 无法创建文件")
    with os.fdopen(fd, "w") as fh:
        fh.write(pem)


@app.command("list")
@clean_errors
def list_() -> None:
    """Print the directory as JSON."""
    django_setup()
    from . import selectors

    typer.echo(json.dumps([selectors.party_as_dict(p) for p in selectors.parties()], ensure_ascii=False, indent=2, default=str))


@app.command()
def keygen(
    out: Path = typer.Option(..., help="file for the new private key (PKCS#8 PEM, created with mode 0600)"),
    algorithm: str = typer.Option("SM2", help="SM2, Ed25519 or P-256"),
) -> None:
    """Generate a key pair (no database): the private key goes to OUT, the public key to stdout."""
    from openftz.core.crypto import ALGORITHMS, generate_private_key, public_key_pem

    if algorithm not in ALGORITHMS:
        fail(f"error: unknown algorithm {algorithm} (SM2, Ed25519 or P-256) / 未知算法")
    pem = generate_private_key(algorithm)
    _write_private(out, pem)
    typer.echo(public_key_pem(algorithm, pem), nl=False)


@app.command("key-add")
@clean_errors
def key_add(
    party_id: str = typer.Argument(...),
    public_key: Path = typer.Argument(..., help="PEM file of the public key"),
    algorithm: str = typer.Option("SM2", help="SM2, Ed25519 or P-256"),
    keep_old: bool = typer.Option(False, "--keep-old", help="do not end the party's keys in force (no rotation)"),
) -> None:
    """Register a public key for a party; by default the keys in force end now (rotation)."""
    try:
        pem = public_key.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"error: cannot read {public_key}: {exc} / 无法读取公钥文件")
    django_setup()
    from .services import party_key_add

    key = party_key_add(party_id=party_id, algorithm=algorithm, public_key=pem, rotate=not keep_old)
    typer.echo(f"key {key.kid} ({key.algorithm}) of {key.party_id} valid until {key.valid_until.isoformat()}")


@app.command("key-revoke")
@clean_errors
def key_revoke(kid: str = typer.Argument(...), reason: str = typer.Option(..., help="why the key is revoked")) -> None:
    """Revoke a key from now on."""
    django_setup()
    from .services import party_key_revoke

    key = party_key_revoke(kid=kid, reason=reason)
    typer.echo(f"key {key.kid} revoked at {key.revoked_at.isoformat()}")
