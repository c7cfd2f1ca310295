"""``openftz dataexport …``: assess and assess-batch (the pathway of each transfer), load-lists, approvals, reminders,
approval-record, notice-record and notices (important-data notices), represent, tick (the daily reminders) and demo (demo data)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from openftz.core.cli import check_format, clean_errors, django_setup, fail, format_option, write_json
from openftz.core.errors import InvalidInput


app = typer.Typer(no_args_is_help=True)


def _today():
    import datetime as dt
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def _read_json(file: Path):
    from openftz.core import jsonio

    try:
        return jsonio.load_path(file)
    except jsonio.InvalidJSON as exc:
        fail(exc.one_line())


@app.command()
@clean_errors
def assess(file: Path = typer.Argument(..., help="one transfer as JSON: {\"processor\": {…}, \"transfer\": {…}}")) -> None:
    """Assess one transfer and print {"pathway", "cites", "trace", "obligations", …}."""
    raw = _read_json(file)
    django_setup()
    from .services import assess_with_lists

    typer.echo(json.dumps(assess_with_lists(raw, on=_today()), ensure_ascii=False))


@app.command("assess-batch")
def assess_batch(file: Path = typer.Argument(..., help="JSON Lines, one transfer per line ('-' for standard input)"),
                 format: str = format_option()) -> None:
    """One JSON line out per line in (one array with --format json); a bad line yields {"line", "error"} in its place
    and the rest go on."""
    check_format(format, ("json", "jsonl"))
    try:
        stream = sys.stdin if str(file) == "-" else file.open(encoding="utf-8", errors="strict")
    except OSError as exc:
        fail(f"error: cannot read {file}: {exc.strerror or exc}")
    django_setup()
    today = _today()
    read = 0

    def assessed():
        nonlocal read
        for number, line in enumerate(stream, start=1):
            if line.strip():
                read += 1
                yield _one(line, number, today)

    with stream:
        try:
            write_json(assessed(), format, default=None)
        except UnicodeDecodeError as exc:
            fail(f"error: {file} is not UTF-8 text (byte {exc.start})")
    if read == 0:
        fail(f"error: {file} holds no lines to assess")


def _one(line: str, number: int, today) -> dict:
    from openftz.core import jsonio

    from .services import assess_with_lists

    try:
        return {"line": number, **assess_with_lists(jsonio.loads(line), on=today)}
    except InvalidInput as exc:  # bad JSON (jsonio.InvalidJSON) or a bad transfer
        return {"line": number, "error": exc.as_dict()}


@app.command("load-lists")
@clean_errors
def load_lists(file: Path = typer.Argument(..., help="a lists file like data/dataexport/ftz-lists-example.yaml")) -> None:
    """Load the zone's negative list and important-data catalogue (SH-39, SH-40) from a YAML file."""
    django_setup()
    from .services import lists_load

    typer.echo(f"{lists_load(file)} list rows loaded")



def _system_user():
    """The CLI acts as the zone administration (a system superuser that cannot log in)."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="openftz-system", defaults={"is_superuser": True, "is_active": False})
    return user


def _json_rows(rows, format: str) -> None:
    write_json(rows, check_format(format, ("json", "jsonl")))


@app.command()
@clean_errors
def approvals(party: str = typer.Option(None, help="only this party's"), format: str = format_option()) -> None:
    """Approvals with validity, window, status and re-filing flags: JSON lines, or one array with --format json."""
    django_setup()
    from . import selectors

    today = _today()
    _json_rows((selectors.approval_out(a, today=today) for a in selectors.approvals(party=party, all_parties=True)), format)


@app.command()
@clean_errors
def reminders(party: str = typer.Option(None, help="only this party's"), format: str = format_option()) -> None:
    """Reminders created so far (newest first): JSON lines, or one array with --format json."""
    django_setup()
    from . import selectors

    _json_rows((selectors.reminder_out(r) for r in selectors.reminders(party=party, all_parties=True)), format)


def _validated(schema, raw):
    """``raw`` as the API's input schema, or exit 2 with the first problem on one line (as the API answers 422)."""
    import pydantic

    try:
        return schema.model_validate(raw)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        fail(f"error: invalid_input: {'.'.join(str(p) for p in first['loc']) or '$'}: {first['msg']}")


@app.command("approval-record")
@clean_errors
def approval_record(file: Path = typer.Argument(..., help="one approval as JSON, the body of POST /api/dataexport/approvals")) -> None:
    """Record a security assessment result, a standard-contract filing or a certificate; prints it as JSON."""
    raw = _read_json(file)
    django_setup()
    from . import selectors, services
    from .schemas import ApprovalIn

    payload = _validated(ApprovalIn, raw)
    today = _today()
    approval, warnings = services.approval_record(
        actor=_system_user(), party_id=payload.party, kind=payload.kind, reference=payload.reference, granted_on=payload.granted_on,
        recipient_countries=payload.recipient_countries, categories=[c.model_dump() for c in payload.categories],
        includes_sensitive=payload.includes_sensitive, contract_effective_on=payload.contract_effective_on,
        contract_valid_until=payload.contract_valid_until, replaces=payload.replaces, extension=payload.extension, note=payload.note,
        today=today)
    typer.echo(json.dumps({**selectors.approval_out(approval, today=today), "warnings": warnings}, ensure_ascii=False, default=str))


@app.command("notice-record")
@clean_errors
def notice_record(file: Path = typer.Argument(..., help="one notice as JSON, the body of POST /api/dataexport/notices")) -> None:
    """Record that a party was told its data is important data; prints the notice with its application deadline."""
    raw = _read_json(file)
    django_setup()
    from . import selectors, services
    from .schemas import NoticeIn

    payload = _validated(NoticeIn, raw)
    today = _today()
    notice, warnings = services.important_data_notice_record(
        actor=_system_user(), party_id=payload.party, notified_on=payload.notified_on, reference=payload.reference,
        notified_by=payload.notified_by, categories=[c.model_dump() for c in payload.categories], applied_on=payload.applied_on,
        note=payload.note, today=today)
    typer.echo(json.dumps({**selectors.notice_out(notice, today=today), "warnings": warnings}, ensure_ascii=False, default=str))


@app.command()
@clean_errors
def notices(party: str = typer.Option(None, help="only this party's"), format: str = format_option()) -> None:
    """Important-data notices with their application deadline and status: JSON lines, or one array with --format json."""
    django_setup()
    from . import selectors

    today = _today()
    _json_rows((selectors.notice_out(n, today=today) for n in selectors.notices(party=party, all_parties=True)), format)


@app.command()
@clean_errors
def represent(username: str = typer.Argument(...), party: str = typer.Argument(...)) -> None:
    """Let a user act for a party: record and read its approvals and reminders."""
    django_setup()
    from .services import representative_set

    representative_set(username=username, party_id=party)
    typer.echo(f"{username} acts for {party}")


@app.command()
@clean_errors
def tick(schedule: bool = typer.Option(False, help="also make sure tomorrow's run is queued for the worker")) -> None:
    """Create the reminders due today (the daily job's work)."""
    django_setup()
    from .services import reminders_tick
    from .tasks import schedule_daily_reminders

    counts = reminders_tick(today=_today())
    typer.echo(f"approvals {counts['approvals']}  reminders created {counts['reminders_created']}  (important-data notices {counts['notices']})")
    if schedule and schedule_daily_reminders():
        typer.echo("daily reminders queued (run `manage.py db_worker` to work the queue)")


@app.command()
@clean_errors
def demo(if_empty: bool = typer.Option(False, "--if-empty", help="do nothing (exit 0) when the service already holds data")) -> None:
    """Load demo data (演示数据): an enterprise and its representative, approvals, transfers, a notice and reminders."""
    django_setup()
    from .demo import DEMO_PASSWORD, PATHS, dataexport_is_empty, demo_load

    if if_empty and not dataexport_is_empty():
        typer.echo("the data export service holds data: demo not loaded")
        return
    username, party = demo_load(today=_today())
    typer.echo("data export demo loaded (演示数据). Log in at http://127.0.0.1:8000/tracker/login/ with:")
    typer.echo(f"  {username:<18} password {DEMO_PASSWORD}   representative of {party}")
    typer.echo("then open " + ", ".join(f"http://127.0.0.1:8000{p}" for p in PATHS))
