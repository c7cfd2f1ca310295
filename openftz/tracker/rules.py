"""Pure decisions of the tracker: default progress, red/amber/green, roll-up, risk levels, award ranking.

Plain values in, plain values out; the numbers come from data/parameters/tracker.yaml.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openftz.core.citations import cites
from openftz.rulebook.rules import add_months

# Default progress a status carries (Decidim-style); None keeps the progress the task already had.
DEFAULT_PROGRESS: dict[str, int | None] = {
    "not_started": 0,
    "drafting_rules": 30,
    "awaiting_approval": 60,
    "in_force": 100,
    "suspended": None,
    "terminated": None,
}
ADVANCE = ["not_started", "drafting_rules", "awaiting_approval", "in_force"]
STOPPED = ("suspended", "terminated")

RAG_CITES = cites("SH-113", "SC-closing")
RISK_CITES = cites("SC-75", "SH-107", "SC-76", "SH-108")
AWARD_CITES = cites("SH-117", "SC-closing")
STOP_CITES = cites("SC-75", "SH-107")


def stops_or_resumes(current: str, new: str) -> bool:
    """Whether moving a task from ``current`` to ``new`` suspends, terminates or resumes it: the adjustment, suspension
    or termination of a pilot (调整、暂缓或终止) follows a risk assessment (SC-75) and is not a unit's progress update (``STOP_CITES``)."""
    return new != current and (new in STOPPED or current in STOPPED)


def progress_for(status: str, current: int) -> int:
    default = DEFAULT_PROGRESS[status]
    return current if default is None else default


@dataclass(frozen=True)
class RagResult:
    rag: str  # green | amber | red | grey
    reasons: tuple[tuple[str, str], ...]  # (zh, en)


def task_rag(*, status: str, due: dt.date | None, today: dt.date, last_report: dt.date | None,
             started: dt.date, cadence_months: int, grace_days: int, amber_days: int) -> RagResult:
    """Red / amber / green of one task on ``today`` (SH-113 deadlines, reporting cadence).

    grey: suspended or terminated; green: in force; red: past its deadline; amber: deadline within
    ``amber_days``, or no report for longer than the cadence plus grace; otherwise green.
    """
    if status in STOPPED:
        label = "已暂缓" if status == "suspended" else "已终止"
        return RagResult("grey", ((label, status),))
    if status == "in_force":
        return RagResult("green", (("已实施", "in force"),))
    reasons: list[tuple[str, str]] = []
    rag = "green"
    if due is not None and today > due:
        days = (today - due).days
        return RagResult("red", ((f"已逾期 {days} 天(期限 {due.isoformat()})", f"overdue by {days} days (due {due.isoformat()})"),))
    if due is not None and (due - today).days <= amber_days:
        days = (due - today).days
        rag = "amber"
        reasons.append((f"距期限 {days} 天", f"{days} days to the deadline {due.isoformat()}"))
    report_due = next_report_due(last_report=last_report, started=started, cadence_months=cadence_months)
    if (today - report_due).days > grace_days:
        rag = "amber"
        reasons.append((f"进展报告逾期(应于 {report_due.isoformat()} 前报送)", f"progress report overdue (was due {report_due.isoformat()})"))
    if not reasons:
        reasons.append(("按计划推进", "on track"))
    return RagResult(rag, tuple(reasons))


def next_report_due(*, last_report: dt.date | None, started: dt.date, cadence_months: int) -> dt.date:
    return add_months(last_report or started, cadence_months)


def rollup(parts: Iterable[tuple[int, float]]) -> int:
    """Weighted mean progress of (progress, weight) pairs, rounded; 0 when there is nothing to weigh."""
    parts = [(p, w) for p, w in parts if w > 0]
    total = sum(w for _, w in parts)
    return round(sum(p * w for p, w in parts) / total) if total else 0


def measure_progress(tasks: Sequence[tuple[int, str, bool]], *, lead_weight: float) -> int:
    """A Shanghai measure's progress from its tasks (progress, status, is_lead); terminated tasks do not count."""
    return rollup((p, lead_weight if lead else 1.0) for p, status, lead in tasks if status != "terminated")


# A measure's stages in order; "in_progress" (推进中) is a measure's only, when some of its tasks have started and
# others not: neither "not started" nor any one task's stage describes it.
MEASURE_ORDER = ["not_started", "in_progress", "drafting_rules", "awaiting_approval", "in_force"]


def measure_status(tasks: Sequence[str | tuple[str, int]]) -> str:
    """A measure's status from its tasks' (status, or (status, progress)): suspended when any is, terminated when all
    are; otherwise, of the tasks still running, "not_started" only when none has started (no status past it and no
    progress), "in_progress" when some have and some have not, else the least advanced stage among them.

    So a measure never shows "not started" beside a rolled-up progress above 0 (``measure_progress``).
    """
    items = [(t, 0) if isinstance(t, str) else (t[0], t[1] or 0) for t in tasks]
    statuses = [s for s, _ in items]
    if not items:
        return "not_started"
    if "suspended" in statuses:
        return "suspended"
    active = [(s, p) for s, p in items if s not in STOPPED]
    if not active:
        return "terminated"
    started = [s for s, p in active if s != "not_started" or p > 0]
    if not started:
        return "not_started"
    if len(started) < len(active) or "not_started" in started:
        return "in_progress"
    return min(started, key=MEASURE_ORDER.index)


def risk_level(likelihood: int, impact: int, *, warning_score: int) -> str:
    """high / medium / low on the 5 × 5 matrix; high from the early-warning score (SC-76, SH-108)."""
    score = likelihood * impact
    if score >= warning_score:
        return "high"
    return "medium" if score >= warning_score // 2 else "low"


@dataclass(frozen=True)
class CaseRank:
    case_id: int
    mean_total: float
    originality: float
    industry_impact: float
    market_perception: float
    reviewers: int


def rank_cases(scores: Iterable[tuple[int, int, int, int]]) -> list[CaseRank]:
    """Rank innovation cases (SH-117) by the mean over reviewers of 首创性 + 行业影响力 + 市场感受度.

    Input rows are (case id, originality, industry impact, market perception); ties go to the case with
    the higher originality, then more reviewers.
    """
    by_case: dict[int, list[tuple[int, int, int]]] = {}
    for case_id, o, i, m in scores:
        by_case.setdefault(case_id, []).append((o, i, m))
    ranked = []
    for case_id, rows in by_case.items():
        n = len(rows)
        o = sum(r[0] for r in rows) / n
        i = sum(r[1] for r in rows) / n
        m = sum(r[2] for r in rows) / n
        ranked.append(CaseRank(case_id, round(o + i + m, 2), round(o, 2), round(i, 2), round(m, 2), n))
    ranked.sort(key=lambda r: (-r.mean_total, -r.originality, -r.reviewers, r.case_id))
    return ranked
