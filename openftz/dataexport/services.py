"""Recording transfers: each assessment adds this transfer to the year's cumulative counts (reset each 1 January)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum

from openftz.core.errors import InvalidInput, NotFound
from openftz.core.parameters import ParameterError, parameter
from openftz.parties.models import Party

from . import access, rules
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
def transfer_record(*, actor, party_id: str, on: dt.date, raw: Any, description: str = "", approval_id: int | None = None) -> RecordedTransfer:
    """Assess a transfer with this year's cumulative counts and record it.

    ``raw`` is the batch interface's input, but its people counts are this transfer's alone; the service adds
    what the party already sent abroad since 1 January. ``transfer.recipient_countries`` (optional) and the
    declared categories are checked against the party's approvals in force: a transfer they do not cover flags
    its approval as needing to be filed again (validity.refiling); ``approval_id`` names the approval it is made
    under when the party has several. Only the party's representative or the zone administration may record it.
    """
    access.require_party(actor, party_id)
    try:
        party = Party.objects.select_for_update().get(pk=party_id)
    except Party.DoesNotExist:
        raise NotFound(f"没有企业 {party_id}", f"there is no party {party_id}", details={"party": party_id}) from None
    processor, transfer = rules.parse(raw)
    from . import validity

    countries = validity.clean_countries(raw["transfer"].get("recipient_countries"), field="transfer.recipient_countries", required=False)
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
    _check_approvals(record, countries=countries, categories=declared_categories(raw), approval_id=approval_id)
    return record


def _check_approvals(record: RecordedTransfer, *, countries: frozenset[str], categories: list[tuple[str, str]], approval_id: int | None) -> None:
    """Flag the approvals a recorded transfer goes beyond, and say so in the transfer's warnings (SH-38, SC-24)."""
    from django.db.models import Q

    from . import validity
    from .models import Approval, Reminder

    pathway, on = record.pathway, record.transferred_on
    in_force = list(Approval.objects.select_for_update(of=("self",)).filter(party=record.party, replaced_by__isnull=True, granted_on__lte=on)
                    .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on)).order_by("id"))
    if approval_id is not None and approval_id not in {a.pk for a in in_force}:
        raise InvalidInput(f"批准记录 {approval_id} 不属于该企业或在 {on.isoformat()} 不在有效期内",
                           f"approval {approval_id} is not one of this party's approvals in force on {on.isoformat()}", details={"field": "approval"})
    if pathway not in ("security_assessment", "standard_contract_or_certification"):
        return
    important = frozenset((m["sector"], m["category"]) for m in record.assessment.get("list_match", {}).get("matched", [])
                          if m["kind"] == "important_data")
    facts = validity.TransferFacts(pathway, countries, frozenset(categories), important, record.cumulative_sensitive)
    candidates = [a for a in in_force if approval_id is None or a.pk == approval_id]
    reasons_of = {a.pk: validity.refiling(validity.Scope(a.kind, frozenset(a.recipient_countries),
                                                         frozenset((c["sector"], c["category"]) for c in a.categories),
                                                         a.includes_sensitive), facts) for a in candidates}
    compatible = [a for a in candidates if validity.covers(a.kind, pathway)]
    # The counts are the party's for the year: once they need a security assessment, every contract and
    # certificate of the party falls short.
    to_flag = [a for a in candidates if not validity.covers(a.kind, pathway)]
    if compatible and all(reasons_of[a.pk] for a in compatible):
        # No approval covers the transfer: flag the one it was made under (named, or the only one there is).
        if len(compatible) == 1:
            to_flag.append(compatible[0])
        else:
            record.assessment["warnings"].append({
                "id": "DX-WARN-APPROVAL-UNCLEAR", "approvals": [a.pk for a in compatible],
                "zh": "该企业有多项批准记录，均未覆盖本次出境：请指明本次出境所依据的批准记录",
                "en": "none of the party's approvals covers this transfer: name the approval it is made under"})
    flagged = []
    for approval in to_flag:
        reasons = reasons_of[approval.pk]
        if not reasons:
            continue
        approval.needs_refiling = True
        approval.refiling_reasons = approval.refiling_reasons + [{**r, "transfer": record.pk, "on": on.isoformat()} for r in reasons]
        approval.save(update_fields=["needs_refiling", "refiling_reasons"])
        summary_zh = "；".join(r["zh"] for r in reasons)
        summary_en = "; ".join(r["en"] for r in reasons)
        Reminder.objects.get_or_create(approval=approval, kind="needs_refiling", defaults={
            "due_on": on, "message_zh": f"须重新申报或重新订立并备案：{summary_zh}", "message_en": f"to be filed again: {summary_en}",
            "cites": sorted({c for r in reasons for c in r["cites"]})})
        flagged.append({"approval": approval.pk, "reasons": [r["id"] for r in reasons]})
    if flagged:
        record.assessment["warnings"].append({
            "id": "DX-WARN-REFILING", "approvals": flagged,
            "zh": "本次出境超出已取得的批准范围，相关批准记录已标记为须重新申报（或重新订立标准合同并备案、重新认证）",
            "en": "this transfer goes beyond what the approvals cover: they are flagged as to be filed again"})
    elif not compatible:
        record.assessment["warnings"].append({
            "id": "DX-WARN-NO-APPROVAL", "zh": "未登记覆盖本次出境的有效批准记录（安全评估、标准合同备案或认证）",
            "en": "no approval in force that covers this transfer is recorded (security assessment, standard contract or certification)"})
    record.save(update_fields=["assessment"])


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
                trigger = row.get("trigger") or {}
                if not isinstance(trigger, dict) or set(trigger) - {"people", "sensitive"} or not all(
                        type(v) is int and v >= 0 for v in trigger.values()):
                    raise InvalidInput("清单行的 trigger 须为 {people, sensitive} 非负整数",
                                       f"a {kind} row's trigger must be {{people, sensitive}} as whole numbers")
                entry, _ = CatalogueEntry.objects.update_or_create(
                    kind=kind, sector=str(row["sector"]), category=str(row["category"]),
                    defaults={"fields": list(row.get("fields") or []), "mechanism": row["mechanism"], "example": bool(data.get("example", False)),
                              "source": str(data["source"])[:300], "effective_from": data["effective_from"],
                              "trigger_people": trigger.get("people"), "trigger_sensitive": trigger.get("sensitive")},
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
    matched = rules.match_lists(declared, [rules.ListRow(e.kind, e.sector, e.category, e.mechanism, e.trigger_people, e.trigger_sensitive)
                                           for e in entries])
    examples = {(e.kind, e.sector, e.category) for e in entries if e.example}
    transfer = dict(raw["transfer"])
    transfer["important_data"] = bool(transfer.get("important_data")) or matched["important_data"]
    if transfer.get("ftz_negative_list") is None:
        transfer["ftz_negative_list"] = matched["ftz_negative_list"]
    if transfer.get("ftz_list_mechanism") is None and transfer["ftz_negative_list"] == "on_list":
        people, sensitive = transfer.get("personal_info_people"), transfer.get("sensitive_personal_info_people")
        if type(people) is int and type(sensitive) is int:  # otherwise rules.parse names the field that is wrong
            transfer["ftz_list_mechanism"] = rules.list_mechanism(matched["matched"], people, sensitive)
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
    question = wizard.item_question(answers, result["pathway"])
    if question is not None:
        raise InvalidInput(f"尚未回答：{question.zh}", f"not answered yet: {question.en}", details={"field": question.key})
    items = report_items.items_for(result["pathway"], wizard.mechanism_of(answers),
                                   personal_information=bool(wizard.exports_personal_information(answers)), on=on)
    cleaned = report_items.clean_answers(item_answers, report_items.topics_for(items))
    record = SelfAssessment(token=secrets.token_urlsafe(16), assessed_on=on, answers=answers, item_answers=cleaned, result=result,
                            created_by=actor if getattr(actor, "is_authenticated", False) else None)
    record.full_clean()
    record.save()
    return record


# — approvals, their validity and reminders (SH-38, SC-24) ————————————————————————————————————————————


def _today() -> dt.date:
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def _categories(raw: Any, field: str = "categories") -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(
        isinstance(c, dict) and isinstance(c.get("sector"), str) and isinstance(c.get("category"), str)
        and 0 < len(c["sector"].strip()) <= 100 and 0 < len(c["category"].strip()) <= 100
        and "\x00" not in c["sector"] + c["category"] for c in raw
    ):
        raise InvalidInput(f"{field} 须为 {{sector, category}} 列表", f"{field} must be a list of {{sector, category}}", details={"field": field})
    return [{"sector": c["sector"].strip(), "category": c["category"].strip()} for c in raw]


@transaction.atomic
def approval_record(*, actor, party_id: str, kind: str, reference: str, granted_on: dt.date, recipient_countries: list[str],
                    categories: list[dict] | None = None, includes_sensitive: bool = False, contract_effective_on: dt.date | None = None,
                    contract_valid_until: dt.date | None = None, replaces: int | None = None, extension: bool = False,
                    note: str = "", today: dt.date | None = None):
    """Record the outcome an enterprise obtained — a security assessment result, a standard-contract filing or a
    certificate — with what it covers; its validity follows from the law (validity.py). Returns (approval, warnings).

    ``replaces``: the approval this one takes the place of (filed again, renewed); with ``extension`` the CAC's
    extension of a security assessment result, running on from the old result's end (the Provisions Art. 9).
    """
    from . import validity
    from .models import Approval, ApprovalKind

    today = today or _today()
    access.require_party(actor, party_id)
    if not Party.objects.filter(pk=party_id).exists():
        raise NotFound(f"没有企业 {party_id}", f"there is no party {party_id}", details={"party": party_id})
    if kind not in ApprovalKind.values:
        raise InvalidInput(f"kind 无效：{kind!r}", f"kind must be one of {ApprovalKind.values}", details={"field": "kind"})
    if granted_on > today:
        raise InvalidInput("granted_on 不能晚于今天", "granted_on must not be in the future", details={"field": "granted_on"})
    if "\x00" in reference + note or not reference.strip():
        raise InvalidInput("reference 无效", "reference must be a non-empty text without NUL", details={"field": "reference"})
    if kind != "standard_contract" and (contract_effective_on or contract_valid_until):
        raise InvalidInput("合同生效日和合同期限仅适用于标准合同", "contract dates apply to standard contracts only",
                           details={"field": "contract_effective_on"})
    if contract_effective_on is not None and contract_effective_on > granted_on:
        raise InvalidInput("标准合同须先生效后备案", "a standard contract is filed after it takes effect", details={"field": "contract_effective_on"})
    if contract_valid_until is not None and not granted_on <= contract_valid_until <= validity.add_months(granted_on, 1200):
        raise InvalidInput("合同期限须在备案日之后、一百年以内", "the contract's term ends after it is filed and within a hundred years",
                           details={"field": "contract_valid_until"})
    countries = validity.clean_countries(recipient_countries)
    declared = _categories(categories)
    warnings: list[dict] = []
    previous = None
    if replaces is not None:
        previous = Approval.objects.select_for_update().filter(pk=replaces, party_id=party_id).first()
        if previous is None:
            raise NotFound(f"该企业没有批准记录 {replaces}", f"party {party_id} has no approval {replaces}", details={"field": "replaces"})
        if hasattr(previous, "replaced_by"):
            raise InvalidInput("该批准记录已被取代", f"approval {replaces} was replaced already", details={"field": "replaces"})
    try:
        if extension:
            if previous is None or previous.kind != "security_assessment" or kind != "security_assessment":
                raise InvalidInput("延长仅适用于安全评估结果（须指明所延长的结果）",
                                   "an extension applies to a security assessment result, named in replaces", details={"field": "extension"})
            if previous.needs_refiling:
                raise InvalidInput("原评估结果已出现需要重新申报的情形，不能延长，须重新申报",
                                   "the result needs a new declaration, so it cannot be extended (the Provisions Art. 9)",
                                   details={"field": "extension", "reasons": previous.refiling_reasons})
            end = validity.extended_until(previous.valid_until)
        else:
            end = validity.valid_until(kind, granted_on, contract_end=contract_valid_until)
        if kind == "standard_contract":
            parameter("dataexport", "contract_filing_working_days").at(granted_on)  # no filing before the 2023 Measures
        if kind == "standard_contract" and contract_effective_on is not None:
            deadline, days = validity.filing_deadline(contract_effective_on)
        else:
            deadline = None
    except ParameterError:
        raise InvalidInput(f"{granted_on.isoformat()} 时该方式尚无法律依据", f"no rule for a {kind} granted on {granted_on.isoformat()}",
                           details={"field": "granted_on"}) from None
    if deadline is not None:
        if granted_on > deadline.day:
            warnings.append({"id": "DX-WARN-LATE-FILING", "zh": f"标准合同应在生效后 {days} 个工作日内（至 {deadline.day.isoformat()}）备案",
                             "en": f"a standard contract is to be filed within {days} working days of taking effect (by {deadline.day.isoformat()})",
                             "cites": ["个人信息出境标准合同办法 第7条"]})
        if deadline.warning():
            warnings.append(deadline.warning())
    if not declared:
        warnings.append({"id": "DX-WARN-NO-CATEGORIES", "zh": "未申报数据类别：新增数据类别将无法识别",
                         "en": "no data categories declared: a new category of data cannot be detected"})
    approval = Approval(party_id=party_id, kind=kind, reference=reference.strip()[:100], granted_on=granted_on,
                        contract_effective_on=contract_effective_on, valid_until=end, recipient_countries=sorted(countries),
                        categories=declared, includes_sensitive=includes_sensitive, note=note.strip()[:300], replaces=previous,
                        is_extension=extension, recorded_by=actor)
    if Approval.objects.filter(party_id=party_id, kind=kind, reference=approval.reference).exists():
        raise InvalidInput("该编号已登记", f"{kind} {approval.reference} is recorded already", details={"field": "reference"})
    try:
        approval.full_clean()
    except ValidationError as exc:
        raise InvalidInput("批准记录无效", f"invalid approval: {'; '.join(exc.messages)}", details={"fields": list(getattr(exc, "message_dict", {}))}) from None
    approval.save()
    reminders_for_approval(approval, today=today)
    return approval, warnings


def reminders_for_approval(approval, *, today: dt.date) -> int:
    """Create the reminders of one approval that are due on ``today`` and not yet created; how many."""
    from . import validity
    from .models import Reminder

    if hasattr(approval, "replaced_by"):
        return 0
    sent = {r.kind for r in approval.reminders.all()}
    created = 0
    for milestone in validity.due(validity.milestones(approval.kind, approval.valid_until), today, sent):
        Reminder.objects.create(approval=approval, kind=milestone.kind, due_on=milestone.due_on, message_zh=milestone.zh,
                                message_en=milestone.en, cites=list(milestone.cites), warnings=list(milestone.warnings))
        created += 1
    return created


@transaction.atomic
def reminders_tick(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily job's work: every approval in force or lapsed, not replaced, and every important-data notice not yet
    answered by an application, gets the reminders due today."""
    from .models import Approval, ImportantDataNotice

    today = today or _today()
    approvals = Approval.objects.filter(replaced_by__isnull=True).prefetch_related("reminders")
    created = sum(reminders_for_approval(a, today=today) for a in approvals)
    notices = ImportantDataNotice.objects.filter(applied_on__isnull=True).prefetch_related("reminders")
    created += sum(reminders_for_notice(n, today=today) for n in notices)
    return {"approvals": len(approvals), "notices": len(notices), "reminders_created": created}


def _notice_answered(notice) -> bool:
    """A notice is answered once the application is recorded, or a security assessment result granted since."""
    from .models import Approval

    return notice.applied_on is not None or Approval.objects.filter(
        party_id=notice.party_id, kind="security_assessment", granted_on__gte=notice.notified_on).exists()


def reminders_for_notice(notice, *, today: dt.date) -> int:
    """Create the reminders of one important-data notice that are due on ``today`` and not yet created; how many."""
    from . import validity
    from .models import Reminder

    if _notice_answered(notice):
        return 0
    sent = {r.kind for r in notice.reminders.all()}
    created = 0
    for milestone in validity.due(validity.notice_milestones(notice.notified_on), today, sent):
        Reminder.objects.create(notice=notice, kind=milestone.kind, due_on=milestone.due_on, message_zh=milestone.zh,
                                message_en=milestone.en, cites=list(milestone.cites), warnings=list(milestone.warnings))
        created += 1
    return created


@transaction.atomic
def important_data_notice_record(*, actor, party_id: str, notified_on: dt.date, reference: str = "", notified_by: str = "",
                                 categories: list[dict] | None = None, applied_on: dt.date | None = None, note: str = "",
                                 today: dt.date | None = None):
    """Record that ``party_id`` was told on ``notified_on`` that data it exports is important data (SH-38, SC-24): if
    it keeps exporting, it applies for a security assessment within the period of the CAC's Q&A of 2025-05-30, and
    the daily job reminds it until the application (``applied_on``) or a security assessment result is recorded.
    Returns (notice, warnings)."""
    from . import validity
    from .models import ImportantDataNotice

    today = today or _today()
    access.require_party(actor, party_id)
    if not Party.objects.filter(pk=party_id).exists():
        raise NotFound(f"没有企业 {party_id}", f"there is no party {party_id}", details={"party": party_id})
    if notified_on > today:
        raise InvalidInput("notified_on 不能晚于今天", "notified_on must not be in the future", details={"field": "notified_on"})
    if applied_on is not None and not notified_on <= applied_on <= today:
        raise InvalidInput("applied_on 须在告知之日与今天之间", "applied_on must lie between notified_on and today", details={"field": "applied_on"})
    notice = ImportantDataNotice(party_id=party_id, notified_on=notified_on, reference=reference.strip()[:100],
                                 notified_by=notified_by.strip()[:100], categories=_categories(categories), applied_on=applied_on,
                                 note=note.strip()[:300], recorded_by=actor)
    try:
        notice.full_clean()
    except ValidationError as exc:
        raise InvalidInput("告知记录无效", f"invalid notice: {'; '.join(exc.messages)}") from None
    notice.save()
    warnings = []
    if validity.application_deadline(notified_on) is None:
        warnings.append({"id": "DX-WARN-NO-APPLICATION-PERIOD", "zh": "告知之日尚无申报期限的规定（2025-05-30 问答之前）",
                         "en": "no application period was set on the day of the notice (before the CAC Q&A of 2025-05-30)"})
    reminders_for_notice(notice, today=today)
    return notice, warnings


@transaction.atomic
def representative_set(*, username: str, party_id: str):
    """Let ``username`` act for ``party_id`` in the data export service (one party per user)."""
    from django.contrib.auth import get_user_model

    from .models import Representative

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"没有用户 {username}", f"there is no user {username}", details={"user": username})
    if not Party.objects.filter(pk=party_id).exists():
        raise NotFound(f"没有企业 {party_id}", f"there is no party {party_id}", details={"party": party_id})
    representative, _ = Representative.objects.update_or_create(user=user, defaults={"party_id": party_id})
    return representative
