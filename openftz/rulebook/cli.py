"""``openftz rulebook …``: load, export, parse, search, align."""
from __future__ import annotations

import json
from pathlib import Path

import typer

from openftz.core.cli import check_format, clean_errors, django_setup, fail, write_json

from . import align as aligner
from .parser import PlanParseError, parse_plan

app = typer.Typer(no_args_is_help=True)


def _print_json(data) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command()
@clean_errors
def load() -> None:
    """Parse both plans, lay the reviewed overlay over them and store them (idempotent)."""
    django_setup()
    from .services import rulebook_load

    report = rulebook_load()
    plans = ", ".join(f"{code}: {n}" for code, n in report.plans.items())
    typer.echo(f"rulebook loaded — measures {plans}; units {report.units}; crosswalk links {report.links}")
    for finding in report.findings:
        typer.echo(f"  {finding.severity.value}: {finding.rule}: {finding.message_en}", err=True)


@app.command()
@clean_errors
def export() -> None:
    """Print every measure as JSON: {"measures": [{"id", "plan", "number", "chapter", "section", "text", "units", "lead_unit", "implements" | "implemented_by", …}]}."""
    django_setup()
    from .selectors import rulebook_export

    _print_json(rulebook_export())


@app.command()
def parse(
    file: Path = typer.Argument(..., help="a plan's text (UTF-8)"),
    plan: str = typer.Option(None, help="id prefix for the measures (SC, SH, …); guessed from the document number"),
) -> None:
    """Parse any plan text into the export shape (no database needed)."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        fail(f"error: cannot read {file}: {exc.strerror or exc}")
    try:
        doc = parse_plan(data, plan=plan)
    except PlanParseError as exc:
        fail(f"error: {file}: {exc.message_en} / {exc.message_zh}")
    measures = []
    for m in doc.measures:
        row = {
            "id": m.id, "plan": doc.plan, "number": m.number, "chapter": m.chapter_title, "chapter_number": m.chapter,
            "section": m.section_title, "section_number": m.section, "text": m.text, "responsibility": m.responsibility,
            "units": m.units, "lead_unit": m.lead_unit, "leads": m.leads,
        }
        measures.append(row)
    document = {k: getattr(doc, k) for k in ("plan", "doc_number", "title", "notice_title", "issuer", "kind", "signed_on", "printed_on")}
    document["chapters"] = [{"number": c.number, "title": c.title, "sections": [{"number": s.number, "title": s.title} for s in c.sections]} for c in doc.chapters]
    _print_json({"document": document, "measures": measures})


@app.command()
@clean_errors
def search(
    query: str = typer.Argument(..., help="words to find; all must occur"),
    plan: str = typer.Option(None, help="SC or SH"),
    unit: str = typer.Option(None, help="responsible unit (name or alias)"),
    limit: int = typer.Option(20, min=1, max=200),
    as_json: bool = typer.Option(False, "--json", help="print JSON lines (the same as --format jsonl)"),
    format: str = typer.Option("table", "--format", help="table, json (one array) or jsonl (a line each)"),
) -> None:
    """Full-text search over the measures."""
    django_setup()
    from . import selectors

    if not query.strip():
        fail("error: the query is empty / 查询为空")
    format = check_format("jsonl" if as_json else format, ("table", "json", "jsonl"))
    hits = selectors.search(query, plan=plan, unit=unit, limit=limit)
    if format != "table":
        write_json(({"id": h.measure.id, "score": h.score, "snippet": h.before + h.match + h.after} for h in hits), format)
        return
    for h in hits:
        typer.echo(f"{h.measure.id:>10}  {h.score:6.2f}  {h.before}[{h.match}]{h.after}")
    typer.echo(f"{len(hits)} result(s)", err=True)


@app.command()
@clean_errors
def align(show: bool = typer.Option(False, help="print every proposed link")) -> None:
    """Run the automatic aligner on the two plans and score it against the reviewed crosswalk."""
    django_setup()
    from .overlay import load_overlay
    from .services import LOCAL, NATIONAL, aligner_items, parse_plans

    docs = {code: doc for code, (doc, _) in parse_plans().items()}
    links = aligner.align(aligner_items(docs[LOCAL]), aligner_items(docs[NATIONAL]))
    reviewed = [(sh, sc) for sh, targets in load_overlay().crosswalk.items() for sc in targets]
    if show:
        for link in links:
            mark = "✓" if (link.local, link.national) in set(reviewed) else "✗"
            typer.echo(f"{mark} {link.local:>7} → {link.national:<10} score {link.score:.3f} (text {link.similarity:.3f})")
    _print_json(aligner.precision_recall(((l.local, l.national) for l in links), reviewed))
