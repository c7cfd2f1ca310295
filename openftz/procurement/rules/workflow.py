"""Pure decisions of the procurement workflow (采购流程): methods, challenges, debriefing, exclusion, retention.

Plain data in, a decision with its Findings out; no ORM, no HTTP. The legal numbers come in as arguments (the
services read them from ``data/parameters/procurement.yaml``), so every decision can be tested as data.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from openftz.core.findings import Finding, Severity
from .remedies import challenge_last_day

GROUNDS_FILE = Path(__file__).resolve().parents[3] / "data" / "procurement" / "sh72-grounds.yaml"
METHODS = ("open", "selective", "limited")


@cache
def limited_grounds() -> dict:
    """The SH-72 grounds for a limited procedure: ``{"scheme": …, "grounds": {code: {zh, en}}}``."""
    return yaml.safe_load(GROUNDS_FILE.read_text(encoding="utf-8"))


def method_findings(method: str, rationale_codes: list[str]) -> list[Finding]:
    """Open competition is the rule; a limited procedure needs one of the SH-72 grounds (SH-72, SC-48)."""
    cites = ("SH-72", "SC-48")
    if method not in METHODS:
        return [Finding.of("PW-METHOD", Severity.VIOLATION, f"采购方式 {method!r} 无效(公开、有限或单一来源)",
                           f"procurement method {method!r} is not open, selective or limited", cites=cites,
                           path="tender.procurementMethod")]
    grounds = limited_grounds()["grounds"]
    unknown = [c for c in rationale_codes if c not in grounds]
    if unknown:
        return [Finding.of("PW-GROUND-UNKNOWN", Severity.VIOLATION, f"未知的单一来源理由 {unknown}",
                           f"unknown SH-72 grounds {unknown} (known: {sorted(grounds)})", cites=cites,
                           path="tender.procurementMethodRationaleClassifications")]
    if method == "limited" and not rationale_codes:
        return [Finding.of("PW-GROUND-MISSING", Severity.VIOLATION, "单一来源采购须说明第72条所列情形",
                           "a limited procedure must state one of the SH-72 grounds", cites=cites,
                           path="tender.procurementMethodRationaleClassifications")]
    if method != "limited" and rationale_codes:
        return [Finding.of("PW-GROUND-NOT-LIMITED", Severity.VIOLATION, "只有单一来源采购才说明第72条情形",
                           "SH-72 grounds belong to limited procedures only", cites=cites,
                           path="tender.procurementMethodRationaleClassifications")]
    return []


# — the pre-qualification notice of a selective procedure (资格预审公告, SH-73, SC-49)
PREQUALIFICATION_ITEMS = (
    # (key, zh, en, where in OCDS)
    ("entity_name", "采购人名称", "Name of the procuring entity", "parties[procuringEntity].name"),
    ("entity_address", "采购人地址", "Address of the procuring entity", "parties[procuringEntity].address"),
    ("entity_contact", "联系方式", "Contact for the procurement documents", "parties[procuringEntity].contactPoint"),
    ("fees", "费用和付款条件", "Fees and terms of payment", "tender.participationFees"),
    ("items", "拟采购货物或服务的性质、数量及说明", "Nature, quantity and description of the goods or services", "tender.items"),
    ("submission_address", "提交参加采购请求的地址", "Address for requests to participate", "tender.submissionMethodDetails"),
    ("submission_deadline", "提交参加采购请求的最后日期", "Deadline for requests to participate", "tender.tenderPeriod.endDate"),
    ("conditions", "资格要求(条件清单及须提交的文件或证书)", "Conditions for participation, with the documents or certificates required", "tender.eligibilityCriteria"),
)


def prequalification_items(release: dict) -> list[tuple[str, str, str, bool]]:
    """Which SH-73 items a (compiled) release carries: ``[(key, zh, en, present)]``."""
    tender = release.get("tender") or {}
    entity = next((p for p in release.get("parties") or [] if "procuringEntity" in (p.get("roles") or [])), {})
    present = {
        "entity_name": bool(entity.get("name")),
        "entity_address": bool(entity.get("address")),
        "entity_contact": bool(entity.get("contactPoint")),
        "fees": bool(tender.get("participationFees")),
        "items": bool(tender.get("items")),
        "submission_address": bool(tender.get("submissionMethodDetails")),
        "submission_deadline": bool((tender.get("tenderPeriod") or {}).get("endDate")),
        "conditions": bool(tender.get("eligibilityCriteria")),
    }
    return [(key, zh, en, present[key]) for key, zh, en, _ in PREQUALIFICATION_ITEMS]


def prequalification_findings(release: dict) -> list[Finding]:
    """A selective procedure's notice must carry every SH-73 item, and the limit on candidates with its criteria."""
    findings = [
        Finding.of("PW-PREQ-ITEM", Severity.VIOLATION, f"资格预审公告缺少:{zh}", f"the pre-qualification notice lacks: {en}",
                   cites=("SH-73", "SC-49"), path=path)
        for (key, zh, en, present), (_, _, _, path) in zip(prequalification_items(release), PREQUALIFICATION_ITEMS)
        if not present
    ]
    second = (release.get("tender") or {}).get("secondStage") or {}
    if second.get("maximumCandidates") is not None and not second.get("description"):
        findings.append(Finding.of("PW-PREQ-LIMIT", Severity.VIOLATION, "限制合格供应商数量时须说明选择标准",
                                   "limiting the number of qualified suppliers needs the selection criteria",
                                   cites=("SH-73", "SC-49"), path="tender.secondStage.description"))
    return findings


# — challenges (质疑, SH-86, SC-61) and their review (SH-85, SC-60)
@dataclass(frozen=True)
class Timeliness:
    late: bool
    deadline: dt.date
    findings: tuple[Finding, ...] = field(default=())


def challenge_timeliness(*, knew_on: dt.date, filed_on: dt.date, window_days: int, extend_past_rest_days: bool = True) -> Timeliness:
    """Was the challenge filed within ``window_days`` of the day the supplier knew or should have known?

    Both dates are Asia/Shanghai calendar days. The day of knowledge is not counted (民法典 Art. 201: 开始的当日不计入),
    so knowledge on 1 March and a 10-day window give 11 March as the last day; a last day that is a rest day moves to
    the next working day (民法典 Art. 203; 财政部令第94号 Art. 42), as ``remedies.challenge_last_day`` counts it for the
    checker too.
    """
    cites = ("SH-86", "SC-61")
    if knew_on > filed_on:
        return Timeliness(False, knew_on + dt.timedelta(days=window_days), (Finding.of(
            "PW-CHALLENGE-KNEW-FUTURE", Severity.VIOLATION, "知道权益受损的日期不能晚于提出质疑的日期",
            "the day the supplier knew of the harm cannot be after the day it files", cites=cites, path="knew_on"),))
    deadline = challenge_last_day(knew_on, window_days, extend_past_rest_days)[0]
    if filed_on > deadline:
        return Timeliness(True, deadline, (Finding.of(
            "PW-CHALLENGE-LATE", Severity.WARNING,
            f"质疑逾期:应在 {deadline.isoformat()} 前提出(知道之日起 {window_days} 日内),于 {filed_on.isoformat()} 提出",
            f"late: the last day was {deadline.isoformat()} ({window_days} days from knowledge), filed {filed_on.isoformat()}",
            cites=cites, path="knew_on"),))
    return Timeliness(False, deadline, (Finding.of(
        "PW-CHALLENGE-IN-TIME", Severity.INFO, f"在期限内提出(最后一日 {deadline.isoformat()})",
        f"filed in time (last day {deadline.isoformat()})", cites=cites, path="knew_on"),))


EVIDENCE_TYPES = {  # extension → (content type, the bytes its content starts with)
    ".pdf": ("application/pdf", b"%PDF-"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".txt": ("text/plain; charset=utf-8", b""),
}


def evidence_check(*, name: str, content: bytes, max_bytes: int) -> tuple[str | None, list[Finding]]:
    """The content type of an evidence file of a challenge, or None with the reason it is refused (SH-86: 书面)."""
    cites = ("SH-86",)
    ext = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""

    def refuse(rule, zh, en):
        return None, [Finding.of(rule, Severity.VIOLATION, zh, en, cites=cites, path="evidence")]

    if not content:
        return refuse("PW-EVIDENCE-EMPTY", f"证明材料文件为空:{name}", f"the evidence file {name} is empty")
    if len(content) > max_bytes:
        return refuse("PW-EVIDENCE-SIZE", f"证明材料超过 {max_bytes // 1048576} MB:{name}",
                      f"the evidence file {name} is larger than {max_bytes // 1048576} MB")
    if ext not in EVIDENCE_TYPES:
        return refuse("PW-EVIDENCE-TYPE", f"不接受此类文件:{name}", f"evidence must be PDF, PNG, JPEG or UTF-8 text: {name}")
    content_type, magic = EVIDENCE_TYPES[ext]
    if not content.startswith(magic):
        return refuse("PW-EVIDENCE-CONTENT", f"文件内容与类型不符:{name}", f"the content of {name} is not a {ext} file")
    if ext == ".txt":
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return refuse("PW-EVIDENCE-TEXT", f"文本文件须为 UTF-8:{name}", f"text evidence must be UTF-8: {name}")
    return content_type, []


CHALLENGE_STATUSES = ("filed", "accepted", "rejected_late", "rejected_inadmissible", "upheld", "dismissed", "withdrawn")
FINAL_CHALLENGE_STATUSES = ("rejected_late", "rejected_inadmissible", "upheld", "dismissed", "withdrawn")
# action → (statuses it may start from, the status it leads to)
CHALLENGE_TRANSITIONS = {
    "accept": (("filed",), "accepted"),
    "reject_late": (("filed",), "rejected_late"),
    "reject_inadmissible": (("filed",), "rejected_inadmissible"),
    "uphold": (("accepted",), "upheld"),
    "dismiss": (("accepted",), "dismissed"),
    "withdraw": (("filed", "accepted"), "withdrawn"),
}


def challenge_transition(*, status: str, action: str, late: bool) -> tuple[str | None, tuple[Finding, ...]]:
    """The status an action leads to, or None with the reason it is refused (SH-85, SH-86).

    A late challenge stays on record but can only be rejected as late (or withdrawn); one filed in time cannot be
    rejected as late.
    """
    cites = ("SH-85", "SH-86")
    if action not in CHALLENGE_TRANSITIONS:
        return None, (Finding.of("PW-CHALLENGE-ACTION", Severity.VIOLATION, f"未知的操作 {action}", f"unknown action {action}",
                                 cites=cites, path="action"),)
    sources, target = CHALLENGE_TRANSITIONS[action]
    if status not in sources:
        return None, (Finding.of("PW-CHALLENGE-STATE", Severity.VIOLATION, f"质疑处于“{status}”状态,不能执行“{action}”",
                                 f"a challenge that is {status} cannot be given {action}", cites=cites, path="status"),)
    if late and action in ("accept", "reject_inadmissible"):
        return None, (Finding.of("PW-CHALLENGE-LATE-ONLY", Severity.VIOLATION, "逾期质疑只能以逾期为由不予受理",
                                 "a late challenge can only be rejected as late", cites=cites, path="action"),)
    if not late and action == "reject_late":
        return None, (Finding.of("PW-CHALLENGE-NOT-LATE", Severity.VIOLATION, "该质疑在期限内提出,不能以逾期为由不予受理",
                                 "the challenge was filed in time: it cannot be rejected as late", cites=cites, path="action"),)
    return target, ()


# — debriefing (未中标理由答复, SH-80, SC-56)
def debriefing_eligibility(*, supplier: str, tenderers: list[str], awarded: list[str], has_award: bool) -> tuple[Finding, ...]:
    """Only an unsuccessful tenderer of a procedure that has been awarded may ask why (SH-80)."""
    cites = ("SH-80", "SC-56")
    if not has_award:
        return (Finding.of("PW-DEBRIEF-NO-AWARD", Severity.VIOLATION, "该采购尚未公布中标、成交结果",
                           "the procedure has no award yet", cites=cites, path="procedure"),)
    if supplier not in tenderers:
        return (Finding.of("PW-DEBRIEF-NOT-TENDERER", Severity.VIOLATION, "该供应商未参加本次采购的投标",
                           "the supplier did not tender in this procedure", cites=cites, path="supplier"),)
    if supplier in awarded:
        return (Finding.of("PW-DEBRIEF-SUCCESSFUL", Severity.VIOLATION, "该供应商已中标、成交",
                           "the supplier was awarded the contract", cites=cites, path="supplier"),)
    return ()


def debriefing_due(*, requested_on: dt.date, answer_days: int) -> dt.date:
    """The last day for the procuring entity's answer (Asia/Shanghai calendar days; operational rule, SH-80)."""
    return requested_on + dt.timedelta(days=answer_days)


def debriefing_overdue(*, due_on: dt.date, answered_on: dt.date | None, today: dt.date) -> bool:
    return (answered_on or today) > due_on


def confidential_disclosures(*, answer: str, items: list[tuple[str, str]], requester: str,
                             names: dict[str, str] | None = None) -> list[Finding]:
    """Items another supplier's tender holds as trade secrets that the answer would disclose (SH-80: 不得涉及商业秘密).

    ``items`` are ``(supplier, text)`` pairs the procuring entity marked confidential; the requester's own items are
    its own to know. The match ignores case and whitespace. ``names`` gives the suppliers' names for the messages.
    """
    names = names or {}
    def squeeze(text: str) -> str:
        return "".join(text.split()).casefold()

    body = squeeze(answer)
    return [
        Finding.of("PW-DEBRIEF-SECRET", Severity.VIOLATION, f"答复涉及供应商 {names.get(supplier, supplier)} 的商业秘密:“{text}”",
                   f"the answer discloses a trade secret of supplier {names.get(supplier, supplier)}: “{text}”",
                   cites=("SH-80", "SC-56"), path="answer")
        for supplier, text in items
        if supplier != requester and squeeze(text) and squeeze(text) in body
    ]


# — exclusion for a material breach (拒绝参与, SH-78, SC-54)
def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class ExclusionDecision:
    allowed: bool
    findings: tuple[Finding, ...]


def exclusion_decision(*, breach_on: dt.date, procedure_started_on: dt.date, grounds_stated: bool, remedied: bool,
                       material: bool, breach_entity: str, procuring_entity: str, related_entities: frozenset[str],
                       lookback_years: int) -> ExclusionDecision:
    """May the procuring entity exclude a supplier for this breach from this procedure? (SH-78, SC-54)

    Every condition of SH-78 must hold: a material breach (重大实质性违约) not remedied in time, in a procurement
    contract with the procuring entity or a unit in a management relation with it, within ``lookback_years`` before the
    procedure, and the ground stated in the procedure's documents (应当在采购文件中载明).
    """
    cites = ("SH-78", "SC-54")
    refusals = []
    earliest = years_before(procedure_started_on, lookback_years)
    if not material:
        refusals.append(("PW-EXCL-NOT-MATERIAL", "违约并非重大实质性违约", "the breach is not a material breach", "material"))
    if remedied:
        refusals.append(("PW-EXCL-REMEDIED", "供应商已及时采取合理补救措施", "the supplier remedied the breach in time", "remedied"))
    if breach_on > procedure_started_on:
        refusals.append(("PW-EXCL-AFTER", "违约发生在本次采购活动之后", "the breach is after the procedure started", "breach_on"))
    elif breach_on < earliest:
        refusals.append(("PW-EXCL-TOO-OLD", f"违约发生在采购活动前 {lookback_years} 年以前({earliest.isoformat()} 之前)",
                         f"the breach is more than {lookback_years} years before the procedure (before {earliest.isoformat()})",
                         "breach_on"))
    if breach_entity != procuring_entity and breach_entity not in related_entities:
        refusals.append(("PW-EXCL-OTHER-ENTITY", "违约合同的采购人既非本采购人,也非与其存在管理关系的单位",
                         "the breached contract was neither with this procuring entity nor with a unit in a management relation to it",
                         "entity"))
    if not grounds_stated:
        refusals.append(("PW-EXCL-NOT-STATED", "采购文件未载明该拒绝参与的情形", "the procurement documents do not state this ground",
                         "exclusion_grounds_stated"))
    if refusals:
        return ExclusionDecision(False, tuple(Finding.of(r, Severity.VIOLATION, zh, en, cites=cites, path=p) for r, zh, en, p in refusals))
    return ExclusionDecision(True, (Finding.of(
        "PW-EXCL-ALLOWED", Severity.INFO, f"可以拒绝其参与:{breach_on.isoformat()} 的重大违约在 {lookback_years} 年内且采购文件已载明",
        f"exclusion allowed: the material breach of {breach_on.isoformat()} is within {lookback_years} years and the documents state the ground",
        cites=cites),))


# — records kept 15 years from the end of the procurement (SH-81, SC-57)
def retain_until(*, ended_on: dt.date, retention_years: int) -> dt.date:
    """The first day a record of a procurement that ended on ``ended_on`` may be destroyed."""
    return years_after(ended_on, retention_years)


def deletion_findings(*, retain_until_on: dt.date | None, today: dt.date) -> list[Finding]:
    """Why a procedure record may not be destroyed yet, or [] if it may (SH-81: 不得…销毁, 至少保存15年)."""
    cites = ("SH-81", "SC-57")
    if retain_until_on is None:
        return [Finding.of("PW-RETAIN-OPEN", Severity.VIOLATION, "采购尚未结束,采购记录不得删除",
                           "the procurement has not ended: its records cannot be deleted", cites=cites)]
    if today < retain_until_on:
        return [Finding.of("PW-RETAIN-PERIOD", Severity.VIOLATION, f"采购记录须保存至 {retain_until_on.isoformat()}",
                           f"the records must be kept until {retain_until_on.isoformat()}", cites=cites)]
    return []
