"""The zone's procurement rules over one OCDS compiled release: pure functions, Findings out.

Each rule is a small module function ``check(release, ctx) -> Iterator[Finding]`` registered in ``RULES`` under its
stable id (other systems script against the ids). ``check_release`` runs them all; a release outside the scope of the
zone's rules (SH-71: national security and state secrets) gets only the PROC-SCOPE finding.
"""
from __future__ import annotations

from typing import Callable, Iterator

from openftz.core.findings import Finding

from . import exclusion, method, notices, periods, remedies, scope
from .context import Context

Rule = Callable[[dict, Context], Iterator[Finding]]

RULES: dict[str, tuple[Rule, tuple[str, ...]]] = {
    scope.SCOPE_RULE: (scope.check_scope, scope.SCOPE_CITES),
    method.RULE: (method.check, method.CITES),
    periods.TENDER_RULE: (periods.check_tender_period, periods.TENDER_CITES),
    periods.PREQUAL_RULE: (periods.check_prequal_period, periods.PREQUAL_CITES),
    notices.NOTICE_RULE: (notices.check_prequal_notice, notices.NOTICE_CITES),
    notices.BILINGUAL_RULE: (notices.check_bilingual, notices.BILINGUAL_CITES),
    notices.FREE_DOCS_RULE: (notices.check_free_docs, notices.FREE_DOCS_CITES),
    exclusion.RULE: (exclusion.check, exclusion.CITES),
    remedies.CHALLENGE_RULE: (remedies.check_challenges, remedies.CHALLENGE_CITES),
    remedies.DEBRIEF_RULE: (remedies.check_debriefings, remedies.DEBRIEF_CITES),
    scope.SME_RULE: (scope.check_sme, scope.SME_CITES),
}


def check_release(release: dict, ctx: Context) -> list[Finding]:
    """Every rule's findings for one compiled release, in the order of ``RULES``."""
    if scope.excluded(release):
        return list(scope.check_scope(release, ctx))
    findings: list[Finding] = []
    for rule, _ in RULES.values():
        findings.extend(rule(release, ctx))
    return findings


__all__ = ["Context", "RULES", "check_release"]
