"""``openftz tracker …``: sync, tick, demo, tasks, reports, risks, feedback, export, import."""
from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from openftz.core.cli import clean_errors, django_setup, fail, write_json

app = typer.Typer(no_args_is_help=True)


class Format(str, Enum):
    json = "json"  # one JSON document (an array)
    jsonl = "jsonl"  # one JSON object per line
    table = "table"


class JsonFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"


def _coordinator(username: str | None):
    """The acting user of a command: a named user (with that user's permissions), or the system (acts as the coordinator)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            fail(f"error: no user {username} / 没有用户 {username}")
        return user
    user, _ = User.objects.get_or_create(username="openftz-system", defaults={"is_superuser": True, "is_active": False})
    return user


@app.command()
@clean_errors
def sync() -> None:
    """Create one task per (Shanghai measure × responsible unit) from the rulebook (idempotent)."""
    django_setup()
    from .services import tasks_sync

    report = tasks_sync()
    typer.echo(f"tasks: {report.created} created, {report.updated} updated")


@app.command()
@clean_errors
def tick(schedule: bool = typer.Option(False, help="also make sure tomorrow's run is queued for the worker")) -> None:
    """Recompute red / amber / green of every task now (the daily job's work)."""
    django_setup()
    from .services import tick as run_tick
    from .tasks import schedule_daily_tick

    counts = run_tick()
    typer.echo("  ".join(f"{k} {v}" for k, v in counts.items()))
    if schedule and schedule_daily_tick():
        typer.echo("daily tick queued (run `manage.py db_worker` to work the queue)")


@app.command()
@clean_errors
def demo(if_empty: bool = typer.Option(False, "--if-empty", help="do nothing (exit 0) when the tracker already holds data")) -> None:
    """Fill an empty tracker with demo data (演示数据) and print the demo accounts."""
    django_setup()
    from .demo import DEMO_PASSWORD, demo_load, tracker_is_empty

    if if_empty and not tracker_is_empty():
        typer.echo("tracker holds data: demo not loaded")
        return
    accounts = demo_load()
    typer.echo("demo data loaded (演示数据). Log in at http://127.0.0.1:8000/tracker/login/ with:")
    for a in accounts:
        typer.echo(f"  {a.username:<18} password {DEMO_PASSWORD}   {a.role:<13} {a.unit}")


@app.command()
@clean_errors
def tasks(
    format: Format = typer.Option(Format.table, "--format"),
    measure: str = typer.Option(None, help="e.g. SH-12"),
    unit: str = typer.Option(None, help="responsible unit (name or alias)"),
    rag: str = typer.Option(None, help="green, amber, red or grey"),
) -> None:
    """Every task {"measure", "unit", "lead", "status", "progress", "due", …}: an array with --format json, a line each with jsonl."""
    django_setup()
    from . import selectors

    rows = [selectors.task_as_dict(t) for t in selectors.tasks(measure=measure, unit=unit, rag=rag)]
    if format != Format.table:
        write_json(rows, format.value)
        return
    for r in rows:
        typer.echo(f"{r['measure']:>7} {'★' if r['lead'] else ' '} {r['unit']:<28} {r['status']:<18} {r['progress']:>3}%  "
                   f"{r['due'] or '—':<10} {r['rag']}")
    typer.echo(f"{len(rows)} task(s)", err=True)


@app.command()
@clean_errors
def reports(
    pending: bool = typer.Option(False, help="only reports waiting for review"),
    format: JsonFormat = typer.Option(JsonFormat.jsonl, "--format", help="jsonl (a line each) or json (one array)"),
) -> None:
    """Progress reports."""
    django_setup()
    from . import selectors

    write_json(({"id": r.pk, "measure": r.task.measure_id, "unit": r.task.unit.name, "state": r.state,
                 "status": r.status, "progress": r.progress, "author": r.author.username,
                 "submitted_at": r.submitted_at.isoformat()} for r in selectors.reports(pending=pending)), format.value)


@app.command()
@clean_errors
def risks(format: JsonFormat = typer.Option(JsonFormat.jsonl, "--format", help="jsonl (a line each) or json (one array)")) -> None:
    """The risk register."""
    django_setup()
    from . import selectors

    write_json(({"id": r.pk, "measure": r.measure_id, "title": r.title, "likelihood": r.likelihood,
                 "impact": r.impact, "score": r.score, "early_warning": r.early_warning,
                 "disposition": r.disposition or None} for r in selectors.risks()), format.value)


@app.command()
@clean_errors
def feedback(
    published: bool = typer.Option(False, help="only published items"),
    format: JsonFormat = typer.Option(JsonFormat.jsonl, "--format", help="jsonl (a line each) or json (one array)"),
) -> None:
    """Enterprise questions and opinions."""
    django_setup()
    from . import selectors

    write_json(({"id": f.pk, "measure": f.measure_id, "kind": f.kind, "text": f.text, "answer": f.answer or None,
                 "published": f.published} for f in selectors.feedback_list(published_only=published)), format.value)


@app.command("export")
@clean_errors
def export_(path: Path = typer.Argument(..., help="the .xlsx file to write"),
            user: str = typer.Option(None, help="export what this user may see (default: the system, as coordinator: everything)")) -> None:
    """Export the tracker to one Excel workbook: what the acting user may see in the pages."""
    django_setup()
    from .excel import export_workbook

    path.write_bytes(export_workbook(viewer=_coordinator(user)))
    typer.echo(f"written {path}")


@app.command("import")
@clean_errors
def import_(path: Path = typer.Argument(..., help="an .xlsx file in the export format"),
            user: str = typer.Option(None, help="act as this user (default: the system, as coordinator)")) -> None:
    """Apply a workbook's edits in one transaction; on any bad row nothing changes and each error is listed."""
    django_setup()
    from openftz.core.errors import InvalidInput

    from .excel import import_workbook

    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"error: cannot read {path}: {exc.strerror or exc}")
    try:
        result = import_workbook(actor=_coordinator(user), data=data)
    except InvalidInput as exc:
        for e in exc.details or []:
            if isinstance(e, dict):
                typer.echo(f"  {e['sheet']} row {e['row']} {e['column']}: {e['message_en']} / {e['message_zh']}", err=True)
        fail(exc.one_line())
    typer.echo(f"imported: {result.tasks} task(s), {result.milestones} milestone(s), {result.risks} risk(s)")
