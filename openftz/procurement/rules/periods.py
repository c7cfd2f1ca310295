"""Time limits for tenders and requests to participate, counted in Asia/Shanghai calendar days.

PROC-TENDER-PERIOD — SH-75 (SC-51): 政府采购实施招标时,采购人设定提交投标文件的最后日期,一般应自招标文件发出之日起不少于40日.
符合特殊情形的,可以适当缩短期限,但不得少于10日.
PROC-PREQUAL-PERIOD — SH-74 (SC-50): 开展200万元以上的货物、服务采购或5000万元以上的工程采购,采用邀请招标方式的采购人应设定
提交资格预审申请文件的最后日期,一般应自资格预审文件发出之日起不少于25日,紧急情况下不少于10日.

The special cases of SH-75 are those of the WTO GPA Art. XI:3 the plan follows: a state of urgency
(``tender.procedure.isAccelerated`` with ``acceleratedRationale``), a notice of planned procurement published 40 days
to 12 months before (``documentType: plannedProcurementNotice``), and recurring procurement (``tender.hasRecurrence``).
"""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from openftz.core.findings import Finding

from . import ocds
from .context import Context

TENDER_RULE = "PROC-TENDER-PERIOD"
TENDER_CITES = ("SH-75", "SC-51")
PREQUAL_RULE = "PROC-PREQUAL-PERIOD"
PREQUAL_CITES = ("SH-74", "SC-50")


def urgency(tender: dict) -> str | None:
    """The stated rationale of an accelerated procedure, or None (an acceleration without reasons does not count)."""
    procedure = ocds.obj(tender.get("procedure"))
    if procedure.get("isAccelerated") is not True:
        return None
    return ocds.text(procedure.get("acceleratedRationale")) or None


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def special_case(release: dict, tender: dict, start: dt.date, ctx: Context) -> tuple[str, str, str] | None:
    """(zh, en, path) of the special case that allows a shorter tender period, if any."""
    reason = urgency(tender)
    if reason:
        return (f"紧急情况({reason})", f"urgency ({reason})", "tender.procedure.acceleratedRationale")
    for holder, prefix in ((ocds.obj(release.get("planning")), "planning"), (tender, "tender")):
        for i, doc in ocds.documents(holder, "plannedProcurementNotice"):
            published = ocds.local_date(doc.get("datePublished"))
            if published is None:
                continue
            if (ocds.days_between(published, start) >= ctx.planned_notice_min_days
                    and published >= _months_before(start, ctx.planned_notice_max_months)):
                return (f"已于 {published.isoformat()} 发布采购意向公告", f"a planned procurement notice published on {published.isoformat()}",
                        f"{prefix}.documents[{i}].datePublished")
    if tender.get("hasRecurrence") is True:
        return ("经常性采购", "recurring procurement", "tender.hasRecurrence")
    return None


def tender_start(tender: dict) -> tuple[dt.date, str] | None:
    """When the tender documents were issued: tenderPeriod.startDate, else the earliest bidding documents' date."""
    start = ocds.local_date(ocds.obj(tender.get("tenderPeriod")).get("startDate"))
    if start is not None:
        return start, "tender.tenderPeriod.startDate"
    return ocds.earliest((ocds.local_date(doc.get("datePublished")), f"tender.documents[{i}].datePublished")
                         for i, doc in ocds.documents(tender, "biddingDocuments"))


def check_tender_period(release: dict, ctx: Context) -> Iterator[Finding]:
    tender = ocds.obj(release.get("tender"))
    method = ocds.method(tender)
    period = ocds.obj(tender.get("tenderPeriod"))
    if method not in ("open", "selective") and not (method is None and period.get("endDate")):
        return
    end = ocds.local_date(period.get("endDate"))
    start = tender_start(tender)
    if end is None or start is None:
        missing = ("tender.tenderPeriod.endDate" if end is None else "tender.tenderPeriod.startDate")
        what_zh = "提交投标文件的截止日期" if end is None else "招标文件发出日期"
        what_en = "the deadline for tenders" if end is None else "the date the tender documents were issued"
        yield Finding.of(TENDER_RULE, "warning", f"无法核对投标期限:缺少{what_zh}", f"the tender period cannot be checked: {what_en} is missing",
                         cites=TENDER_CITES, path=missing)
        return
    start_date, start_path = start
    days = ocds.days_between(start_date, end)
    span_zh = f"自 {start_date.isoformat()} 至 {end.isoformat()} 仅 {days} 日"
    span_en = f"{days} days from {start_date.isoformat()} to {end.isoformat()}"
    if days >= ctx.tender_period_days:
        return
    path = "tender.tenderPeriod.endDate"
    floor = ctx.tender_period_shortened_min_days
    if days < floor:
        yield Finding.of(TENDER_RULE, "violation",
                         f"投标期限{span_zh},少于任何情形下的最低 {floor} 日(一般不少于 {ctx.tender_period_days} 日)",
                         f"the tender period is {span_en}, below the {floor} days allowed in any case (usually {ctx.tender_period_days})",
                         cites=TENDER_CITES, path=path)
        return
    case = special_case(release, tender, start_date, ctx)
    if case is None:
        yield Finding.of(TENDER_RULE, "violation",
                         f"投标期限{span_zh},少于 {ctx.tender_period_days} 日,且未见可缩短期限的特殊情形(紧急情况、提前发布的采购意向公告、经常性采购)",
                         f"the tender period is {span_en}, less than {ctx.tender_period_days} days, and no special case that allows a "
                         "shorter one (urgency, a planned procurement notice published in advance, recurring procurement) is stated",
                         cites=TENDER_CITES, path=path)
        return
    zh, en, case_path = case
    yield Finding.of(TENDER_RULE, "info",
                     f"投标期限{span_zh},因{zh}缩短,未少于 {floor} 日", f"the tender period of {span_en} is shortened for {en}, and not below {floor} days",
                     cites=TENDER_CITES, path=case_path)


def procurement_value(release: dict, tender: dict) -> tuple[float, str | None, str] | None:
    """(amount, currency, path): the tender's estimated value, else the planning budget."""
    for holder, path in ((ocds.obj(tender.get("value")), "tender.value"),
                         (ocds.obj(ocds.obj(ocds.obj(release.get("planning")).get("budget")).get("amount")), "planning.budget.amount")):
        amount = ocds.number(holder.get("amount"))
        if amount is not None:
            return amount, ocds.text(holder.get("currency")), path
    return None


def request_deadline(tender: dict) -> tuple[dt.date, str] | None:
    """The deadline for requests to participate: expressionOfInterestDeadline, else a requestToParticipate milestone."""
    deadline = ocds.local_date(tender.get("expressionOfInterestDeadline"))
    if deadline is not None:
        return deadline, "tender.expressionOfInterestDeadline"
    return ocds.earliest((ocds.local_date(m.get("dueDate")), f"tender.milestones[{i}].dueDate")
                         for i, m in ocds.objs(tender.get("milestones")) if m.get("type") == "requestToParticipate")


def prequal_notice(tender: dict) -> tuple[dt.date, str] | None:
    return ocds.earliest((ocds.local_date(doc.get("datePublished")), f"tender.documents[{i}].datePublished")
                         for i, doc in ocds.documents(tender, "tenderNotice"))


def threshold_applies(release: dict, tender: dict, ctx: Context, on: dt.date) -> tuple[bool | None, str, str]:
    """Whether SH-74's value threshold is reached: (True/False/None when unknown, why in zh, why in en)."""
    value = procurement_value(release, tender)
    if value is None:
        return None, "未载明采购金额", "the procurement value is not stated"
    amount, currency, path = value
    conversion = ctx.rates.to_cny(amount, currency, on)
    if conversion.cny is None:
        return None, (f"无 {conversion.currency} 兑人民币在 {on.isoformat()} 前后的汇率,无法换算金额"), \
            f"no {conversion.currency}–CNY rate for {on.isoformat()} in the rate table, so the value cannot be converted"
    cat = ocds.category(tender)
    works, goods = ctx.prequal_works_threshold_cny, ctx.prequal_goods_services_threshold_cny
    cny = conversion.cny
    shown = f"{cny:,.0f} 元" if conversion.currency == "CNY" else f"{cny:,.0f} 元({amount:,.2f} {conversion.currency})"
    shown_en = f"CNY {cny:,.0f}" if conversion.currency == "CNY" else f"CNY {cny:,.0f} ({conversion.currency} {amount:,.2f})"
    if cat == "works":
        return cny >= works, f"工程采购 {shown}", f"works of {shown_en}"
    if cat in ("goods", "services"):
        return cny >= goods, f"货物、服务采购 {shown}", f"{cat} of {shown_en}"
    if cny >= works:
        return True, f"采购金额 {shown}", f"a value of {shown_en}"
    if cny < goods:
        return False, f"采购金额 {shown}", f"a value of {shown_en}"
    return None, f"采购金额 {shown},但未载明采购类别(货物、服务或工程)", f"a value of {shown_en}, but the category (goods, services or works) is not stated"


def check_prequal_period(release: dict, ctx: Context) -> Iterator[Finding]:
    tender = ocds.obj(release.get("tender"))
    if ocds.method(tender) != "selective":
        return
    notice = prequal_notice(tender)
    deadline = request_deadline(tender)
    applies, why_zh, why_en = threshold_applies(release, tender, ctx, notice[0] if notice else ctx.on)
    if applies is False:
        return
    if notice is None or deadline is None:
        what_zh = "资格预审公告(tenderNotice)的发布日期" if notice is None else "提交资格预审申请文件的截止日期"
        what_en = "the date of the pre-qualification notice (tenderNotice)" if notice is None else "the deadline for requests to participate"
        path = "tender.documents" if notice is None else "tender.expressionOfInterestDeadline"
        yield Finding.of(PREQUAL_RULE, "warning", f"无法核对资格预审期限:缺少{what_zh}", f"the pre-qualification period cannot be checked: {what_en} is missing",
                         cites=PREQUAL_CITES, path=path)
        return
    (start, _), (end, end_path) = notice, deadline
    days = ocds.days_between(start, end)
    reason = urgency(tender)
    needed = ctx.prequal_period_urgent_days if reason else ctx.prequal_period_days
    if days >= needed:
        return
    span_zh = f"自 {start.isoformat()} 至 {end.isoformat()} 仅 {days} 日"
    span_en = f"{days} days from {start.isoformat()} to {end.isoformat()}"
    need_zh = f"紧急情况下不少于 {needed} 日" if reason else f"不少于 {needed} 日(紧急情况下 {ctx.prequal_period_urgent_days} 日)"
    need_en = f"at least {needed} days in an urgency" if reason else f"at least {needed} days ({ctx.prequal_period_urgent_days} in an urgency)"
    if applies is None:
        yield Finding.of(PREQUAL_RULE, "warning",
                         f"资格预审期限{span_zh},而{need_zh};{why_zh},无法判断是否达到第74条的金额标准",
                         f"the pre-qualification period is {span_en}, where SH-74 asks {need_en}; {why_en}, so whether its threshold is reached is unknown",
                         cites=PREQUAL_CITES, path=end_path)
        return
    yield Finding.of(PREQUAL_RULE, "violation",
                     f"{why_zh}的邀请招标,资格预审期限{span_zh},应{need_zh}",
                     f"selective procurement, {why_en}: the pre-qualification period is {span_en}; it must be {need_en}",
                     cites=PREQUAL_CITES, path=end_path)
