"""What an unsuccessful supplier can ask for: a challenge (质疑) and a debriefing (未中标理由的答复).

PROC-CHALLENGE — SH-86 (SC-61): 供应商认为政府采购文件、采购过程和中标结果、成交结果使自身权益受到损害的,可以在知道或应当知道
其权益受到损害之日起10日内,以书面方式向采购人提出质疑.
PROC-DEBRIEF — SH-80 (SC-56): 应未中标、未成交供应商请求,采购人应向其答复未中标、未成交的理由或中标、成交供应商的优势说明,
答复内容不得涉及商业秘密.

Data: the OpenFTZ extension (``data/procurement/extension/``): ``tender.challenges[]`` and ``tender.debriefings[]``.
When a challenge does not say when the supplier knew of the harm, the publication it is about stands in for it:
the tender documents (subject ``documents``) or the award (subject ``result``).
"""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from openftz.core.findings import Finding

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
        if days <= window and status == "rejectedAsLate":
            yield Finding.of(CHALLENGE_RULE, "violation",
                             f"供应商 {who} 的质疑在知道权益受损后第 {days} 日提出,未超过 {window} 日,却以逾期为由被拒绝",
                             f"the challenge of supplier {who} came {days} days after it knew of the harm, within the {window} days, yet was "
                             "refused as late",
                             cites=CHALLENGE_CITES, path=f"{base}.status")
        elif days > window:
            yield Finding.of(CHALLENGE_RULE, "info",
                             f"供应商 {who} 的质疑在知道或应当知道权益受损({known_date.isoformat()})后第 {days} 日提出,超过 {window} 日的质疑期限",
                             f"the challenge of supplier {who} came {days} days after it knew or should have known of the harm "
                             f"({known_date.isoformat()}), after the {window}-day window",
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
