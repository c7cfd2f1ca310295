"""The self-assessment wizard (数据出境自评估): one question at a time, then the report with the decision."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from openftz.core.parameters import parameter

from . import services, wizard


def assess(request: HttpRequest) -> HttpResponse:
    answers = wizard.clean(request.GET)
    question = wizard.next_question(answers)
    english = (get_language() or "").startswith("en")
    if question is not None:
        return render(request, "dataexport/wizard.html", {
            "question": question, "text": question.en if english else question.zh, "answers": answers,
            "choices": [(value, en if english else zh) for value, zh, en in question.choices],
            "step": len(answers) + 1,
        })
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    facts = wizard.to_input(answers)
    result = services.assess_with_lists(facts, on=today)
    asked = [(wizard.QUESTIONS[k].en if english else wizard.QUESTIONS[k].zh, v) for k, v in answers.items()]
    context = {
        "result": result, "asked": asked, "today": today, "english": english, "query": request.GET.urlencode(),
        "validity_years": parameter("dataexport", "assessment_validity_years").at(today),
        "extension_days": parameter("dataexport", "assessment_extension_window_working_days").at(today),
        "pipia_years": parameter("dataexport", "pipia_retention_years").at(today),
    }
    response = render(request, "dataexport/report.html", context)
    if request.GET.get("format") == "doc":  # Word opens HTML saved as .doc: an editable copy of the report
        response["Content-Type"] = "application/msword; charset=utf-8"
        response["Content-Disposition"] = f'attachment; filename="data-export-self-assessment-{today.isoformat()}.doc"'
    return response
