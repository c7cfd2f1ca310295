"""``openftz procurement check FILE``: the zone's procurement rules over OCDS data, one JSON line per release."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import typer

from openftz.core.cli import fail
from openftz.core.parameters import ParameterError

app = typer.Typer(no_args_is_help=True)


class _Counting(io.RawIOBase):
    """A file that reports how many bytes have been read, for the progress bar."""

    def __init__(self, raw, advance):
        self.raw, self.advance = raw, advance

    def readable(self):
        return True

    def seekable(self):
        return True

    def readinto(self, buffer):
        n = self.raw.readinto(buffer)
        self.advance(n or 0)
        return n

    def seek(self, offset, whence=io.SEEK_SET):
        return self.raw.seek(offset, whence)

    def tell(self):
        return self.raw.tell()


def _cores() -> int:
    """The cores this process may run on (fewer than the machine's in a container with CPU affinity)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:
        return os.cpu_count() or 1


def _today() -> dt.date:
    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


@app.command()
def check(
    file: Path = typer.Argument(..., help="JSON Lines of releases, compiled releases, records or packages, or one JSON document ('-': standard input)"),
    format: str = typer.Option("jsonl", "--format", help="jsonl (one line per release), table (tab-separated rows) or xlsx"),
    output: Path = typer.Option(None, "--output", "-o", help="write here instead of standard output (required for xlsx)"),
    on: str = typer.Option(None, help="check against the rules in force on this day (YYYY-MM-DD; default today, Asia/Shanghai)"),
    workers: int = typer.Option(_cores(), min=1, max=64, help="processes checking in parallel (default: every core)"),
    lang: str = typer.Option("zh", help="language of the table's messages: zh or en"),
) -> None:
    """Check every release; a line that cannot be used gives {"line", "error"} in its place and the run goes on.

    Exit status 2 only when nothing could be read.
    """
    from .report import Summary, write_xlsx
    from .rules import Context
    from .stream import check_stream

    if format not in ("jsonl", "table", "xlsx"):
        fail(f"error: unknown format {format!r} (expected jsonl, table or xlsx)")
    if format == "xlsx" and output is None:
        fail("error: --format xlsx needs --output FILE.xlsx / Excel 格式须指定输出文件")
    if lang not in ("zh", "en"):
        fail(f"error: unknown language {lang!r} (expected zh or en)")
    try:
        day = dt.date.fromisoformat(on) if on else _today()
    except ValueError:
        fail(f"error: --on must be a date YYYY-MM-DD, not {on!r}")
    try:
        ctx = Context.at(day)
    except ParameterError as exc:
        fail(exc.one_line())
    if str(file) == "-":
        raw = io.BytesIO(sys.stdin.buffer.read())
        size = len(raw.getvalue())
    else:
        try:
            raw = open(file, "rb")
            size = os.fstat(raw.fileno()).st_size
        except OSError as exc:
            fail(f"error: cannot read {file}: {exc.strerror or exc}")
    summary = Summary()
    with raw, _progress(size) as advance:
        stream = io.BufferedReader(_Counting(raw, advance)) if advance else raw
        results = _counted(check_stream(stream, ctx, workers=workers), summary)
        if format == "xlsx":
            try:
                target = open(output, "wb")
            except OSError as exc:
                fail(f"error: cannot write {output}: {exc.strerror or exc}")
            with target:
                write_xlsx(results, target)
        else:
            _write_text(results, output, format, lang)
    if summary.releases == 0:
        fail(f"error: nothing could be read from {file}: {summary.errors} line(s) with errors, no release / 没有可读取的发布")
    if sys.stderr.isatty():
        typer.echo(f"{summary.releases} releases checked, {summary.releases_with_violations} with violations, "
                   f"{summary.errors} unreadable", err=True)


def _counted(results, summary):
    for result in results:
        summary.add(result)
        yield result


def _write_text(results, output: Path | None, format: str, lang: str) -> None:
    from .report import table_rows

    try:
        out = open(output, "w", encoding="utf-8") if output else sys.stdout
    except OSError as exc:
        fail(f"error: cannot write {output}: {exc.strerror or exc}")
    with out if output else contextlib.nullcontext(out):
        if format == "jsonl":
            for result in results:
                out.write(json.dumps(result, ensure_ascii=False))
                out.write("\n")
        else:
            for row in table_rows(results, lang):
                out.write(row)
                out.write("\n")


class _progress:
    """A rich progress bar over the bytes of the input, on standard error, only when it is a terminal."""

    def __init__(self, total: int):
        self.total, self.bar = total, None

    def __enter__(self):
        if not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

        self.bar = Progress("[progress.description]{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                            console=Console(stderr=True), transient=True)
        self.bar.start()
        task = self.bar.add_task("checking", total=self.total or None)
        return lambda n: self.bar.advance(task, n)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False


@app.command("rates-from-ecb")
def rates_from_ecb(
    csv_file: Path = typer.Argument(..., help="the ECB's eurofxref-hist.csv (euro foreign exchange reference rates)"),
    output: Path = typer.Option(Path("data/procurement/rates.yaml"), "--output", "-o", help="the rate table to write"),
    since: str = typer.Option("2014-01-01", help="first month to include (YYYY-MM-DD)"),
    source: str = typer.Option("ECB euro foreign exchange reference rates (eurofxref-hist)", help="where the CSV came from"),
) -> None:
    """Rebuild the dated rate table (CNY per unit) from the ECB's reference rates: month by month, plus the latest."""
    import yaml

    from .rules.money import RateTable, from_ecb_csv

    try:
        table = from_ecb_csv(csv_file.read_text(encoding="utf-8-sig"), since=dt.date.fromisoformat(since))
    except OSError as exc:
        fail(f"error: cannot read {csv_file}: {exc.strerror or exc}")
    except (ValueError, UnicodeDecodeError) as exc:
        fail(f"error: {csv_file}: {exc}")
    latest = max(max(series) for series in table.values())
    header = (
        "# Exchange rates to the yuan: CNY per one unit of each currency, the cross rate (CNY per EUR) / (currency per EUR)\n"
        "# of the European Central Bank's euro foreign exchange reference rates on the first fixing of each month and on\n"
        f"# the latest one ({latest.isoformat()}), rounded to 6 significant digits. Written by `openftz procurement rates-from-ecb`.\n"
        "# The ECB publishes no rate for NGN, COP, AMD, UGX, TWD and many others: an amount in such a currency is\n"
        "# reported as unconvertible (a warning), never guessed.\n"
    )
    body = {"source": f"{source}, cross rates to CNY, first fixing of each month and the latest, up to {latest.isoformat()}",
            "max_age_days": 45, "rates": {code: dict(sorted(series.items())) for code, series in table.items()}}
    RateTable.parse(body)

    class Plain(yaml.SafeDumper):  # the same date appears under every currency: write it each time, not as an alias
        def ignore_aliases(self, data):
            return True

    try:
        output.write_text(header + yaml.dump(body, Dumper=Plain, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8")
    except OSError as exc:
        fail(f"error: cannot write {output}: {exc.strerror or exc}")
    typer.echo(f"{len(table)} currencies, {sum(len(s) for s in table.values())} rates up to {latest.isoformat()} → {output}")


@app.command()
def rules() -> None:
    """The rules: id, the measures each cites, and what it checks."""
    from . import rules as package

    for spec in package.RULES.values():
        typer.echo(f"{spec.id:<22} {','.join(spec.cites):<14} {spec.title_en} / {spec.title_zh}")
