"""What a self-assessment report says, in both languages, as plain data — one content for the page, the Word
download and the PDF. Pure: the decision, the answers and the legal numbers in, the report out."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import report_items, wizard

DECISIONS = {
    "prohibited": ("未经主管机关批准，不得向境外提供", "Not to be provided without the competent authority's approval"),
    "security_assessment": ("申报数据出境安全评估", "Declare a CAC data export security assessment"),
    "standard_contract_or_certification": ("订立个人信息出境标准合同（并备案）或通过个人信息保护认证",
                                           "Sign the standard contract (and file it) or obtain certification"),
    "exempt": ("免予申报安全评估、订立标准合同和认证", "Exempt from assessment, standard contract and certification"),
}
MECHANISM_LABELS = {c[0]: (c[1], c[2]) for c in wizard.MECHANISM.choices}


@dataclass(frozen=True)
class Periods:
    """The legal numbers the report states (data/parameters/dataexport.yaml, in force on the report's date)."""

    validity_years: int
    extension_working_days: int
    pipia_years: int


def _answer_labels(key: str, value: str) -> tuple[str, str]:
    question = wizard.question_of(key)
    if question.kind == "number":
        return f"{int(value):,}", f"{int(value):,}"
    for choice, zh, en in question.choices:
        if choice == value:
            return zh, en
    return value, value


def facts(answers: dict[str, str]) -> list[dict]:
    """The questions asked and the answers given, both languages."""
    out = []
    for key, value in answers.items():
        question = wizard.question_of(key)
        zh, en = _answer_labels(key, value)
        out.append({"key": key, "question_zh": question.zh, "question_en": question.en, "answer_zh": zh, "answer_en": en})
    return out


def build(*, result: dict, answers: dict[str, str], item_answers: dict[str, str], on: dt.date, periods: Periods) -> dict:
    """The whole report: decision and citations, facts, rules evaluated, obligations, warnings, and every report
    item the decision requires with the applicant's answer — or marked unanswered, never filled in."""
    pathway = result["pathway"]
    mechanism = wizard.mechanism_of(answers)
    personal_information = bool(wizard.exports_personal_information(answers))
    items = report_items.items_for(pathway, mechanism, personal_information=personal_information, on=on)
    sections = report_items.report_sections(items, item_answers)
    validity = None
    if pathway == "security_assessment":
        validity = (f"评估结果有效期为 {periods.validity_years} 年；有效期届满前 {periods.extension_working_days} 个工作日内可申请延长。",
                    f"An assessment result is valid for {periods.validity_years} years; an extension can be requested within "
                    f"{periods.extension_working_days} working days before it ends.")
    chosen = MECHANISM_LABELS.get(answers.get(wizard.MECHANISM.key, ""))
    return {
        "date": on, "pathway": pathway,
        "decision": {"zh": DECISIONS[pathway][0], "en": DECISIONS[pathway][1]},
        "cites": result["cites"], "measures": list(dict.fromkeys([*result.get("measures", []), *(c.measure for c in report_items.MEASURES)])),
        "validity": {"zh": validity[0], "en": validity[1]} if validity else None,
        "mechanism": {"zh": chosen[0], "en": chosen[1]} if chosen else None,
        "facts": facts(answers), "trace": result["trace"], "obligations": result["obligations"], "warnings": result["warnings"],
        "sections": sections,
        "items_total": sum(len(s["items"]) for s in sections),
        "items_unanswered": sum(1 for s in sections for i in s["items"] if not i["answered"]),
        "retention": {"zh": f"本报告应与个人信息保护影响评估报告一并至少保存 {periods.pipia_years} 年。",
                      "en": f"Keep this report with the personal information protection impact assessment for at least {periods.pipia_years} years."},
    }
