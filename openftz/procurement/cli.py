"""``openftz procurement …``: ``check FILE`` — the zone's procurement rules over OCDS data, one JSON line per release —,
``rules``, the rate table; procedures, challenges, debriefings, debarments (JSON lines), and the demo data.

Commands that write act as a named user (``--as USER``) with that user's procurement role, exactly as the pages
and the API do. Bad input ends with one line on stderr and exit status 2.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import typer

from openftz.core.cli import check_format, clean_errors, django_setup, fail, format_option, write_json
from openftz.core.errors import InvalidInput
from openftz.core.parameters import ParameterError

app = typer.Typer(no_args_is_help=True)
procedures_app = typer.Typer(no_args_is_help=True, help="Procedures kept as OCDS releases.")
challenges_app = typer.Typer(no_args_is_help=True, help="Challenges (SH-85, SH-86).")
debriefings_app = typer.Typer(no_args_is_help=True, help="Debriefings of unsuccessful suppliers (SH-80).")
debarments_app = typer.Typer(no_args_is_help=True, help="The debarment register (SH-78).")
app.add_typer(procedures_app, name="procedures")
app.add_typer(challenges_app, name="challenges")
app.add_typer(debriefings_app, name="debriefings")
app.add_typer(debarments_app, name="debarments")

AS = typer.Option(..., "--as", help="the acting user (their procurement role applies)")


# — the check of OCDS data ——————————————————————————————————————————————————————————————————


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
    format: str = typer.Option("jsonl", "--format", help="jsonl (one line per release), json (one array), table (tab-separated rows) or xlsx"),
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

    if format not in ("jsonl", "json", "table", "xlsx"):
        fail(f"error: unknown format {format!r} (expected jsonl, json, table or xlsx)")
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
        if format in ("json", "jsonl"):
            write_json(results, format, out, default=None)
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
        "# reported as unconvertible (a warning), never guessed. A currency the ECB stopped publishing (the lev, the kuna,\n"
        "# the rouble…) keeps its rates up to its last fixing, for amounts of those dates.\n"
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


# — the workflow ————————————————————————————————————————————————————————————————————————————


def _emit(rows, format: str = "jsonl") -> None:
    write_json(rows, check_format(format, ("json", "jsonl")))


def _user(username: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).select_related("procurement_profile").first()
    if user is None:
        fail(f"error: no user {username} / 没有用户 {username}")
    return user


def _json_file(path: Path, schema):
    """A JSON file validated by the API's schema: the CLI takes exactly what the API takes."""
    from pydantic import ValidationError

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput("无法读取文件", f"cannot read {path}: {exc.strerror}") from None
    from openftz.core import jsonio

    try:
        return schema.model_validate(jsonio.loads(raw))
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"]) or "input"
        raise InvalidInput("输入无效", f"invalid input at {where}: {first['msg']}", details=exc.errors(include_url=False)) from None


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{field} 不是日期", f"{field} is not a date (YYYY-MM-DD): {value!r}") from None


# — procedures

@procedures_app.command("list")
@clean_errors
def procedures_list(method: str = typer.Option(None, help="open, selective or limited"), format: str = format_option()) -> None:
    """Every procedure: one JSON line each, or one array with --format json."""
    django_setup()
    from . import selectors

    _emit(({"ocid": p.ocid, "title": p.title, "title_en": p.title_en, "method": p.method, "stage": p.stage, "entity": p.entity_id,
           "started_on": p.started_on, "ended_on": p.ended_on, "retain_until": p.retain_until, "demo": p.is_demo}
          for p in selectors.procedures(method=method)), format)


@procedures_app.command("show")
@clean_errors
def procedures_show(ocid: str) -> None:
    """One procedure's compiled OCDS release."""
    django_setup()
    from . import selectors

    _emit([selectors.procedure(ocid).compiled])


@procedures_app.command("package")
@clean_errors
def procedures_package(ocid: str, kind: str = typer.Option("record", help="record or release")) -> None:
    """The procedure as an OCDS 1.1 record package or release package."""
    django_setup()
    from . import selectors

    if kind not in ("record", "release"):
        fail("error: invalid_input: --kind is record or release / --kind 只能是 record 或 release")
    _emit([selectors.procedure_package(selectors.procedure(ocid), kind)])


@procedures_app.command("create")
@clean_errors
def procedures_create(file: Path, as_user: str = AS) -> None:
    """Register a procedure from a JSON file (the shape of POST /api/procurement/procedures); prints its OCID."""
    django_setup()
    from . import services
    from .schemas import ProcedureIn

    payload = _json_file(file, ProcedureIn)
    procedure = services.procedure_create(actor=_user(as_user), via="cli", **services.procedure_kwargs(payload.model_dump()))
    _emit([{"ocid": procedure.ocid, "release": procedure.releases.get().release_id}])


@procedures_app.command("release")
@clean_errors
def procedures_release(ocid: str, file: Path, as_user: str = AS) -> None:
    """Publish the next stage from a JSON file (the shape of POST /api/procurement/procedures/{ocid}/releases)."""
    django_setup()
    from . import selectors, services
    from .schemas import ReleaseIn

    payload = _json_file(file, ReleaseIn)
    release = services.procedure_release_add(actor=_user(as_user), procedure=selectors.procedure(ocid), tag=payload.tag,
                                             tender=payload.tender, awards=payload.awards, contracts=payload.contracts,
                                             tenderers=payload.tenderers, via="cli")
    _emit([{"ocid": ocid, "release": release.release_id, "tag": release.tags}])


@procedures_app.command("end")
@clean_errors
def procedures_end(ocid: str, status: str = typer.Option("complete", help="complete, cancelled or unsuccessful"),
                   as_user: str = AS) -> None:
    """End the procurement: its records are kept from today for the retention period (SH-81)."""
    django_setup()
    from . import selectors, services

    p = services.procedure_end(actor=_user(as_user), procedure=selectors.procedure(ocid), status=status, via="cli")
    _emit([{"ocid": p.ocid, "ended_on": p.ended_on, "retain_until": p.retain_until}])


def _challenge_row(c) -> dict:
    return {"id": c.pk, "ocid": c.procedure.ocid, "supplier": c.supplier_id, "knew_on": c.knew_on, "filed_on": c.filed_on,
            "deadline": c.deadline, "late": c.late, "status": c.status, "decided_on": c.decided_on, "decision": c.decision_text}


# — challenges

@challenges_app.command("list")
@clean_errors
def challenges_list(as_user: str = AS, status: str = typer.Option(None), format: str = format_option()) -> None:
    """The challenges the user may see."""
    django_setup()
    from . import selectors
    from .permissions import Action, require

    user = _user(as_user)
    require(user, Action.VIEW_CHALLENGE)
    _emit((_challenge_row(c) for c in selectors.challenges(user, status=status)), format)


@challenges_app.command("file")
@clean_errors
def challenges_file(ocid: str, grounds: str = typer.Option(...), knew_on: str = typer.Option(..., help="YYYY-MM-DD"),
                    evidence: str = typer.Option(""), as_user: str = AS) -> None:
    """A supplier files a challenge (a late one is recorded as late)."""
    django_setup()
    from . import selectors, services

    c = services.challenge_file(actor=_user(as_user), procedure=selectors.procedure(ocid), grounds=grounds,
                                knew_on=_date(knew_on, "knew_on"), evidence=evidence, via="cli")
    _emit([_challenge_row(c)])


@challenges_app.command("route")
@clean_errors
def challenges_route(challenge_id: int, action: str = typer.Option(..., help="accept, reject_late or reject_inadmissible"),
                     reason: str = typer.Option(""), as_user: str = AS) -> None:
    """The review body accepts or rejects a challenge."""
    django_setup()
    from . import selectors, services

    _emit([_challenge_row(services.challenge_route(actor=_user(as_user), challenge=selectors.challenge(challenge_id), action=action,
                                                   reason=reason, via="cli"))])


@challenges_app.command("decide")
@clean_errors
def challenges_decide(challenge_id: int, outcome: str = typer.Option(..., help="uphold or dismiss"),
                      decision: str = typer.Option(..., help="the decision and its reasons"), as_user: str = AS) -> None:
    """The review body decides an accepted challenge."""
    django_setup()
    from . import selectors, services

    _emit([_challenge_row(services.challenge_decide(actor=_user(as_user), challenge=selectors.challenge(challenge_id),
                                                    outcome=outcome, decision_text=decision, via="cli"))])


# — debriefings

def _debriefing_row(d) -> dict:
    from . import selectors

    return {"id": d.pk, "ocid": d.procedure.ocid, "supplier": d.supplier_id, "requested_on": d.requested_on, "due_on": d.due_on,
            "answered_on": d.answered_on, "overdue": selectors.is_overdue(d)}


@debriefings_app.command("list")
@clean_errors
def debriefings_list(as_user: str = AS, overdue: bool = typer.Option(False, "--overdue", help="only the overdue ones"),
                     format: str = format_option()) -> None:
    """The debriefing requests the user may see, with their overdue flags."""
    django_setup()
    from . import selectors
    from .permissions import Action, require

    user = _user(as_user)
    require(user, Action.VIEW_DEBRIEFING)
    _emit((_debriefing_row(d) for d in selectors.debriefings(user, overdue=True if overdue else None)), format)


@debriefings_app.command("request")
@clean_errors
def debriefings_request(ocid: str, question: str = typer.Option(""), as_user: str = AS) -> None:
    """An unsuccessful supplier asks why its tender was not selected."""
    django_setup()
    from . import selectors, services

    _emit([_debriefing_row(services.debriefing_request(actor=_user(as_user), procedure=selectors.procedure(ocid),
                                                       question=question, via="cli"))])


@debriefings_app.command("answer")
@clean_errors
def debriefings_answer(debriefing_id: int, answer: str = typer.Option(...), as_user: str = AS) -> None:
    """The procuring entity answers (refused if the answer discloses another supplier's trade secret)."""
    django_setup()
    from . import selectors, services

    _emit([_debriefing_row(services.debriefing_answer(actor=_user(as_user), debriefing=selectors.debriefing(debriefing_id),
                                                      answer=answer, via="cli"))])


# — the debarment register

@debarments_app.command("list")
@clean_errors
def debarments_list(as_user: str = AS, format: str = format_option()) -> None:
    """The register entries the user may see."""
    django_setup()
    from . import selectors
    from .permissions import Action, require

    user = _user(as_user)
    require(user, Action.VIEW_DEBARMENTS)
    _emit(({"id": d.pk, "supplier": d.supplier_id, "entity": d.entity_id, "contract": d.contract_reference, "breach_on": d.breach_on,
           "decided_on": d.decided_on, "material": d.material, "remedied": d.remedied, "grounds": d.grounds}
          for d in selectors.debarments(user)), format)


@debarments_app.command("add")
@clean_errors
def debarments_add(supplier: str = typer.Option(...), entity: str = typer.Option(...), contract: str = typer.Option(...),
                   breach_on: str = typer.Option(...), decided_on: str = typer.Option(...), grounds: str = typer.Option(...),
                   remedied: bool = typer.Option(False, "--remedied"), as_user: str = AS) -> None:
    """Register a supplier's material breach of a procurement contract."""
    django_setup()
    from . import services

    d = services.debarment_record(actor=_user(as_user), supplier_id=supplier, entity_id=entity, contract_reference=contract,
                                  breach_on=_date(breach_on, "breach_on"), decided_on=_date(decided_on, "decided_on"),
                                  grounds=grounds, remedied=remedied, via="cli")
    _emit([{"id": d.pk, "supplier": d.supplier_id, "entity": d.entity_id}])


@app.command()
@clean_errors
def demo(if_empty: bool = typer.Option(False, "--if-empty", help="do nothing (exit 0) when procurement already holds data")) -> None:
    """Load demo data (演示数据): an entity, suppliers, procedures, a challenge, a debriefing, and their accounts."""
    django_setup()
    from .demo import DEMO_PASSWORD, demo_load, procurement_is_empty

    if if_empty and not procurement_is_empty():
        typer.echo("procurement holds data: demo not loaded")
        return
    accounts = demo_load()
    typer.echo("procurement demo data loaded (演示数据). Log in at http://127.0.0.1:8000/tracker/login/ with:")
    for username, role in accounts:
        typer.echo(f"  {username:<24} {role:<16} password {DEMO_PASSWORD}")
    typer.echo("then open http://127.0.0.1:8000/procurement/")
