"""PROC-SCOPE and PROC-SME-SUBCONTRACT — to what the zone's rules apply, and room for small firms.

SH-71 (SC-47): 在上海自贸试验区内,国家机关、事业单位、团体组织和指定的其他采购实体,为了自身履职或提供公共服务需要,以合同方式
取得货物、工程和服务,以及订立“建设—运营—移交”合同和公共工程特许合同,适用«总体方案»及本实施方案相关规定(涉及国家安全和国家
秘密的项目除外).
SH-84 (SC-59, SC-35): 进一步加大政府采购支持中小企业力度……根据采购的规模、设计和结构,可对中小企业实施合同分包.
SH-84 permits (可) subcontracting to SMEs and sets no number, so PROC-SME-SUBCONTRACT only informs: when a tender
rules subcontracting out, and when a procurement is split into lots none of which is marked suitable for SMEs.
"""
from __future__ import annotations

import re
from typing import Iterator

from openftz.core.findings import Finding

from . import ocds
from .context import Context

SCOPE_RULE = "PROC-SCOPE"
SCOPE_CITES = ("SH-71", "SC-47")
SME_RULE = "PROC-SME-SUBCONTRACT"
SME_CITES = ("SH-84", "SC-59")

EXCLUSIONS = {"nationalSecurity": ("涉及国家安全的项目", "a project concerning national security"),
              "stateSecret": ("涉及国家秘密的项目", "a project involving state secrets")}
_WORDS = re.compile(r"[国國]家安全|[国國]家秘密|涉密|\bnational security\b|\bstate secrets?\b", re.IGNORECASE)  # simplified and traditional


def excluded(release: dict) -> str | None:
    """The SH-71 exclusion a release declares (``tender.scopeExclusion``), if any."""
    code = ocds.obj(release.get("tender")).get("scopeExclusion")
    return code if isinstance(code, str) and code in EXCLUSIONS else None


def check_scope(release: dict, ctx: Context) -> Iterator[Finding]:
    tender = ocds.obj(release.get("tender"))
    code = excluded(release)
    if code is not None:
        zh, en = EXCLUSIONS[code]
        yield Finding.of(SCOPE_RULE, "info", f"{zh},不适用本区政府采购规则;其他规则未予检查",
                         f"{en}: outside the zone's procurement rules, so the other rules were not applied",
                         cites=SCOPE_CITES, path="tender.scopeExclusion")
        return
    for field in ("title", "description", "procurementMethodRationale"):
        words = ocds.text(tender.get(field))
        if words and _WORDS.search(words):
            yield Finding.of(SCOPE_RULE, "warning",
                             f"项目可能涉及国家安全或国家秘密({field}),若是,应以 tender.scopeExclusion 标明并排除于本区规则之外;本次仍按规则检查",
                             f"the project may concern national security or state secrets ({field}); if so, declare it with "
                             "tender.scopeExclusion to put it outside the zone's rules — it was checked as usual",
                             cites=SCOPE_CITES, path=f"tender.{field}")
            return


def check_sme(release: dict, ctx: Context) -> Iterator[Finding]:
    tender = ocds.obj(release.get("tender"))
    terms = ocds.obj(tender.get("subcontractingTerms"))
    if terms.get("allowed") is False:
        yield Finding.of(SME_RULE, "info",
                         "招标文件不允许分包;第84条允许根据采购的规模、设计和结构对中小企业实施合同分包,宜说明不分包的理由",
                         "the tender rules subcontracting out; SH-84 allows subcontracting to SMEs according to the size, design and "
                         "structure of the procurement — the reason for ruling it out should be stated",
                         cites=SME_CITES, path="tender.subcontractingTerms.allowed")
    lots = list(ocds.objs(tender.get("lots")))
    marked = [ocds.obj(lot.get("suitability")).get("sme") for _, lot in lots]
    if len(lots) > 1 and all(m is False for m in marked):
        yield Finding.of(SME_RULE, "info",
                         f"采购分为 {len(lots)} 个包,均未标明适合中小企业参与",
                         f"the procurement is divided into {len(lots)} lots, none marked as suitable for SMEs",
                         cites=SME_CITES, path="tender.lots")
