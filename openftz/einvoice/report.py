"""The self-contained bilingual HTML report of a validation run (校验报告): no external files, prints as is."""
from __future__ import annotations

from collections import Counter

from django.template.loader import render_to_string


def render_html(results: list[dict]) -> str:
    from openftz.core.cli import django_setup

    django_setup()
    rows = []
    for r in results:
        fatal = [f for f in r["findings"] if f["severity"] == "fatal"]
        rows.append({**r, "fatal": len(fatal), "warnings": len(r["findings"]) - len(fatal)})
    rules = Counter(f["rule"] for r in results for f in r["findings"] if f["severity"] == "fatal")
    return render_to_string("einvoice/report.html", {
        "results": rows,
        "total": len(results),
        "valid": sum(1 for r in results if r["valid"]),
        "invalid": sum(1 for r in results if not r["valid"]),
        "top_rules": rules.most_common(10),
    })
