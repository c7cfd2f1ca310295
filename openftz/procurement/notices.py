"""Public notices rendered from a compiled OCDS release, in Chinese and English from the same fields (SH-77).

Each row gives the Chinese value (``title``, ``description``…) and the English one (``title_en``…); where the
English is not in the data the row says so: nothing is machine-translated.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .rules import workflow

SHANGHAI = ZoneInfo("Asia/Shanghai")
KINDS = ("tender", "prequalification", "award")
METHOD_LABELS = {"open": ("公开招标", "Open procedure"), "selective": ("有限竞争(资格预审)", "Selective procedure (pre-qualification)"),
                 "limited": ("单一来源", "Limited procedure (single source)")}
STATUS_LABELS = {"active": ("进行中", "Active"), "complete": ("已完成", "Complete"), "cancelled": ("已取消", "Cancelled"),
                 "unsuccessful": ("未成功", "Unsuccessful"), "pending": ("待定", "Pending"), "planned": ("计划中", "Planned")}


@dataclass(frozen=True)
class Row:
    label_zh: str
    label_en: str
    zh: str
    en: str
    en_given: bool  # False: the data has no English for it


def _same(label_zh, label_en, value) -> Row:
    """A value that is the same in both languages (a number, a date, an identifier)."""
    return Row(label_zh, label_en, value, value, True)


def _text(label_zh, label_en, obj, field) -> Row | None:
    zh = (obj or {}).get(field) or ""
    en = (obj or {}).get(f"{field}_en") or ""
    if not zh and not en:
        return None
    return Row(label_zh, label_en, zh, en, bool(en))


def _money(value: dict | None) -> str:
    if not value or value.get("amount") is None:
        return ""
    return f"{value['amount']:,} {value.get('currency', '')}".strip()


def _when(value: str) -> str:
    """An OCDS date-time as the zone reads it: 2026-12-28 17:00 (UTC+08:00)."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return str(value)
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    moment = moment.astimezone(SHANGHAI)
    return moment.strftime("%Y-%m-%d %H:%M (UTC+08:00)")


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _entity(compiled: dict) -> dict:
    return next((p for p in compiled.get("parties") or [] if "procuringEntity" in (p.get("roles") or [])), {})


def _party_names(compiled: dict, refs: list[dict]) -> tuple[str, str, bool]:
    parties = {str(p.get("id")): p for p in compiled.get("parties") or []}
    names = [parties.get(str(r.get("id")), r) for r in refs]
    zh = "、".join(p.get("name", "") for p in names)
    en_given = all(p.get("name_en") for p in names)
    en = "; ".join(p.get("name_en") or "" for p in names) if en_given else ""
    return zh, en, en_given


def notice_rows(compiled: dict, kind: str) -> list[Row]:
    """The rows of a tender, pre-qualification or award notice, from the compiled release."""
    tender = compiled.get("tender") or {}
    entity = _entity(compiled)
    rows: list[Row | None] = [
        _same("项目编号(OCID)", "Process identifier (OCID)", compiled.get("ocid", "")),
        _text("项目名称", "Title", tender, "title"),
        Row("采购方式", "Procurement method", *METHOD_LABELS.get(tender.get("procurementMethod"), ("", "")), True),
    ]
    grounds = workflow.limited_grounds()["grounds"]
    for c in tender.get("procurementMethodRationaleClassifications") or []:
        if c.get("id") in grounds:
            g = grounds[c["id"]]
            rows.append(Row("单一来源理由(第72条)", "Ground for a limited procedure (SH-72)", g["zh"], g["en"], True))
    rows += [
        _text("理由说明", "Rationale", tender, "procurementMethodRationale"),
        _text("采购人", "Procuring entity", entity, "name"),
        _same("地址", "Address", " ".join(str(v) for v in (entity.get("address") or {}).values())),
        _same("联系方式", "Contact", " · ".join(str(v) for v in (entity.get("contactPoint") or {}).values())),
    ]
    if kind in ("tender", "prequalification"):
        rows += [_text("采购说明", "Description", tender, "description"),
                 _same("预算金额", "Budget", _money(tender.get("value"))) if tender.get("value") else None]
        for item in tender.get("items") or []:
            quantity = f"{_number(item.get('quantity', ''))} {(item.get('unit') or {}).get('name', '')}".strip()
            rows.append(Row("货物或服务", "Goods or services", f"{item.get('description', '')} {quantity}".strip(),
                            "", False))
        for fee in tender.get("participationFees") or []:
            rows.append(Row("费用和付款条件", "Fees and terms of payment", f"{fee.get('description', '')} {_money(fee.get('value'))}".strip(),
                            "", False))
        period = tender.get("tenderPeriod") or {}
        deadline_label = ("提交资格预审申请的截止时间", "Deadline for requests to participate") if kind == "prequalification" \
            else ("投标截止时间", "Deadline for tenders")
        rows += [_same(*deadline_label, _when(period["endDate"])) if period.get("endDate") else None,
                 _text("提交地址与方式", "Where to submit", tender, "submissionMethodDetails"),
                 _text("资格要求", "Conditions for participation", tender, "eligibilityCriteria")]
        second = tender.get("secondStage") or {}
        if second.get("maximumCandidates") is not None:
            rows.append(_same("邀请合格供应商数量上限", "Maximum number of qualified suppliers invited", str(second["maximumCandidates"])))
            rows.append(Row("选择标准", "Selection criteria", second.get("description", ""), "", False))
        for doc in tender.get("documents") or []:
            if doc.get("id") == "exclusion-grounds":
                rows.append(Row("拒绝参与的情形(第78条)", "Exclusion grounds (SH-78)", doc.get("description", ""), "", False))
            elif doc.get("url"):
                label = f"{doc.get('title', '')} {doc['url']}"
                english = doc.get("language") == "en"
                rows.append(Row("采购文件", "Procurement document", "" if english else label, label if english else "", english))
    if kind == "award":
        for award in compiled.get("awards") or []:
            zh, en, given = _party_names(compiled, award.get("suppliers") or [])
            rows += [Row("中标、成交供应商", "Successful supplier", zh, en, given),
                     _same("中标、成交金额", "Award value", _money(award.get("value"))),
                     _same("授标日期", "Award date", _when(award["date"]) if award.get("date") else ""),
                     Row("状态", "Status", *STATUS_LABELS.get(award.get("status"), (award.get("status", ""),) * 2), True)]
        zh, en, given = _party_names(compiled, tender.get("tenderers") or [])
        if zh:
            rows.append(Row("投标供应商", "Tenderers", zh, en, given))
    return [r for r in rows if r is not None and (r.zh or r.en)]


def available(compiled: dict) -> list[str]:
    """The notices a procedure has: its tender (or pre-qualification) notice, and an award notice once awarded."""
    method = (compiled.get("tender") or {}).get("procurementMethod")
    kinds = ["prequalification" if method == "selective" else "tender"]
    if compiled.get("awards"):
        kinds.append("award")
    return kinds
