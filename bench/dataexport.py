"""Data export benchmark: assessments per second through the batch interface's code path, and reports rendered.

Prints the rate of parse + assess + serialise for a mix of transfers beside the rate of merely parsing and
serialising the same JSON lines with the standard json module, measured in the same run; then the rate of
server-rendered PDF reports (a security assessment with every report item answered) beside rendering the same
report as the HTML page.
Run: `.venv/bin/python bench/dataexport.py` (part of `make bench`).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openftz.settings")

import django  # noqa: E402

django.setup()

from openftz.dataexport import pdf, report, report_items, rules  # noqa: E402

N = 50_000
REPORTS = 100


def lines(n: int) -> list[str]:
    rng = random.Random(7)
    out = []
    for _ in range(n):
        out.append(json.dumps({
            "processor": {"ciio": rng.random() < 0.1, "state_organ": rng.random() < 0.05, "ftz_registered": rng.random() < 0.5},
            "transfer": {"recipient_foreign_judicial_authority": rng.random() < 0.02, "important_data": rng.random() < 0.1,
                         "personal_info_people": rng.choice([0, 10, 99_999, 100_000, 500_000, 1_000_000]),
                         "sensitive_personal_info_people": rng.choice([0, 0, 0, 1, 9_999, 10_000]),
                         "collected_abroad_only": rng.random() < 0.05, "purpose": rng.choice(rules.PURPOSES),
                         "ftz_negative_list": rng.choice(rules.NEGATIVE_LIST)},
        }))
    return out


def main() -> None:
    data = lines(N)
    thresholds = rules.Thresholds.on(dt.date.today())
    t0 = time.perf_counter()
    for line in data:
        json.dumps(json.loads(line), ensure_ascii=False)
    bare = time.perf_counter() - t0
    t0 = time.perf_counter()
    pathways: dict[str, int] = {}
    for line in data:
        processor, transfer = rules.parse(json.loads(line))
        result = rules.assess(processor, transfer, thresholds=thresholds).as_dict()
        pathways[result["pathway"]] = pathways.get(result["pathway"], 0) + 1
        json.dumps(result, ensure_ascii=False)
    full = time.perf_counter() - t0
    print(f"{N:,} transfers: {', '.join(f'{k} {v}' for k, v in sorted(pathways.items()))}")
    print(f"assess-batch path (parse, assess, serialise with trace)  {N / full:>10,.0f} assessments/s")
    print(f"baseline: json parse + serialise of the same lines       {N / bare:>10,.0f} lines/s   (assessing costs {full / bare:.1f}× the bare JSON work)")
    reports()


def reports() -> None:
    from django.template.loader import render_to_string

    on = dt.date.today()
    answers = {"recipient_foreign_judicial_authority": "no", "important_data": "yes"}
    result = rules.assess_raw({"processor": {"ciio": False, "state_organ": False, "ftz_registered": True},
                               "transfer": {"recipient_foreign_judicial_authority": False, "important_data": True, "personal_info_people": 0,
                                            "sensitive_personal_info_people": 0, "collected_abroad_only": False, "purpose": None,
                                            "ftz_negative_list": None}}, on=on)
    items = report_items.items_for("security_assessment", None, personal_information=False, on=on)
    text = "向境外研发中心提供车辆道路测试数据，用于自动驾驶算法的联合研发；数据经脱敏处理，按季度传输，保存期限两年。" * 3
    item_answers = {t.key: text for t in report_items.topics_for(items)}
    t = rules.Thresholds.on(on)
    content = report.build(result=result, answers=answers, item_answers=item_answers, on=on,
                           periods=report.Periods(t.validity_years, t.extension_working_days, t.pipia_years))
    pdf.render(content)  # fonts and styles set up once, as in a running server
    t0 = time.perf_counter()
    for _ in range(REPORTS):
        size = len(pdf.render(content))
    pdf_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(REPORTS):
        render_to_string("dataexport/report.html", {"report": content, "english": False, "token": "bench"})
    html_seconds = time.perf_counter() - t0
    print(f"PDF report ({len(items)} items answered, {size:,} bytes)          {REPORTS / pdf_seconds:>10,.1f} reports/s")
    print(f"baseline: the same report as the HTML page               {REPORTS / html_seconds:>10,.1f} reports/s   (the PDF costs {pdf_seconds / html_seconds:.1f}× the page)")


if __name__ == "__main__":
    main()
