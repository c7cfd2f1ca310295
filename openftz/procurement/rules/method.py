"""PROC-METHOD-GROUND — a limited or direct procurement (单一来源采购) needs one of the zone's five grounds.

SH-72 (SC-48): 在上海自贸试验区内进行的政府采购一般应实行公开竞争.对以下情形,可采用单一来源方式采购:无投标、无合格投标、
无合格供应商或存在串通投标;只能由特定供应商提供;为保持技术一致性或避免重新采购,对原采购补充采购;有限试用或委托研发的首创性
货物及服务;发生不可预见的紧急情况,不能从其他供应商处采购等.
The grounds and their phrasings are data (``data/procurement/grounds.yaml``); which procedures are single-source is
data too (``data/procurement/methods.yaml``, read by ``procedures``): a direct award coded ``open`` ("ADJUDICACION
DIRECTA …" in the rationale) is checked, a publicly announced selection (Taiwan's 限制性招標(經公開評選或公開徵求))
or a request for quotations is not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Iterator

import yaml

from openftz.core.findings import Finding

from . import ocds, procedures
from .context import Context

RULE = "PROC-METHOD-GROUND"
CITES = ("SH-72", "SC-48")
GROUNDS_FILE = Path(__file__).resolve().parents[3] / "data" / "procurement" / "grounds.yaml"


@dataclass(frozen=True)
class Ground:
    code: str
    adopted: bool
    zh: str
    en: str
    patterns: tuple[re.Pattern, ...]


@cache
def grounds() -> tuple[str, dict[str, Ground]]:
    raw = yaml.safe_load(GROUNDS_FILE.read_text(encoding="utf-8"))
    table = {
        code: Ground(code, bool(g["adopted"]), g["zh"], g["en"], tuple(re.compile(p, re.IGNORECASE) for p in g["patterns"]))
        for code, g in raw["grounds"].items()
    }
    return raw["scheme"], table


@cache
def _not_a_rationale() -> re.Pattern:
    raw = yaml.safe_load(GROUNDS_FILE.read_text(encoding="utf-8"))
    return re.compile(r"^\s*(?:" + "|".join(raw.get("not_a_rationale", [])) + r")\s*[.。]?\s*$", re.IGNORECASE)


def recognise(rationale: str) -> list[Ground]:
    """The grounds a free-text rationale states, in the order of the data file."""
    plain = ocds.simplified(rationale)
    return [g for g in grounds()[1].values() if any(p.search(plain) for p in g.patterns)]


def _adopted_list_zh() -> str:
    return "; ".join(g.zh for g in grounds()[1].values() if g.adopted)


def _adopted_list_en() -> str:
    return "; ".join(g.en for g in grounds()[1].values() if g.adopted)


def check(release: dict, ctx: Context) -> Iterator[Finding]:
    tender = ocds.obj(release.get("tender"))
    resolved = procedures.resolve(tender)
    if not resolved.is_single_source:
        return
    note = procedures.overridden(resolved)  # a direct award coded `open`: say why it is checked as one
    for finding in _check(tender, resolved):
        yield finding if note is None else replace(finding, message_zh=finding.message_zh + note[0], message_en=finding.message_en + note[1])


def _check(tender: dict, resolved: procedures.Method) -> Iterator[Finding]:
    method = resolved.kind.en if resolved.coded is not None else resolved.code
    scheme, table = grounds()
    coded = [(i, c) for i, c in ocds.objs(tender.get("procurementMethodRationaleClassifications"))
             if str(c.get("scheme", "")).strip().lower() == scheme.lower()]
    for i, classification in coded:
        code = str(classification.get("id", "")).strip()
        path = f"tender.procurementMethodRationaleClassifications[{i}].id"
        ground = table.get(code)
        if ground is not None and ground.adopted:
            return
        if ground is not None:
            yield Finding.of(RULE, "violation",
                             f"{method}方式采购的理由“{ground.zh}”不在本区采纳的单一来源情形之内(仅限:{_adopted_list_zh()})",
                             f"the ground of this {method} procurement, {ground.en}, is not one the zone adopted (only: {_adopted_list_en()})",
                             cites=CITES, path=path)
        else:
            yield Finding.of(RULE, "violation",
                             f"{scheme} 编码“{code}”不是单一来源情形的编码",
                             f"{code!r} is not a code of the {scheme} scheme of grounds", cites=CITES, path=path)
    if coded:
        return
    rationale = ocds.text(tender.get("procurementMethodRationale"))
    if rationale is not None and _not_a_rationale().match(rationale):
        rationale = None  # "Nacional", "No aplica": words that state no reason are no rationale
    if rationale is None:
        yield Finding.of(RULE, "violation",
                         f"{method}方式采购未说明理由;单一来源采购须符合以下情形之一:{_adopted_list_zh()}",
                         f"this {method} procurement states no ground; it needs one of: {_adopted_list_en()}",
                         cites=CITES, path="tender.procurementMethodRationale")
        return
    found = recognise(rationale)
    if any(g.adopted for g in found):
        return
    path = "tender.procurementMethodRationale"
    if found:
        names_zh = "、".join(g.zh for g in found)
        names_en = "; ".join(g.en for g in found)
        yield Finding.of(RULE, "violation",
                         f"{method}方式采购的理由({names_zh})不在本区采纳的单一来源情形之内(仅限:{_adopted_list_zh()})",
                         f"the ground stated for this {method} procurement ({names_en}) is not one the zone adopted (only: {_adopted_list_en()})",
                         cites=CITES, path=path)
        return
    excerpt = rationale if len(rationale) <= 80 else rationale[:77] + "…"
    yield Finding.of(RULE, "warning",
                     f"无法从理由“{excerpt}”中识别单一来源情形;请人工核对是否属于:{_adopted_list_zh()}",
                     f"the ground could not be recognised in the rationale {excerpt!r}; check by hand whether it is one of: {_adopted_list_en()}",
                     cites=CITES, path=path)
