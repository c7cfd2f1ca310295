"""``openftz dataexport assess FILE.json`` and ``assess-batch IN.jsonl``: the pathway of each transfer."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from openftz.core.cli import clean_errors, fail
from openftz.core.errors import InvalidInput

from . import rules

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
    typer.echo(json.dumps(rules.assess_raw(raw, on=_today()), ensure_ascii=False))


@app.command("assess-batch")
def assess_batch(file: Path = typer.Argument(..., help="JSON Lines, one transfer per line ('-' for standard input)")) -> None:
    """One JSON line out per line in; a bad line yields {"line", "error"} in its place and the rest go on."""
    try:
        stream = sys.stdin if str(file) == "-" else file.open(encoding="utf-8", errors="strict")
    except OSError as exc:
        fail(f"error: cannot read {file}: {exc.strerror or exc}")
    today = _today()
    thresholds = rules.Thresholds.on(today)
    read = 0
    with stream:
        try:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                read += 1
                typer.echo(json.dumps(_one(line, number, thresholds), ensure_ascii=False))
        except UnicodeDecodeError as exc:
            fail(f"error: {file} is not UTF-8 text (byte {exc.start})")
    if read == 0:
        fail(f"error: {file} holds no lines to assess")


def _one(line: str, number: int, thresholds: rules.Thresholds) -> dict:
    try:
        processor, transfer = rules.parse(json.loads(line))
    except json.JSONDecodeError as exc:
        return {"line": number, "error": {"code": "invalid_json", "message_zh": "该行不是 JSON", "message_en": f"not JSON: {exc.msg}"}}
    except InvalidInput as exc:
        return {"line": number, "error": exc.as_dict()}
    return {"line": number, **rules.assess(processor, transfer, thresholds=thresholds).as_dict()}

