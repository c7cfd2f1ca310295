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
    result = rules.assess(*rules.parse(assessed_input), thresholds=thresholds).as_dict()
    result["warnings"] = headroom_warnings(cumulative["personal_info_people"], cumulative["sensitive_personal_info_people"],
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
