"""Loading the rulebook: parse both plans, lay the reviewed overlay over them, store, index.

Loading is idempotent and keeps primary keys (measure ids, unit names), so that what other apps
hang on a measure — tasks, findings, citations — survives a reload.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from openftz.core.errors import OpenFTZError
from openftz.core.findings import Finding, Severity

from . import align, rules, search
from .models import Chapter, CrosswalkLink, Measure, MeasureUnit, Plan, Section, Unit
from .overlay import Overlay, load_overlay
from .parser import PlanDocument, parse_plan

PLANS_DIR = Path(__file__).resolve().parents[2] / "data" / "plans"
PLAN_FILES = {"SC": "state-council-plan-2023.txt", "SH": "shanghai-implementation-plan-2024.txt"}
NATIONAL, LOCAL = "SC", "SH"


class RulebookError(OpenFTZError):
    code = "rulebook_invalid"


@dataclass
class LoadReport:
    plans: dict[str, int] = field(default_factory=dict)
    units: int = 0
    links: int = 0
    findings: list[Finding] = field(default_factory=list)


def parse_plans(plans_dir: Path = PLANS_DIR) -> dict[str, tuple[PlanDocument, bytes]]:
    out = {}
    for code, name in PLAN_FILES.items():
        raw = (plans_dir / name).read_bytes()
        out[code] = (parse_plan(raw, plan=code), raw)
    return out


def aligner_items(doc: PlanDocument) -> list[align.Item]:
    return align.with_positions((m.id, m.text, m.chapter_title) for m in doc.measures)


def check(docs: dict[str, PlanDocument], overlay: Overlay) -> list[Finding]:
    sh_ids = [m.id for m in docs[LOCAL].measures]
    sc_ids = [m.id for m in docs[NATIONAL].measures]
    findings = rules.crosswalk_findings(sh_ids, sc_ids, overlay.crosswalk)
    findings += rules.coverage_findings(sh_ids, overlay.classification, "classification.yaml")
    findings += rules.coverage_findings(sh_ids + sc_ids, overlay.titles.get("measures", {}), "titles.yaml")
    printed = {u for m in docs[LOCAL].measures for u in m.units}
    findings += rules.unit_findings(printed, [u["name"] for u in overlay.units])
    return findings


@transaction.atomic
def rulebook_load(*, plans_dir: Path = PLANS_DIR, overlay: Overlay | None = None) -> LoadReport:
    """Parse, check and store both plans with the overlay; nothing is written if a check fails."""
    parsed = parse_plans(plans_dir)
    docs = {code: doc for code, (doc, _) in parsed.items()}
    overlay = overlay or load_overlay()
    findings = check(docs, overlay)
    violations = [f for f in findings if f.severity == Severity.VIOLATION]
    if violations:
        raise RulebookError(
            f"规则库审定数据与方案不一致({len(violations)} 处)",
            f"the rulebook overlay does not fit the plans ({len(violations)} problems): "
            + "; ".join(f.message_en for f in violations[:5]),
            details=[f.as_dict() for f in violations],
        )
    report = LoadReport(findings=findings)
    units = _store_units(overlay)
    report.units = len(units)
    titles = overlay.titles
    for code, (doc, raw) in parsed.items():
        plan = _store_plan(code, doc, raw, titles)
        report.plans[code] = _store_measures(plan, doc, overlay, units)
    report.links = _store_crosswalk(docs, overlay)
    search.index_rebuild()
    return report


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _store_units(overlay: Overlay) -> dict[str, Unit]:
    units = {}
    for entry in overlay.units:
        unit, _ = Unit.objects.update_or_create(
            name=entry["name"],
            defaults={
                "full_name_zh": entry.get("full_name_zh", ""),
                "name_en": entry.get("name_en", ""),
                "kind": entry.get("kind", ""),
                "aliases": list(entry.get("aliases") or []),
            },
        )
        units[unit.name] = unit
    for entry in overlay.units:
        same = entry.get("same_body_as")
        unit = units[entry["name"]]
        unit.same_body_as = units.get(same) if same else None
        unit.full_clean()
        unit.save(update_fields=["same_body_as"])
    return units


def _store_plan(code: str, doc: PlanDocument, raw: bytes, titles: dict) -> Plan:
    plan, _ = Plan.objects.update_or_create(
        code=code,
        defaults={
            "doc_number": doc.doc_number or "",
            "title": doc.title or "",
            "title_en": (titles.get("plans") or {}).get(code, ""),
            "notice_title": doc.notice_title or "",
            "issuer": doc.issuer or "",
            "issuer_en": (titles.get("issuers") or {}).get(doc.issuer or "", ""),
            "kind": doc.kind or "",
            "signed_on": _date(doc.signed_on),
            "printed_on": _date(doc.printed_on),
            "preamble": doc.preamble,
            "source_file": PLAN_FILES[code],
            "source_sha256": hashlib.sha256(raw).hexdigest(),
        },
    )
    return plan


def _store_measures(plan: Plan, doc: PlanDocument, overlay: Overlay, units: dict[str, Unit]) -> int:
    chapter_titles = (overlay.titles.get("chapters") or {}).get(plan.code, {})
    section_titles = (overlay.titles.get("sections") or {}).get(plan.code, {})
    measure_titles = overlay.titles.get("measures") or {}
    chapters: dict[int, Chapter] = {}
    sections: dict[tuple[int, int], Section] = {}
    for ch in doc.chapters:
        chapters[ch.number], _ = Chapter.objects.update_or_create(
            plan=plan, number=ch.number,
            defaults={"title": ch.title, "intro": ch.intro, "title_en": chapter_titles.get(ch.number, "")},
        )
        for sec in ch.sections:
            sections[(ch.number, sec.number)], _ = Section.objects.update_or_create(
                chapter=chapters[ch.number], number=sec.number,
                defaults={"title": sec.title, "intro": sec.intro, "title_en": section_titles.get(f"{ch.number}.{sec.number}", "")},
            )
    for position, m in enumerate(doc.measures, start=1):
        cls = overlay.classification.get(m.id) or {}
        title_en = measure_titles.get(m.id, "")
        measure, _ = Measure.objects.update_or_create(
            id=m.id,
            defaults={
                "plan": plan,
                "number": m.number,
                "position": position,
                "chapter": chapters.get(m.chapter) if m.chapter else None,
                "section": sections.get((m.chapter, m.section)) if m.section else None,
                "text": m.text,
                "responsibility": m.responsibility or "",
                "title_en": title_en,
                "classification": cls.get("class", ""),
                "classification_reason": cls.get("why", ""),
                "search_text": search.search_text(m.id, m.text, title_en, m.units),
            },
        )
        MeasureUnit.objects.filter(measure=measure).delete()
        MeasureUnit.objects.bulk_create(
            MeasureUnit(
                measure=measure, unit=units[name], position=i, is_lead=(name == m.lead_unit), leading=(name in m.leads)
            )
            for i, name in enumerate(m.units)
        )
    return len(doc.measures)


def _store_crosswalk(docs: dict[str, PlanDocument], overlay: Overlay) -> int:
    scores = align.score_matrix(aligner_items(docs[LOCAL]), aligner_items(docs[NATIONAL]))
    CrosswalkLink.objects.all().delete()
    links = [
        CrosswalkLink(sh_id=sh, sc_id=sc, rank=rank, aligner_score=round(scores[(sh, sc)][0], 4))
        for sh, targets in overlay.crosswalk.items()
        for rank, sc in enumerate(targets)
    ]
    CrosswalkLink.objects.bulk_create(links)
    return len(links)
