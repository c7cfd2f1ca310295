"""What every ``openftz <app>`` command shares: Django set-up on demand, and bad input as one line + exit 2."""
from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Iterable
from typing import IO

import typer

from .errors import OpenFTZError


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openftz.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:  # e.g. no secret key (openftz/settings.py): one line, not a traceback
        fail(f"OpenFTZ cannot start (无法启动): {exc}")


def fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(2)


def clean_errors(fn):
    """Turn the errors a user can cause into one line on stderr and exit status 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except OpenFTZError as exc:
            fail(exc.one_line())

    return wrapper


def format_option(default: str = "jsonl"):
    """``--format json`` (one JSON document) or ``--format jsonl`` (one object per line), for commands that list rows."""
    return typer.Option(default, "--format", help="jsonl (one object per line) or json (one array)")


def check_format(format: str, allowed: tuple[str, ...]) -> str:
    """``--format``'s value, or exit 2 with the formats this command prints."""
    if format not in allowed:
        fail(f"error: --format must be one of {', '.join(allowed)}, not {format!r} / 不支持的输出格式")
    return format


def write_json(rows: Iterable, format: str, out: IO[str] | None = None, default=str) -> int:
    """Rows as ``--format json`` (one JSON document: an array, written as the rows come) or ``jsonl`` (a line each).

    Returns how many rows were written. Both stream: a batch of a million rows is never held in memory.
    """
    out = out or sys.stdout
    count = 0
    if format == "jsonl":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False, default=default))
            out.write("\n")
            out.flush()
            count += 1
        return count
    out.write("[")
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(row, ensure_ascii=False, default=default))
        count += 1
    out.write("\n]\n" if count else "]\n")
    out.flush()
    return count
