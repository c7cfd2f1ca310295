"""The zone's procurement rules over one OCDS compiled release: pure functions, Findings out.

Each rule is a small module function ``check(release, ctx) -> Iterator[Finding]`` registered in ``RULES`` under its
stable id (other systems script against the ids). ``check_release`` runs them all; a release outside the scope of the
zone's rules (SH-71: national security and state secrets) gets only the PROC-SCOPE finding.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from openftz.core.findings import Finding

from . import exclusion, method, notices, periods, remedies, scope
from .context import Context


@dataclass(frozen=True)
class RuleSpec:
    id: str
    check: Callable[[dict, Context], Iterator[Finding]]
    cites: tuple[str, ...]
    title_zh: str
    title_en: str


RULES: dict[str, RuleSpec] = {spec.id: spec for spec in (
    RuleSpec(scope.SCOPE_RULE, scope.check_scope, scope.SCOPE_CITES, "适用范围(国家安全和国家秘密项目除外)",
             "Scope (national security and state secret projects excluded)"),
    RuleSpec(method.RULE, method.check, method.CITES, "单一来源采购的情形", "Grounds for limited or direct procurement"),
    RuleSpec(periods.TENDER_RULE, periods.check_tender_period, periods.TENDER_CITES, "投标期限不少于40日", "Tender period of at least 40 days"),
    RuleSpec(periods.PREQUAL_RULE, periods.check_prequal_period, periods.PREQUAL_CITES, "邀请招标资格预审期限不少于25日",
             "Pre-qualification period of at least 25 days"),
    RuleSpec(notices.NOTICE_RULE, notices.check_prequal_notice, notices.NOTICE_CITES, "资格预审公告的内容", "Contents of the pre-qualification notice"),
    RuleSpec(notices.BILINGUAL_RULE, notices.check_bilingual, notices.BILINGUAL_CITES, "以中英两种语言公布采购公告", "Notices in Chinese and English"),
    RuleSpec(notices.FREE_DOCS_RULE, notices.check_free_docs, notices.FREE_DOCS_CITES, "免费提供招标文件", "Free tender documents"),
    RuleSpec(exclusion.RULE, exclusion.check, exclusion.CITES, "因重大违约拒绝供应商参与", "Refusing a supplier for a material breach"),
    RuleSpec(remedies.CHALLENGE_RULE, remedies.check_challenges, remedies.CHALLENGE_CITES, "10日内书面质疑", "Challenges in writing within 10 days"),
    RuleSpec(remedies.DEBRIEF_RULE, remedies.check_debriefings, remedies.DEBRIEF_CITES, "答复未中标供应商", "Debriefing unsuccessful suppliers"),
    RuleSpec(scope.SME_RULE, scope.check_sme, scope.SME_CITES, "对中小企业实施合同分包", "Subcontracting to SMEs"),
)}


def check_release(release: dict, ctx: Context) -> list[Finding]:
    """Every rule's findings for one compiled release, in the order of ``RULES``."""
    if scope.excluded(release):
        return list(scope.check_scope(release, ctx))
    findings: list[Finding] = []
    for spec in RULES.values():
        findings.extend(spec.check(release, ctx))
    return findings


__all__ = ["Context", "RULES", "RuleSpec", "check_release"]
