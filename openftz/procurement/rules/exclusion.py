"""PROC-DEBARMENT — refusing a supplier for an earlier material breach (拒绝参与采购活动).

SH-78 (SC-54): 采购人有证据证明有关供应商在参与政府采购活动前3年内,与采购人或与采购人存在管理关系的单位履行采购合同时,
发生过重大实质性违约且未及时采取合理补救措施的,可以拒绝其参与采购活动,但应当在采购文件中载明.

Data: the OpenFTZ extension (``data/procurement/extension/``): ``tender.exclusionGrounds[]`` (the grounds the
procurement documents state) and ``tender.exclusions[]`` (each supplier refused, with the breach behind it).
"""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from openftz.core.findings import Finding

from . import ocds
from .context import Context

RULE = "PROC-DEBARMENT"
CITES = ("SH-78", "SC-54")
GROUND = "priorMaterialBreach"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _participation(tender: dict, exclusion: dict) -> dt.date | None:
    """When the supplier took part: the start of the tender period, else the date of the exclusion."""
    return (ocds.local_date(ocds.obj(tender.get("tenderPeriod")).get("startDate"))
            or ocds.local_date(tender.get("expressionOfInterestDeadline")) or ocds.local_date(exclusion.get("date")))


def check(release: dict, ctx: Context) -> Iterator[Finding]:
    tender = ocds.obj(release.get("tender"))
    stated = any(g.get("type") == GROUND for _, g in ocds.objs(tender.get("exclusionGrounds")))
    for i, exclusion in ocds.objs(tender.get("exclusions")):
        if exclusion.get("ground") != GROUND:
            continue
        base = f"tender.exclusions[{i}]"
        supplier = ocds.text(ocds.obj(exclusion.get("supplier")).get("name")) or ocds.text(ocds.obj(exclusion.get("supplier")).get("id")) or "?"
        if not stated:
            yield Finding.of(RULE, "violation",
                             f"以重大违约为由拒绝供应商 {supplier},但采购文件未载明该拒绝事由",
                             f"supplier {supplier} is refused for a material breach, but the procurement documents do not state this ground",
                             cites=CITES, path="tender.exclusionGrounds")
        breach = ocds.local_date(exclusion.get("breachDate"))
        took_part = _participation(tender, exclusion)
        if breach is None or took_part is None:
            yield Finding.of(RULE, "warning",
                             f"无法核对供应商 {supplier} 的违约是否发生在参与采购活动前 {ctx.debarment_lookback_years} 年内:缺少日期",
                             f"whether the breach of supplier {supplier} falls within the {ctx.debarment_lookback_years} years before it took part "
                             "cannot be checked: a date is missing",
                             cites=CITES, path=f"{base}.breachDate")
        elif breach < _years_before(took_part, ctx.debarment_lookback_years) or breach > took_part:
            yield Finding.of(RULE, "violation",
                             f"供应商 {supplier} 的违约发生于 {breach.isoformat()},不在参与采购活动({took_part.isoformat()})前 {ctx.debarment_lookback_years} 年内",
                             f"the breach of supplier {supplier} on {breach.isoformat()} is not within the {ctx.debarment_lookback_years} years "
                             f"before it took part ({took_part.isoformat()})",
                             cites=CITES, path=f"{base}.breachDate")
        if exclusion.get("contractWithBuyerOrRelated") is False:
            yield Finding.of(RULE, "violation",
                             f"供应商 {supplier} 的违约不是在履行与采购人或与其存在管理关系的单位的采购合同时发生的",
                             f"the breach of supplier {supplier} was not in a contract with the procuring entity or a unit it manages or is managed by",
                             cites=CITES, path=f"{base}.contractWithBuyerOrRelated")
        if exclusion.get("remedied") is True:
            yield Finding.of(RULE, "violation",
                             f"供应商 {supplier} 已及时采取合理补救措施,不得据此拒绝其参与",
                             f"supplier {supplier} remedied the breach in time, so it cannot be refused for it",
                             cites=CITES, path=f"{base}.remedied")
        if not ocds.text(exclusion.get("evidenceDocumentId")):
            yield Finding.of(RULE, "warning",
                             f"拒绝供应商 {supplier} 须有证据证明其重大违约,但未附证据文件",
                             f"refusing supplier {supplier} needs evidence of the material breach, and none is attached",
                             cites=CITES, path=f"{base}.evidenceDocumentId")
