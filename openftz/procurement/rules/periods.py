"""Time limits for tenders and requests to participate, counted in Asia/Shanghai calendar days.

PROC-TENDER-PERIOD — SH-75 (SC-51): 政府采购实施招标时,采购人设定提交投标文件的最后日期,一般应自招标文件发出之日起不少于40日.
符合特殊情形的,可以适当缩短期限,但不得少于10日.
PROC-PREQUAL-PERIOD — SH-74 (SC-50): 开展200万元以上的货物、服务采购或5000万元以上的工程采购,采用邀请招标方式的采购人应设定
提交资格预审申请文件的最后日期,一般应自资格预审文件发出之日起不少于25日,紧急情况下不少于10日.

The special cases of SH-75 are those of the WTO GPA (2012) Art. XI the plan follows: XI:4 — a state of urgency
(``tender.procedure.isAccelerated`` with ``acceleratedRationale``), a notice of planned procurement published 40 days
to 12 months before (``documentType: plannedProcurementNotice``), recurring procurement (``tender.hasRecurrence``);
XI:5 — electronic notice, documents and submission, 5 days each; XI:7 — commercial goods or services
(``tender.commercialGoodsOrServices``, OpenFTZ extension). SH-75 names no cases and only keeps a floor of 10 days,
which every one of these respects, so the zone allows them all (see ``shortest_period``).
SH-75 applies to tendering (招标); the method is read as data (``procedures``): a request for quotations, a
public selection or an unrecognised method is never checked as a tender.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from openftz.core.findings import Finding

from . import ocds, procedures
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
    """(zh, en, path) of a GPA Art. XI:4 case that allows a tender period down to SH-75's 10 days, if any."""
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
                return (f"已于 {published.isoformat()} 发布采购意向公告(GPA 第十一条第4款(a)项)",
                        f"a planned procurement notice published on {published.isoformat()} (GPA Art. XI:4(a))",
                        f"{prefix}.documents[{i}].datePublished")
    if tender.get("hasRecurrence") is True:
        return ("经常性采购(GPA 第十一条第4款(b)项)", "recurring procurement (GPA Art. XI:4(b))", "tender.hasRecurrence")
    return None


def _electronic(tender: dict, start: dt.date) -> list[tuple[str, str, str]]:
    """The GPA Art. XI:5 circumstances the data states, as (zh, en, path): the notice published electronically (a
    tenderNotice with a web address), all the tender documents available electronically from the notice (every
    biddingDocuments with a web address, published by the start), tenders accepted electronically
    (``submissionMethod`` ``electronicSubmission``)."""
    out = []
    notices = [(i, d) for i, d in ocds.documents(tender, "tenderNotice") if ocds.text(d.get("url"))]
    if notices:
        out.append(("以电子方式发布招标公告", "the notice published electronically", f"tender.documents[{notices[0][0]}].url"))
    docs = list(ocds.documents(tender, "biddingDocuments"))
    if docs and all(ocds.text(d.get("url")) and (ocds.local_date(d.get("datePublished")) or dt.date.max) <= start for _, d in docs):
        out.append(("自公告之日起以电子方式提供全部招标文件", "all tender documents available electronically from the notice",
                    f"tender.documents[{docs[0][0]}].url"))
    methods = [str(m).strip().lower() for m in ocds.lst(tender.get("submissionMethod")) if isinstance(m, str)]
    if "electronicsubmission" in methods:
        out.append(("以电子方式接收投标", "tenders accepted electronically", "tender.submissionMethod"))
    return out


def shortest_period(release: dict, tender: dict, start: dt.date, ctx: Context) -> tuple[int, str, str, str] | None:
    """The shortest tender period the special cases the data states allow, as (days, zh, en, path); None when none
    applies (then SH-75's usual 40 days hold).

    SH-75 allows a shorter period 符合特殊情形的 without naming the cases, but never below 10 days; the zone reads the
    cases from the WTO GPA (2012) Art. XI it follows: XI:4 (planned notice, recurring procurement, urgency: down to
    10 days), XI:5 (5 days less for each of electronic notice, electronic documents and electronic submission, XI:6:
    never below 10) and XI:7 (commercial goods or services with the notice and the documents published
    electronically at the same time: 13 days; 10 if tenders are accepted electronically). All of them keep SH-75's
    floor, so all of them are special cases SH-75 allows."""
    floor = ctx.tender_period_shortened_min_days
    options: list[tuple[int, str, str, str]] = []
    case = special_case(release, tender, start, ctx)
    if case is not None:
        options.append((floor, *case))
    electronic = _electronic(tender, start)
    if electronic:
        days = max(floor, ctx.tender_period_days - ctx.electronic_reduction_days * len(electronic))
        options.append((days, "、".join(e[0] for e in electronic) + f"(GPA 第十一条第5款,每项 {ctx.electronic_reduction_days} 日)",
                        "; ".join(e[1] for e in electronic) + f" (GPA Art. XI:5, {ctx.electronic_reduction_days} days each)", electronic[0][2]))
    if tender.get("commercialGoodsOrServices") is True:
        both = any("以电子方式发布" in e[0] for e in electronic) and any("招标文件" in e[0] for e in electronic)
        if both:
            by_submission = any(e[2] == "tender.submissionMethod" for e in electronic)
            days = ctx.commercial_electronic_tender_period_days if by_submission else ctx.commercial_tender_period_days
            options.append((max(floor, days), "采购商业货物或服务(GPA 第十一条第7款)", "commercial goods or services (GPA Art. XI:7)",
                            "tender.commercialGoodsOrServices"))
    return min(options, key=lambda o: o[0]) if options else None


def tender_start(tender: dict) -> tuple[dt.date, str] | None:
    """When the tender documents were issued (招标文件发出之日): the earliest publication of the bidding documents
    when the data gives one, else tenderPeriod.startDate."""
    issued = ocds.earliest((ocds.local_date(doc.get("datePublished")), f"tender.documents[{i}].datePublished")
                           for i, doc in ocds.documents(tender, "biddingDocuments"))
    if issued is not None:
        return issued
    start = ocds.local_date(ocds.obj(tender.get("tenderPeriod")).get("startDate"))
    if start is not None:
        return start, "tender.tenderPeriod.startDate"
    return None


def check_tender_period(release: dict, ctx: Context) -> Iterator[Finding]:
    tender = ocds.obj(release.get("tender"))
    method = procedures.resolve(tender)
    if method.recognised and not method.is_tender:
        return
    if method.ambiguous:
        yield Finding.of(TENDER_RULE, "warning",
                         f"采购方式的表述互相矛盾或可指多种方式(“{method.stated}”),不能判断是否属于招标;未核对投标期限",
                         f"the procurement method is stated in contradictory ways, or in words that allow several procedures "
                         f"({method.stated!r}), so whether SH-75 applies is unknown; the tender period was not checked",
                         cites=TENDER_CITES, path=method.path)
        return
    if not method.recognised and method.stated is not None:
        yield Finding.of(TENDER_RULE, "warning",
                         f"无法识别采购方式“{method.stated}”,不能判断是否属于招标(第75条适用于公开招标和邀请招标);未核对投标期限",
                         f"the procurement method {method.stated!r} is not recognised, so whether SH-75 (open and selective tendering) "
                         "applies is unknown; the tender period was not checked",
                         cites=TENDER_CITES, path=method.path)
        return
    period = ocds.obj(tender.get("tenderPeriod"))
    misspelt = ocds.misspelt(tender, "tenderPeriod")
    if misspelt is not None:
        yield Finding.of(TENDER_RULE, "warning",
                         f"数据问题:tender.{misspelt} 不是 OCDS 字段(疑为 tenderPeriod 的误拼),无法据以核对投标期限",
                         f"data problem: tender.{misspelt} is not an OCDS field (a misspelling of tenderPeriod?), so the tender "
                         "period cannot be checked from it",
                         cites=TENDER_CITES, path=f"tender.{misspelt}")
        return
    unstated = not method.recognised  # no method at all: a deadline is checked, but nothing is a violation
    if unstated and not period.get("endDate"):
        return
    note_zh, note_en = procedures.overridden(method) or ("", "")
    end = ocds.local_date(period.get("endDate"))
    start = tender_start(tender)
    if end is None or start is None:
        missing = ("tender.tenderPeriod.endDate" if end is None else "tender.tenderPeriod.startDate")
        what_zh = "提交投标文件的截止日期" if end is None else "招标文件发出日期"
        what_en = "the deadline for tenders" if end is None else "the date the tender documents were issued"
        yield Finding.of(TENDER_RULE, "warning", f"无法核对投标期限:缺少{what_zh}{note_zh}",
                         f"the tender period cannot be checked: {what_en} is missing{note_en}", cites=TENDER_CITES, path=missing)
        return
    start_date, start_path = start
    days = ocds.days_between(start_date, end)
    span_zh = f"自 {start_date.isoformat()} 至 {end.isoformat()} 仅 {days} 日"
    span_en = f"{days} days from {start_date.isoformat()} to {end.isoformat()}"
    if days < 0:
        yield Finding.of(TENDER_RULE, "warning",
                         f"数据问题:投标截止日期 {end.isoformat()} 早于招标文件发出日期 {start_date.isoformat()}({start_path}),无法核对投标期限",
                         f"data problem: the deadline for tenders ({end.isoformat()}) is before the tender documents were issued "
                         f"({start_date.isoformat()}, {start_path}), so the tender period cannot be checked",
                         cites=TENDER_CITES, path="tender.tenderPeriod.endDate")
        return
    if days >= ctx.tender_period_days:
        return
    path = "tender.tenderPeriod.endDate"
    severity = "warning" if unstated else "violation"
    if unstated:
        note_zh, note_en = "(未载明采购方式;若为招标,则不符合第75条)", " (the method is not stated; if this is a tender, SH-75 is not met)"
    floor = ctx.tender_period_shortened_min_days
    if days < floor:
        yield Finding.of(TENDER_RULE, severity,
                         f"投标期限{span_zh},少于任何情形下的最低 {floor} 日(一般不少于 {ctx.tender_period_days} 日){note_zh}",
                         f"the tender period is {span_en}, below the {floor} days allowed in any case (usually {ctx.tender_period_days}){note_en}",
                         cites=TENDER_CITES, path=path)
        return
    shortest = shortest_period(release, tender, start_date, ctx)
    if shortest is None:
        yield Finding.of(TENDER_RULE, severity,
                         f"投标期限{span_zh},少于 {ctx.tender_period_days} 日,且未见可缩短期限的特殊情形(紧急情况、提前发布的采购意向公告、经常性采购、"
                         f"电子化采购、商业货物或服务){note_zh}",
                         f"the tender period is {span_en}, less than {ctx.tender_period_days} days, and no special case that allows a "
                         "shorter one (urgency, a planned procurement notice published in advance, recurring procurement, electronic "
                         f"procurement, commercial goods or services) is stated{note_en}",
                         cites=TENDER_CITES, path=path)
        return
    allowed, zh, en, case_path = shortest
    if days < allowed:
        yield Finding.of(TENDER_RULE, severity,
                         f"投标期限{span_zh};因{zh}可缩短至 {allowed} 日,但不得更短{note_zh}",
                         f"the tender period is {span_en}; {en} allows {allowed} days, not fewer{note_en}",
                         cites=TENDER_CITES, path=path)
        return
    yield Finding.of(TENDER_RULE, "info",
                     f"投标期限{span_zh},因{zh}缩短,未少于 {allowed} 日", f"the tender period of {span_en} is shortened for {en}, and not below {allowed} days",
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


def rate_day(release: dict, tender: dict, notice: tuple[dt.date, str] | None) -> dt.date | None:
    """The day whose exchange rate converts the value: the pre-qualification notice's, else the start of the tender
    period, else the release's date — never today's, which has nothing to do with the procurement."""
    if notice is not None:
        return notice[0]
    return (ocds.local_date(ocds.obj(tender.get("tenderPeriod")).get("startDate")) or ocds.local_date(release.get("date")))


def threshold_applies(release: dict, tender: dict, ctx: Context, on: dt.date | None) -> tuple[bool | None, str, str]:
    """Whether SH-74's value threshold is reached: (True/False/None when unknown, why in zh, why in en)."""
    value = procurement_value(release, tender)
    if value is None:
        return None, "未载明采购金额", "the procurement value is not stated"
    amount, currency, path = value
    if currency is None:
        return None, f"采购金额 {amount:,.2f} 未载明币种({path}.currency),无法换算为人民币", \
            f"the value {amount:,.2f} states no currency ({path}.currency), so it cannot be converted to yuan"
    if currency.strip().upper() in ("CNY", "RMB"):
        on = on or ctx.on  # yuan need no rate
    if on is None:
        return None, f"采购金额以 {currency} 计,但没有可据以选取汇率的日期(资格预审公告日期、招标开始日期或发布日期),无法换算", \
            f"the value is in {currency}, but no date to take the rate of (the notice, the start of the tender or the release date) is given"
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
    if procedures.resolve(tender).code != "selective":
        return
    notice = prequal_notice(tender)
    deadline = request_deadline(tender)
    applies, why_zh, why_en = threshold_applies(release, tender, ctx, rate_day(release, tender, notice))
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
