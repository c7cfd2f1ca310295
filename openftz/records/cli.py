"""``openftz records …``: sign an instruction, submit it, show a record, export its history as a verifiable copy."""
from __future__ import annotations

import json
from pathlib import Path

import typer

from openftz.core.cli import check_format, clean_errors, django_setup, fail, format_option, write_json

app = typer.Typer(no_args_is_help=True)


def _print_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _read_json(path: Path):
    from openftz.core import jsonio

    try:
        return jsonio.load_path(path)
    except jsonio.InvalidJSON as exc:
        fail(exc.one_line())


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


@app.command("submit-batch")
@clean_errors
def submit_batch(envelopes: Path = typer.Argument(..., help="JSON Lines, one {instruction, signature} a line"),
                 format: str = format_option()) -> None:
    """Carry out signed instructions in order, 250 to a transaction and a signed tree head (group commit), the
    signatures of each batch checked while the one before is written.

    Prints one JSON line per input line (one array with --format json): {"line", "ok": true, "record"} or
    {"line", "ok": false, "error"}; a bad line
    gets its error in place and the rest go on. Exit status 1 if any instruction was refused, 2 if the file cannot be read.
    """
    check_format(format, ("json", "jsonl"))
    try:
        lines = envelopes.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"error: cannot read {envelopes}: {exc} / 无法读取文件")
    from openftz.core import jsonio

    parsed: list[tuple[int, object]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = jsonio.loads(line)
        except jsonio.InvalidJSON as exc:
            parsed.append((n, exc))
            continue
        parsed.append((n, (data.get("instruction"), data["signature"]) if isinstance(data, dict) and isinstance(data.get("signature"), str) else None))
    if not parsed:
        fail(f"error: {envelopes} holds no instruction / 文件中没有指令")
    django_setup()
    from openftz.core.errors import InvalidInput

    from . import selectors, services

    results = services.record_instruct_stream(envelopes=[e for _, e in parsed if isinstance(e, tuple)])
    not_an_envelope = InvalidInput("该行不是 {instruction, signature} JSON 对象", "the line is not a JSON {instruction, signature} object")
    refused = 0

    def rows():
        nonlocal refused
        for n, envelope in parsed:
            row = ({"ok": False, "error": not_an_envelope.as_dict()} if envelope is None
                   else {"ok": False, "error": envelope.as_dict()} if isinstance(envelope, jsonio.InvalidJSON)
                   else selectors.batch_results_as_dict([next(results)])["results"][0])
            refused += not row["ok"]
            yield {"line": n, **row}

    write_json(rows(), format)
    if refused:
        raise typer.Exit(1)


@app.command()
@clean_errors
def show(record_id: str = typer.Argument(...),
         format: str = typer.Option("json", "--format", help="json (the record, its events and its integrity) or text")) -> None:
    """Print a record with its signed events and any integrity problem: its content against its hash, its stored
    state against the replay of its ledger history (the fields that disagree), its events against their entries."""
    if format not in ("json", "text"):
        fail("error: --format must be json or text / 格式须为 json 或 text")
    django_setup()
    from . import selectors

    record = selectors.record_get(record_id)
    integrity = selectors.record_integrity(record)
    if format == "text":
        typer.echo(f"{record.id} ({record.kind}, {record.form}): holder {record.holder_id}, status {record.status}, "
                   f"medium {record.medium}, seq {record.seq}")
        for problem in integrity.problems:
            typer.echo(f"problem: {problem}")
        typer.echo("integrity: ok" if integrity.ok else "integrity: NOT OK (no instruction is carried out on this record "
                   "until the registry operator repairs it)")
        return
    _print_json({"record": selectors.record_as_dict(record), "events": [selectors.event_as_dict(e) for e in selectors.record_events(record)],
                 "integrity_problems": integrity.problems, "state_mismatches": integrity.state_mismatches})


@app.command()
@clean_errors
def restore(record_id: str = typer.Argument(...)) -> None:
    """The operator's repair of a record changed behind the ledger: set its stored state to what the replay of its
    ledger history implies. Prints each field restored; exit 1 if a problem remains (e.g. events that differ)."""
    django_setup()
    from . import services

    restored = services.record_restore(record_id=record_id)
    for m in restored.fields:
        typer.echo(f"restored {m['field']}: {m['stored']!r} -> {m['ledger']!r}")
    if not restored.fields:
        typer.echo("nothing to restore: the stored state agrees with the ledger")
    for problem in restored.remaining:
        typer.echo(f"problem: {problem}", err=True)
    if restored.remaining:
        raise typer.Exit(1)


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


@app.command("pint-send")
@clean_errors
def pint_send(record_id: str = typer.Argument(...)) -> None:
    """Send the record's waiting PINT envelope to the receiving platform now and act on its signed answer.

    Prints the delivery (status pending / accepted / rejected / undeliverable); exit 1 unless accepted."""
    django_setup()
    from . import selectors, services

    delivery = services.record_pint_deliver(record_id=record_id)
    _print_json(selectors.delivery_as_dict(delivery))
    if delivery.status != "accepted":
        raise typer.Exit(1)


@app.command("pint-receive")
@clean_errors
def pint_receive(envelope: Path = typer.Argument(..., help="a DCSA PINT 3.0 envelope (JSON)")) -> None:
    """Receive a PINT envelope from a file: prints the response code and the signed response; exit 1 unless accepted.
    An envelope announcing additional documents not held here starts a transfer: its started response is printed
    (the documents come through the API), exit 1."""
    data = _read_json(envelope)
    django_setup()
    from .services import pint_receive as receive

    answer = receive(envelope=data)
    if answer.started is not None:
        typer.echo(f"started: {len(answer.started['missingAdditionalDocumentChecksums'])} additional document(s) to transfer", err=True)
        typer.echo(json.dumps(answer.started))
        raise typer.Exit(1)
    typer.echo(f"{answer.verdict.code}{': ' + answer.verdict.reason if answer.verdict.reason else ''}", err=True)
    typer.echo(answer.signed_response)
    if not answer.verdict.accepted:
        raise typer.Exit(1)


# — the scripted interface (contract: other systems call these names) ————————————————————————————


def _key(path: Path) -> tuple[str, str, str]:
    """(algorithm, private PEM, key id) of a private key file of any supported algorithm."""
    from openftz.core import crypto

    try:
        pem = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"error: cannot read the key {path}: {exc} / 无法读取私钥")
    for algorithm in crypto.ALGORITHMS:
        try:
            return algorithm, pem, crypto.key_id(crypto.public_key_pem(algorithm, pem))
        except (crypto.CryptoError, ValueError, TypeError):
            continue
    fail(f"error: {path} is not an SM2, Ed25519 or P-256 private key / 不是可用的私钥")


def _instruct(record_id: str, op: str, params: dict, key_path: Path, place: str, *, seq: int | None = None):
    """Build the instruction, sign it with the key, carry it out; the key's party is the actor (the person in control)."""
    from django.utils import timezone

    from openftz.core import crypto
    from openftz.parties.selectors import party_key_find

    from . import selectors, services

    algorithm, pem, kid = _key(key_path)
    key = party_key_find(kid)
    if key is None:
        fail(f"error: the key {key_path} is not registered for any party / 该私钥未登记")
    if seq is None:
        seq = selectors.record_get(record_id).seq + 1
    raw = {"record": record_id, "op": op, "seq": seq, "actor": key.party_id, "key_id": kid,
           "at": timezone.now().isoformat(timespec="seconds"), "place": place, "params": params}
    signature = crypto.b64(crypto.sign(algorithm, pem, crypto.canonical_json(raw)))
    return services.record_instruct(instruction=raw, signature=signature)


PLACE = typer.Option("CNSHA", help="where the instruction is given (UN/LOCODE; MLETR art. 14)")


@app.command()
@clean_errors
def issue(
    type_: str = typer.Option(..., "--type", help="ebl or ewr"),
    document: Path = typer.Option(..., help="the DCSA eBL 3.0 transport document (ebl) or warehouse receipt (ewr) as JSON"),
    issuer: str = typer.Option(..., help="the issuing party (its key signs)"),
    holder: str = typer.Option(..., help="the first person in control"),
    key: Path = typer.Option(..., help="the issuer's private key (PEM)"),
    consignee: str = typer.Option(None, help="the named consignee of a straight bill (default: the holder)"),
    blank: bool = typer.Option(False, "--blank", help="issue a to-order bill blank-endorsed"),
    place: str = PLACE,
) -> None:
    """Issue a record; prints its id."""
    if type_ not in ("ebl", "ewr"):
        fail("error: --type must be ebl or ewr / 类型须为 ebl 或 ewr")
    content = _read_json(document)
    if not isinstance(content, dict):
        fail("error: the document must be a JSON object / 记录内容须为 JSON 对象")
    django_setup()
    record_id = str(content.get("transportDocumentReference" if type_ == "ebl" else "receiptNumber") or "")
    if type_ == "ebl" and content.get("isToOrder") is False:
        form, params = "straight", {"consignee": consignee or holder}
    else:
        form, params = ("blank" if blank else "to_order") if type_ == "ebl" else "to_order", {}
    _, _, kid = _key(key)
    from openftz.parties.selectors import party_key_find

    owner = getattr(party_key_find(kid), "party_id", None)
    if owner != issuer:
        fail(f"error: the key belongs to {owner or 'no party'}, not to the issuer {issuer} / 私钥不属于签发人")
    record = _instruct(record_id, "issue", {"kind": type_, "form": form, "holder": holder, "document": content, **params}, key, place, seq=1)
    typer.echo(record.id)


def _op(record_id: str, op: str, params: dict, key: Path, place: str) -> None:
    django_setup()
    record = _instruct(record_id, op, params, key, place)
    typer.echo(f"{record.id} {op}: holder {record.holder_id}, status {record.status}, seq {record.seq}")


@app.command()
@clean_errors
def transfer(record_id: str = typer.Argument(...), to: str = typer.Option(..., help="the new person in control"),
             key: Path = typer.Option(..., help="the holder's private key"), place: str = PLACE) -> None:
    """Transfer control of a record to another party (MLETR art. 11)."""
    _op(record_id, "transfer", {"to": to}, key, place)


@app.command()
@clean_errors
def endorse(record_id: str = typer.Argument(...), to: str = typer.Option(..., help="the endorsee"),
            key: Path = typer.Option(..., help="the holder's private key"),
            restrictive: bool = typer.Option(False, "--restrictive", help="a restrictive endorsement: the record passes no further"),
            place: str = PLACE) -> None:
    """Endorse a to-order record to a party, who may endorse it on (MLETR art. 15); --restrictive ends the chain."""
    _op(record_id, "endorse" if restrictive else "endorse_to_order", {"to": to}, key, place)


@app.command()
@clean_errors
def surrender(record_id: str = typer.Argument(...), key: Path = typer.Option(..., help="the holder's private key"),
              place: str = PLACE) -> None:
    """Surrender the record to the issuer for delivery of the goods."""
    _op(record_id, "surrender_for_delivery", {}, key, place)


@app.command("accept-surrender")
@clean_errors
def accept_surrender(record_id: str = typer.Argument(...), key: Path = typer.Option(..., help="the issuer's private key"),
                     place: str = PLACE) -> None:
    """The issuer accepts a surrender."""
    _op(record_id, "accept_surrender", {}, key, place)


@app.command()
@clean_errors
def history(record_id: str = typer.Argument(...), format: str = typer.Option("json", "--format", help="json")) -> None:
    """The record's chain of control: every signed event in order, as JSON."""
    if format != "json":
        fail("error: --format json is the one format / 仅支持 json")
    django_setup()
    from . import selectors

    record = selectors.record_get(record_id)
    _print_json({"record": selectors.record_as_dict(record, with_document=False),
                 "events": [selectors.event_as_dict(e) for e in selectors.record_events(record)]})


@app.command()
@clean_errors
def demo(
    if_empty: bool = typer.Option(False, "--if-empty", help="do nothing (exit 0) when the registry already holds records"),
    keys_out: Path = typer.Option(None, "--keys-out", help="a new directory to write the demo parties' private keys to (PEM, mode 0600)"),
) -> None:
    """Demo parties with keys, an eBL endorsed shipper → bank → importer, and a warehouse receipt (演示数据)."""
    django_setup()
    from .demo import demo_load, records_is_empty

    if if_empty and not records_is_empty():
        typer.echo("the records registry holds records: records demo not loaded")
        return
    if keys_out is not None and keys_out.exists():
        fail(f"error: {keys_out} exists: --keys-out takes a new directory / 密钥目录已存在")
    result = demo_load()
    typer.echo("records demo loaded (演示数据): parties (signing keys registered; no login needed to view the registry):")
    for p in result.parties:
        typer.echo(f"  {p.party_id:<16} {p.algorithm:<8} key {p.key_id}  {p.name}")
    if keys_out is not None:
        keys_out.mkdir(parents=True, mode=0o700)
        for p in result.parties:
            path = keys_out / f"{p.party_id}.pem"
            path.touch(mode=0o600)
            path.write_text(p.private_pem)
        typer.echo(f"private keys written to {keys_out}/ (sign more with: openftz records sign FILE --key {keys_out}/demo-importer.pem)")
    typer.echo("then open http://127.0.0.1:8000/records/ , "
               + " , ".join(f"/records/{r}/" for r in result.records) + " and /ledger/")
