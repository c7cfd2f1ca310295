"""``openftz dataexport assess FILE.json`` and ``assess-batch IN.jsonl``: the pathway of each transfer."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from openftz.core.cli import clean_errors, django_setup, fail
from openftz.core.errors import InvalidInput


app = typer.Typer(no_args_is_help=True)


def _today():
    import datetime as dt
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


@app.command()
@clean_errors
def assess(file: Path = typer.Argument(..., help="one transfer as JSON: {\"processor\": {…}, \"transfer\": {…}}")) -> None:
    """Assess one transfer and print {"pathway", "cites", "trace", "obligations", …}."""
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"error: cannot read {file}: {exc.strerror or exc}")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"error: {file} is not JSON: {exc}")
    django_setup()
    from .services import assess_with_lists

    typer.echo(json.dumps(assess_with_lists(raw, on=_today()), ensure_ascii=False))


@app.command("assess-batch")
def assess_batch(file: Path = typer.Argument(..., help="JSON Lines, one transfer per line ('-' for standard input)")) -> None:
    """One JSON line out per line in; a bad line yields {"line", "error"} in its place and the rest go on."""
    try:
        stream = sys.stdin if str(file) == "-" else file.open(encoding="utf-8", errors="strict")
    except OSError as exc:
        fail(f"error: cannot read {file}: {exc.strerror or exc}")
    django_setup()
    today = _today()
    read = 0
    with stream:
        try:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                read += 1
                typer.echo(json.dumps(_one(line, number, today), ensure_ascii=False))
        except UnicodeDecodeError as exc:
            fail(f"error: {file} is not UTF-8 text (byte {exc.start})")
    if read == 0:
        fail(f"error: {file} holds no lines to assess")


def _one(line: str, number: int, today) -> dict:
    from .services import assess_with_lists

    try:
        return {"line": number, **assess_with_lists(json.loads(line), on=today)}
    except json.JSONDecodeError as exc:
        return {"line": number, "error": {"code": "invalid_json", "message_zh": "该行不是 JSON", "message_en": f"not JSON: {exc.msg}"}}
    except InvalidInput as exc:
        return {"line": number, "error": exc.as_dict()}


@app.command("load-lists")
@clean_errors
def load_lists(file: Path = typer.Argument(..., help="a lists file like data/dataexport/ftz-lists-example.yaml")) -> None:
    """Load the zone's negative list and important-data catalogue (SH-39, SH-40) from a YAML file."""
    django_setup()
    from .services import lists_load

    typer.echo(f"{lists_load(file)} list rows loaded")

