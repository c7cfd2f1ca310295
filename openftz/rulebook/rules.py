"""Consistency rules of the rulebook: the reviewed overlay must fit the parsed plans.

Pure functions over plain ids and names; each returns Findings that cite the measures they concern.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from openftz.core.citations import cites
from openftz.core.findings import Finding, Severity

RULES_DUE_CITES = cites("SH-113", "SC-closing")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def rules_due(classification: str, *, local_signed: dt.date, national_signed: dt.date,
              approval_months: int, national_months: int) -> dt.date | None:
    """When a Shanghai measure's detailed rules are due under SH-113 (None: in force on issue).

    needs national approval → within ``approval_months`` of the Shanghai plan; needs national rules →
    within ``national_months`` of the State Council plan (SC-closing: 一年内完成).
    """
    if classification == "national_approval":
        return add_months(local_signed, approval_months)
    if classification == "national_rules":
        return add_months(national_signed, national_months)
    return None


def crosswalk_findings(sh_ids: Iterable[str], sc_ids: Iterable[str], crosswalk: Mapping[str, list[str]]) -> list[Finding]:
    """Every SH measure implements at least one SC measure, and every SC measure is implemented."""
    sh_ids, sc_ids = list(sh_ids), list(sc_ids)
    findings = []
    for sh in sh_ids:
        targets = crosswalk.get(sh) or []
        if not targets:
            findings.append(Finding.of(
                "RULEBOOK-CROSSWALK-SH", Severity.VIOLATION,
                f"{sh} 未对应任何国家措施", f"{sh} implements no State Council measure", cites=(sh,), path=f"crosswalk.{sh}",
            ))
        for sc in targets:
            if sc not in sc_ids:
                findings.append(Finding.of(
                    "RULEBOOK-CROSSWALK-UNKNOWN", Severity.VIOLATION,
                    f"{sh} 对应的 {sc} 不存在", f"{sh} links to {sc}, which is not a State Council measure",
                    cites=(sh,), path=f"crosswalk.{sh}",
                ))
    for extra in sorted(set(crosswalk) - set(sh_ids)):
        findings.append(Finding.of(
            "RULEBOOK-CROSSWALK-UNKNOWN", Severity.VIOLATION,
            f"{extra} 不是上海实施方案的措施", f"{extra} is not a Shanghai measure", path=f"crosswalk.{extra}",
        ))
    implemented = {sc for targets in crosswalk.values() for sc in targets or []}
    for sc in sc_ids:
        if sc not in implemented:
            findings.append(Finding.of(
                "RULEBOOK-CROSSWALK-SC", Severity.VIOLATION,
                f"{sc} 没有上海措施落实", f"no Shanghai measure implements {sc}", cites=(sc,), path="crosswalk",
            ))
    return findings


def unit_findings(printed: Iterable[str], directory: Iterable[str]) -> list[Finding]:
    """Every unit printed in the plan is in the unit directory, and the directory names no other."""
    printed, directory = set(printed), set(directory)
    findings = [
        Finding.of("RULEBOOK-UNIT-MISSING", Severity.VIOLATION, f"单位目录缺少“{u}”", f"the unit directory lacks {u}", path="units")
        for u in sorted(printed - directory)
    ]
    findings += [
        Finding.of("RULEBOOK-UNIT-UNUSED", Severity.WARNING, f"单位目录中的“{u}”未见于方案", f"{u} is in the directory but not in the plan", path="units")
        for u in sorted(directory - printed)
    ]
    return findings


def coverage_findings(ids: Iterable[str], overlay: Mapping, origin: str) -> list[Finding]:
    """Each measure has an entry in a per-measure overlay file (classification, titles)."""
    return [
        Finding.of("RULEBOOK-OVERLAY-MISSING", Severity.VIOLATION, f"{origin} 缺少 {i}", f"{origin} has no entry for {i}", cites=(i,), path=f"{origin}.{i}")
        for i in ids
        if i not in overlay
    ]
