"""What an unsuccessful supplier can ask for: a challenge (质疑) and a debriefing (未中标理由的答复).

PROC-CHALLENGE — SH-86 (SC-61): 供应商认为政府采购文件、采购过程和中标结果、成交结果使自身权益受到损害的,可以在知道或应当知道
其权益受到损害之日起10日内,以书面方式向采购人提出质疑.
PROC-DEBRIEF — SH-80 (SC-56): 应未中标、未成交供应商请求,采购人应向其答复未中标、未成交的理由或中标、成交供应商的优势说明,
答复内容不得涉及商业秘密.

Data: the OpenFTZ extension (``data/procurement/extension/``): ``tender.challenges[]`` and ``tender.debriefings[]``.
When a challenge does not say when the supplier knew of the harm, the publication it is about stands in for it:
the tender documents (subject ``documents``) or the award (subject ``result``).

The window's last day: 《民法典》第201条 (the day of the event not counted), and — parameter
``challenge_window_holiday_extension`` — 第203条 and 财政部令第94号 第42条: a last day that is a rest day (a weekend or a
public holiday under the State Council's schedule; a make-up working day 调休 is a working day) moves to the next
working day.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from openftz.core.findings import Finding
from openftz.core.workdays import is_working_day

from . import ocds
from .context import Context

CHALLENGE_RULE = "PROC-CHALLENGE"
CHALLENGE_CITES = ("SH-86", "SC-61")
DEBRIEF_RULE = "PROC-DEBRIEF"
DEBRIEF_CITES = ("SH-80", "SC-56")


def _known(release: dict, tender: dict, challenge: dict, base: str) -> tuple[dt.date, str] | None:
    known = ocds.local_date(challenge.get("knownDate"))
    if known is not None:
        return known, f"{base}.knownDate"
    subject = challenge.get("subject")
    if subject == "documents":
        return ocds.earliest([(ocds.local_date(ocds.obj(tender.get("tenderPeriod")).get("startDate")), "tender.tenderPeriod.startDate")]
                             + [(ocds.local_date(d.get("datePublished")), f"tender.documents[{i}].datePublished")
                                for i, d in ocds.documents(tender, "biddingDocuments", "tenderNotice")])
    if subject == "result":
        return ocds.earliest((ocds.local_date(a.get("date")), f"awards[{i}].date") for i, a in ocds.objs(release.get("awards")))
    return None


def window_end(known: dt.date, ctx: Context) -> tuple[dt.date, bool, bool]:
    """(last day of the challenge window, moved past a rest day?, schedule estimated?)."""
    return challenge_last_day(known, ctx.challenge_window_days, ctx.challenge_window_holiday_extension)


def challenge_last_day(known: dt.date, window_days: int, extend: bool) -> tuple[dt.date, bool, bool]:
    """The last day to challenge when the supplier knew on ``known`` (that day not counted, 《民法典》第201条), moved
    to the next working day if it is a rest day and ``extend`` (第203条; 财政部令第94号 第42条): (day, moved?, estimated?)
    — estimated when the year's holiday schedule is not known here and weekdays stood in for it."""
    last = known + dt.timedelta(days=window_days)
    moved = estimated = False
    if extend:
        while True:
            working, guess = is_working_day(last)
            estimated |= guess
            if working:
                break
            last += dt.timedelta(days=1)
            moved = True
    return last, moved, estimated


def _author(challenge: dict) -> str:
    author = ocds.obj(challenge.get("author"))
    return ocds.text(author.get("name")) or ocds.text(author.get("id")) or "?"


def check_challenges(release: dict, ctx: Context) -> Iterator[Finding]:
    tender = ocds.obj(release.get("tender"))
    window = ctx.challenge_window_days
    for i, challenge in ocds.objs(tender.get("challenges")):
        base = f"tender.challenges[{i}]"
        who = _author(challenge)
        if challenge.get("inWriting") is False:
            yield Finding.of(CHALLENGE_RULE, "warning", f"供应商 {who} 的质疑未以书面方式提出", f"the challenge of supplier {who} was not made in writing",
                             cites=CHALLENGE_CITES, path=f"{base}.inWriting")
        filed = ocds.local_date(challenge.get("date"))
        known = _known(release, tender, challenge, base)
        if filed is None or known is None:
            yield Finding.of(CHALLENGE_RULE, "warning",
                             f"无法核对供应商 {who} 的质疑是否在 {window} 日内提出:缺少质疑日期或知道权益受损的日期",
                             f"whether the challenge of supplier {who} came within {window} days cannot be checked: "
                             "the date it was made or the date the supplier knew of the harm is missing",
                             cites=CHALLENGE_CITES, path=f"{base}.date" if filed is None else f"{base}.knownDate")
            continue
        known_date, known_path = known
        days = ocds.days_between(known_date, filed)
        status = challenge.get("status")
        last, moved, estimated = window_end(known_date, ctx)
        in_time = filed <= last
        moved_zh = f"(期限最后一日为法定休假日,顺延至 {last.isoformat()},《民法典》第203条、财政部令第94号第42条)" if moved else ""
        moved_en = f" (the last day was a rest day, so the window ran to {last.isoformat()}: Civil Code art. 203, MOF Order 94 art. 42)" if moved else ""
        if estimated:
            moved_zh += "(该年节假日安排未收录,按周一至周五计算)"
            moved_en += " (no holiday schedule for that year here: Monday to Friday counted as working days)"
        if in_time and status == "rejectedAsLate":
            yield Finding.of(CHALLENGE_RULE, "violation",
                             f"供应商 {who} 的质疑在知道权益受损后第 {days} 日提出,未超过 {window} 日的期限{moved_zh},却以逾期为由被拒绝",
                             f"the challenge of supplier {who} came {days} days after it knew of the harm, within the {window}-day window{moved_en}, "
                             "yet was refused as late",
                             cites=CHALLENGE_CITES, path=f"{base}.status")
        elif not in_time:
            yield Finding.of(CHALLENGE_RULE, "info",
                             f"供应商 {who} 的质疑在知道或应当知道权益受损({known_date.isoformat()})后第 {days} 日提出,超过 {window} 日的质疑期限(最后一日 {last.isoformat()}){moved_zh}",
                             f"the challenge of supplier {who} came {days} days after it knew or should have known of the harm "
                             f"({known_date.isoformat()}), after the {window}-day window (last day {last.isoformat()}){moved_en}",
                             cites=CHALLENGE_CITES, path=known_path if known_path.endswith("knownDate") else f"{base}.date")


def check_debriefings(release: dict, ctx: Context) -> Iterator[Finding]:
    tender = ocds.obj(release.get("tender"))
    for i, debriefing in ocds.objs(tender.get("debriefings")):
        base = f"tender.debriefings[{i}]"
        supplier = ocds.obj(debriefing.get("supplier"))
        who = ocds.text(supplier.get("name")) or ocds.text(supplier.get("id")) or "?"
        if ocds.local_date(debriefing.get("answerDate")) is None:
            yield Finding.of(DEBRIEF_RULE, "warning",
                             f"未中标供应商 {who} 请求说明未中标理由,尚无答复记录",
                             f"unsuccessful supplier {who} asked why it did not win, and no answer is recorded",
                             cites=DEBRIEF_CITES, path=f"{base}.answerDate")
            continue
        content = debriefing.get("content")
        content = content if isinstance(content, list) else []
        if not ({"reasons", "advantages"} & set(c for c in content if isinstance(c, str))):
            yield Finding.of(DEBRIEF_RULE, "violation",
                             f"对未中标供应商 {who} 的答复既未说明未中标理由,也未说明中标供应商的优势",
                             f"the answer to unsuccessful supplier {who} gives neither the reasons it did not win nor the winner's advantages",
                             cites=DEBRIEF_CITES, path=f"{base}.content")
        if debriefing.get("containsTradeSecrets") is True:
            yield Finding.of(DEBRIEF_RULE, "violation",
                             f"对未中标供应商 {who} 的答复涉及商业秘密",
                             f"the answer to unsuccessful supplier {who} discloses trade secrets",
                             cites=DEBRIEF_CITES, path=f"{base}.containsTradeSecrets")
