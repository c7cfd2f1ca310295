"""Recording transfers: each assessment adds this transfer to the year's cumulative counts (reset each 1 January)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Sum

from openftz.core.errors import InvalidInput, NotFound
from openftz.parties.models import Party

from . import rules
from .models import RecordedTransfer


def year_counts(party: Party, on: dt.date) -> tuple[int, int]:
    """People and sensitive people already sent abroad by ``party`` from 1 January of ``on``'s year up to ``on``."""
    totals = RecordedTransfer.objects.filter(party=party, transferred_on__year=on.year, transferred_on__lte=on).aggregate(
        people=Sum("personal_info_people"), sensitive=Sum("sensitive_personal_info_people"))
    return totals["people"] or 0, totals["sensitive"] or 0


def headroom_warnings(people: int, sensitive: int, this_people: int, this_sensitive: int, t: rules.Thresholds) -> list[dict]:
    """Warn when a next transfer of the same size would cross a threshold this year (SH-38, SC-24)."""
    warnings = []
    for label_zh, label_en, total, step, limit in (
        ("个人信息", "personal information", people, this_people, t.contract),
        ("个人信息", "personal information", people, this_people, t.assessment),
        ("敏感个人信息", "sensitive personal information", sensitive, this_sensitive, t.sensitive),
    ):
        if total < limit <= total + max(step, 1):
            warnings.append({
                "id": "DX-WARN-THRESHOLD",
                "zh": f"今年已累计 {total:,} 人{label_zh};再进行一次同等规模的出境将达到 {limit:,} 人门槛",
                "en": f"{total:,} people's {label_en} so far this year: one more transfer of this size reaches the {limit:,} threshold",
                "threshold": limit, "remaining": limit - total,
            })
    return warnings


@transaction.atomic
def transfer_record(*, actor, party_id: str, on: dt.date, raw: Any, description: str = "") -> RecordedTransfer:
    """Assess a transfer with this year's cumulative counts and record it.

    ``raw`` is the batch interface's input, but its people counts are this transfer's alone; the service adds
    what the party already sent abroad since 1 January.
    """
    try:
        party = Party.objects.select_for_update().get(pk=party_id)
    except Party.DoesNotExist:
        raise NotFound(f"没有企业 {party_id}", f"there is no party {party_id}", details={"party": party_id}) from None
    processor, transfer = rules.parse(raw)
    before_people, before_sensitive = year_counts(party, on)
    cumulative = {
        "personal_info_people": before_people + transfer.personal_info_people,
        "sensitive_personal_info_people": before_sensitive + transfer.sensitive_personal_info_people,
    }
    if max(cumulative.values()) > 2**31 - 1:
        raise InvalidInput("人数过大", "the counts are too large", details={"field": "transfer.personal_info_people"})
    assessed_input = {"processor": raw["processor"], "transfer": {**raw["transfer"], **cumulative}}
    thresholds = rules.Thresholds.on(on)
    result = assess_with_lists(assessed_input, on=on)
    result["warnings"] += headroom_warnings(cumulative["personal_info_people"], cumulative["sensitive_personal_info_people"],
                                           transfer.personal_info_people, transfer.sensitive_personal_info_people, thresholds)
    record = RecordedTransfer(
        party=party, transferred_on=on, description=description.strip()[:300],
        personal_info_people=transfer.personal_info_people, sensitive_personal_info_people=transfer.sensitive_personal_info_people,
        cumulative_people=cumulative["personal_info_people"], cumulative_sensitive=cumulative["sensitive_personal_info_people"],
        input=assessed_input, pathway=result["pathway"], assessment=result, recorded_by=actor,
    )
    record.full_clean()
    record.save()
    return record


def lists_load(path, *, actor_note: str = "") -> int:
    """Load a lists file (data/dataexport/*.yaml) into the catalogue, replacing rows of the same sector and category."""
    import yaml

    from .models import CatalogueEntry

    try:
        data = yaml.safe_load(open(path, encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InvalidInput("清单文件无法读取", f"cannot read the lists file: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("effective_from"), dt.date) or "source" not in data:
        raise InvalidInput("清单文件须含 source 与 effective_from", "a lists file needs source and effective_from (a date)")
    count = 0
    with transaction.atomic():
        for kind in ("negative_list", "important_data"):
            for row in data.get(kind) or []:
                if not isinstance(row, dict) or not {"sector", "category", "mechanism"} <= set(row):
                    raise InvalidInput("清单行须含 sector、category、mechanism", f"each {kind} row needs sector, category and mechanism")
                entry, _ = CatalogueEntry.objects.update_or_create(
                    kind=kind, sector=str(row["sector"]), category=str(row["category"]),
                    defaults={"fields": list(row.get("fields") or []), "mechanism": row["mechanism"], "example": bool(data.get("example", False)),
                              "source": str(data["source"])[:300], "effective_from": data["effective_from"]},
                )
                entry.full_clean()
                count += 1
    return count


def declared_categories(raw: Any) -> list[tuple[str, str]]:
    """The (sector, category) pairs a transfer declares in ``transfer.categories`` (optional)."""
    categories = raw.get("transfer", {}).get("categories") if isinstance(raw, dict) and isinstance(raw.get("transfer"), dict) else None
    if categories is None:
        return []
    if not isinstance(categories, list) or not all(
        isinstance(c, dict) and isinstance(c.get("sector"), str) and isinstance(c.get("category"), str) for c in categories
    ):
        raise InvalidInput("transfer.categories 须为 {sector, category} 列表", "transfer.categories must be a list of {sector, category}",
                           details={"field": "transfer.categories"})
    return [(c["sector"], c["category"]) for c in categories]


def assess_with_lists(raw: Any, *, on: dt.date) -> dict:
    """Assess a transfer, first matching its declared categories against the zone's lists in force on ``on``."""
    from .models import CatalogueEntry

    declared = declared_categories(raw)
    if not declared:
        return rules.assess_raw(raw, on=on)
    entries = list(CatalogueEntry.objects.filter(effective_from__lte=on))
    matched = rules.match_lists(declared, [rules.ListRow(e.kind, e.sector, e.category, e.mechanism) for e in entries])
    examples = {(e.kind, e.sector, e.category) for e in entries if e.example}
    transfer = dict(raw["transfer"])
    transfer["important_data"] = bool(transfer.get("important_data")) or matched["important_data"]
    if transfer.get("ftz_negative_list") is None:
        transfer["ftz_negative_list"] = matched["ftz_negative_list"]
    result = rules.assess_raw({**raw, "transfer": transfer}, on=on)
    result["list_match"] = matched
    if any((m["kind"], m["sector"], m["category"]) in examples for m in matched["matched"]) or (
            matched["ftz_negative_list"] == "off_list" and any(e.example for e in entries)):
        result["warnings"].append({"id": "DX-WARN-EXAMPLE-LIST", "zh": "所用清单为 OpenFTZ 示例数据,并非官方清单",
                                   "en": "the list used is OpenFTZ example data, not the official list"})
    return result


def report_periods(on: dt.date):
    """The periods a report states, in force on ``on``."""
    from .report import Periods

    t = rules.Thresholds.on(on)
    return Periods(t.validity_years, t.extension_working_days, t.pipia_years)


def wizard_decision(answers: dict[str, str], *, on: dt.date) -> dict:
    """The decision on a complete set of wizard answers; InvalidInput while a question the decision needs is open."""
    from . import wizard

    question = wizard.next_question(answers)
    if question is not None:
        raise InvalidInput(f"尚未回答：{question.zh}", f"not answered yet: {question.en}", details={"field": question.key})
    return assess_with_lists(wizard.to_input(answers), on=on)


@transaction.atomic
def self_assessment_save(*, actor, answers: dict[str, str], item_answers: dict[str, str], on: dt.date):
    """Store a completed self-assessment with the applicant's answers to its report items (SH-38, SC-24).

    ``answers`` are the wizard's (cleaned) answers; the decision is taken again here, never trusted from the
    client. Answers to topics the decision's items do not need are not kept.
    """
    import secrets

    from . import report_items, wizard
    from .models import SelfAssessment

    result = wizard_decision(answers, on=on)
    if not report_items.needs_items(result["pathway"]):
        raise InvalidInput("该结论无需填写报告事项", "this decision has no report items to answer", details={"field": "pathway"})
    if result["pathway"] == "standard_contract_or_certification" and wizard.MECHANISM.key not in answers:
        raise InvalidInput("请选择标准合同或认证", "choose the standard contract or certification first", details={"field": "mechanism"})
    personal_information = any(int(answers.get(k) or 0) > 0 for k in ("personal_info_people", "sensitive_personal_info_people"))
    items = report_items.items_for(result["pathway"], wizard.mechanism_of(answers), personal_information=personal_information, on=on)
    cleaned = report_items.clean_answers(item_answers, report_items.topics_for(items))
    record = SelfAssessment(token=secrets.token_urlsafe(16), assessed_on=on, answers=answers, item_answers=cleaned, result=result,
                            created_by=actor if getattr(actor, "is_authenticated", False) else None)
    record.full_clean()
    record.save()
    return record
