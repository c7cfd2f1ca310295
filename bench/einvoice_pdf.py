"""E-invoice PDF benchmark: seconds, lines/s and peak memory of the PDF of an invoice of 500, 2,000 and 5,000 lines,
beside the HTML page of the same invoice (the same layout, rendered by Django's templates) timed in the same run.

Each size runs in a fresh child process, so that its peak resident memory (``ru_maxrss``) is its own; the invoice is
the generated, valid one of ``bench/einvoice.py`` (four VAT categories, line allowances and charges). The parse and
validation are timed apart from the rendering. Options: ``--sizes 500,2000`` to choose the sizes.
Run: `.venv/bin/python bench/einvoice_pdf.py` (part of `make bench`).
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = (500, 2000, 5000)


def one(lines: int) -> dict:
    """Render one invoice of ``lines`` lines (in this process) and measure it."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openftz.settings")
    import django

    django.setup()
    from einvoice import big_invoice

    from openftz.einvoice.convert import invoice_view, to_html, to_pdf

    data = big_invoice(lines)
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    view = invoice_view(data, max_bytes=len(data) + 1)
    viewed = time.perf_counter()
    html = to_html(view)
    html_done = time.perf_counter()
    del html
    rss_before_pdf = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu = time.process_time()
    pdf = to_pdf(view)
    pdf_done = time.perf_counter()
    pdf_cpu = time.process_time() - cpu
    return {"lines": lines, "bytes": len(data), "view_s": viewed - start, "html_s": html_done - viewed,
            "pdf_s": pdf_done - html_done, "pdf_cpu_s": pdf_cpu, "pdf_bytes": len(pdf), "rss_start_kb": rss_start,
            "rss_before_pdf_kb": rss_before_pdf, "rss_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def main() -> None:
    if "--one" in sys.argv:
        print(json.dumps(one(int(sys.argv[sys.argv.index("--one") + 1]))))
        return
    sizes = SIZES
    if "--sizes" in sys.argv:
        sizes = tuple(int(n) for n in sys.argv[sys.argv.index("--sizes") + 1].split(","))
    load = os.getloadavg()[0]
    print("einvoice PDF: one child process per size; parse+validate+layout ('view'), the HTML page of the same "
          "invoice (peer), and the PDF; peak RSS of the child")
    print(f"  {'lines':>6} {'MB xml':>7} {'view s':>7} {'HTML s':>7} {'HTML l/s':>9} {'PDF s':>7} {'cpu s':>6} {'PDF l/s':>8} "
          f"{'PDF/HTML':>8} {'pages KB':>9} {'RSS MB before PDF':>18} {'peak RSS MB':>12}")
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"  {n:>6} {r['bytes'] / 1e6:>7.1f} {r['view_s']:>7.2f} {r['html_s']:>7.2f} {n / r['html_s']:>9.0f} "
              f"{r['pdf_s']:>7.2f} {r['pdf_cpu_s']:>6.2f} {n / r['pdf_s']:>8.0f} {r['pdf_s'] / r['html_s']:>8.1f} {r['pdf_bytes'] / 1024:>9.0f} "
              f"{r['rss_before_pdf_kb'] / 1024:>18.0f} {r['rss_peak_kb'] / 1024:>12.0f}", flush=True)
    print(f"  load average of the machine (1 min): {load:.1f} before, {os.getloadavg()[0]:.1f} after "
          f"({os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
