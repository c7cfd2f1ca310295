"""Reads of the tracker for pages, the API and the CLI: tasks, roll-ups, dashboards, the public view."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from openftz.core.errors import NotFound
from openftz.core.parameters import parameter
from openftz.rulebook.models import Chapter, CrosswalkLink, Measure, Unit
from openftz.rulebook.selectors import unit_find

from . import rules
from .models import (
    CaseScore, Change, DataVersion, DemoMark, Evidence, Feedback, InnovationCase, Milestone, Rag, Report, Risk, Status, Task,
)
from .permissions import visible_feedback, visible_risks, visible_tasks


def tasks(*, user=None, measure: str | None = None, unit: str | None = None, status: str | None = None,
          rag: str | None = None, chapter: int | None = None, due: str | None = None) -> QuerySet[Task]:
    """Tasks a user may see (a unit officer: its own unit's), filtered; ``due`` is a deadline (YYYY-MM-DD), "none"
    (no deadline of its own) or "past" (a deadline before today)."""
    qs = Task.objects.select_related("measure", "measure__chapter", "unit", "assignee")
    if user is not None:
        qs = qs.filter(visible_tasks(user))
    if measure:
        qs = qs.filter(measure_id=measure.upper())
    if unit:
        qs = qs.filter(unit=unit_find(unit))
    if status:
        qs = qs.filter(status=status)
    if rag:
        qs = qs.filter(rag=rag)
    if chapter:
        qs = qs.filter(measure__chapter__number=chapter)
    if due == "none":
        qs = qs.filter(due=None)
    elif due == "past":
        qs = qs.filter(due__lt=timezone.localdate())
    elif due:
        try:
            qs = qs.filter(due=dt.date.fromisoformat(due))
        except ValueError:
            qs = qs.none()
    return qs.order_by("measure__position", "-is_lead", "unit__name")


def task_filter_options(*, user) -> dict:
    """What the task list can be filtered by, from the tasks this user may see: their units, chapters and deadlines."""
    visible = Task.objects.filter(visible_tasks(user))
    return {
        "units": list(Unit.objects.filter(tasks__in=visible).distinct().order_by("name")),
        "chapters": list(Chapter.objects.filter(plan="SH", measures__tasks__in=visible).distinct().order_by("number")),
        "deadlines": sorted(d for d in visible.exclude(due=None).values_list("due", flat=True).distinct()),
    }


def units_by_name() -> dict:
    """Every responsible unit by its Chinese name (pages show the English name on English pages)."""
    return {u.name: u for u in Unit.objects.all()}


def last_updated() -> dt.datetime | None:
    """When the tracker's data last changed: the latest write recorded in its history (an accepted report, a task
    update, a disposition …)."""
    return Change.objects.order_by("-at").values_list("at", flat=True).first()


def public_narratives(measure_id: str | None = None) -> dict[str, dict]:
    """Each Shanghai measure's latest accepted progress report — what the public may see of it: the narrative, its
    date and the unit; never the author, the evidence or a report still under review or returned."""
    out: dict[str, dict] = {}
    accepted = Report.objects.filter(state="accepted")
    if measure_id:
        accepted = accepted.filter(task__measure_id=measure_id)
    rows = (accepted.order_by("task__measure_id", "-reviewed_at", "-id")
            .values_list("task__measure_id", "narrative", "reviewed_at", "task__unit__name", "task__unit__name_en"))
    for mid, narrative, reviewed_at, unit, unit_en in rows:
        out.setdefault(mid, {"narrative": narrative, "at": reviewed_at, "unit": unit, "unit_en": unit_en})
    return out


def task_get(task_id: int) -> Task:
    try:
        return Task.objects.select_related("measure", "measure__plan", "measure__chapter", "unit", "assignee").get(pk=task_id)
    except Task.DoesNotExist:
        raise NotFound(f"没有编号为 {task_id} 的任务", f"there is no task {task_id}", details={"task": task_id}) from None


_task_units: dict[str, dict[int, int]] = {}


def task_scope(task_id: int) -> Task:
    """A task with only its id and unit, enough for the permission check (the map of every task's unit is read once
    per data version and kept in the process, as it is asked for on every task page); NotFound as ``task_get``."""
    version = DataVersion.current()
    units = _task_units.get(version)
    if units is None:
        units = dict(Task.objects.values_list("id", "unit_id"))
        _task_units.clear()  # only the latest version is kept
        _task_units[version] = units
    unit_id = units.get(task_id)
    if unit_id is None:
        raise NotFound(f"没有编号为 {task_id} 的任务", f"there is no task {task_id}", details={"task": task_id})
    return Task(id=task_id, unit_id=unit_id)


def task_reports(task: Task) -> QuerySet[Report]:
    return task.reports.select_related("author", "reviewed_by").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("id"))
    )


def task_history(task: Task) -> QuerySet[Change]:
    """Changes to the task, its reports and milestones, and to the risks of its measure, newest first."""
    risk_ids = list(Risk.objects.filter(measure_id=task.measure_id).values_list("pk", flat=True))
    return (Change.objects.filter(Q(task=task) | Q(entity="risk", entity_id__in=risk_ids))
            .select_related("actor").order_by("-at", "-id"))


def task_milestones(task: Task) -> QuerySet[Milestone]:
    return task.milestones.all()


def report_get(report_id: int) -> Report:
    try:
        return Report.objects.select_related("task", "task__unit", "task__measure", "author").get(pk=report_id)
    except Report.DoesNotExist:
        raise NotFound(f"没有编号为 {report_id} 的报告", f"there is no report {report_id}", details={"report": report_id}) from None


def reports(*, user=None, pending: bool = False) -> QuerySet[Report]:
    """Progress reports, newest first: those of the tasks a user may see (no user: all, for the CLI)."""
    qs = Report.objects.select_related("task", "task__unit", "task__measure", "author").order_by("-submitted_at", "-id")
    if user is not None:
        qs = qs.filter(visible_tasks(user, "task__"))
    return qs.filter(state="submitted") if pending else qs


def milestones(*, user=None) -> QuerySet[Milestone]:
    """Milestones of the tasks a user may see (no user: all)."""
    qs = Milestone.objects.order_by("task_id", "due_on", "id")
    return qs.filter(visible_tasks(user, "task__")) if user is not None else qs


def milestone_get(milestone_id: int) -> Milestone:
    try:
        return Milestone.objects.select_related("task").get(pk=milestone_id)
    except Milestone.DoesNotExist:
        raise NotFound(f"没有编号为 {milestone_id} 的里程碑", f"there is no milestone {milestone_id}",
                       details={"milestone": milestone_id}) from None


def evidence_get(evidence_id: int) -> Evidence:
    """An evidence item with its report and task (for the permission check)."""
    try:
        return Evidence.objects.select_related("report", "report__task").get(pk=evidence_id)
    except Evidence.DoesNotExist:
        raise NotFound(f"没有编号为 {evidence_id} 的证明材料", f"there is no evidence {evidence_id}",
                       details={"evidence": evidence_id}) from None


def reports_to_review() -> QuerySet[Report]:
    return Report.objects.filter(state="submitted").select_related("task", "task__unit", "task__measure", "author").order_by("submitted_at")


def measure_get(measure_id: str) -> Measure:
    wanted = measure_id.strip().upper()
    try:
        return Measure.objects.select_related("plan", "chapter").get(id=wanted if wanted != "SC-CLOSING" else "SC-closing")
    except Measure.DoesNotExist:
        raise NotFound(f"没有编号为 {measure_id} 的措施", f"there is no measure {measure_id}", details={"measure": measure_id}) from None


# — roll-ups ————————————————————————————————————————————————————————————————————————


@dataclass
class MeasureProgress:
    id: str
    plan: str
    number: int | None
    chapter: int | None
    chapter_title: str | None
    title_en: str
    text: str
    progress: int
    status: str
    rag: str
    due: dt.date | None
    units: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)


_RAG_ORDER = {"red": 3, "amber": 2, "green": 1, "grey": 0}


def cached(name: str, compute):
    """``compute()`` once per data version (every tracker write moves it on), for at most five minutes."""
    return cache.get_or_set(f"tracker:{name}:{DataVersion.current()}", compute, 300)


def data_version() -> str:
    return DataVersion.current()


def measure_progress() -> dict[str, MeasureProgress]:
    return cached("measure_progress", _measure_progress)


def _measure_progress() -> dict[str, MeasureProgress]:
    """Progress of every measure: Shanghai measures from their tasks (lead weighted), State Council measures
    as the mean of the Shanghai measures that implement them."""
    weight = parameter("tracker", "lead_task_weight").at(timezone.localdate())
    by_measure: dict[str, list[tuple[int, str, bool, str, dt.date | None, str]]] = defaultdict(list)
    for mid, progress, status, lead, rag, due, unit in Task.objects.values_list(
        "measure_id", "progress", "status", "is_lead", "rag", "due", "unit__name"
    ).order_by("-is_lead", "unit__name"):
        by_measure[mid].append((progress, status, lead, rag, due, unit))
    out: dict[str, MeasureProgress] = {}
    measures = Measure.objects.select_related("chapter").order_by("plan__signed_on", "position")
    for m in measures.filter(plan="SH"):
        rows = by_measure.get(m.id, [])
        rag = max((r[3] for r in rows), key=_RAG_ORDER.get, default="green")
        out[m.id] = MeasureProgress(
            m.id, "SH", m.number, m.chapter.number if m.chapter else None, m.chapter.title if m.chapter else None,
            m.title_en, m.text, rules.measure_progress([(r[0], r[1], r[2]) for r in rows], lead_weight=weight),
            rules.measure_status([(r[1], r[0]) for r in rows]), rag, next((r[4] for r in rows if r[4]), None), [r[5] for r in rows],
        )
    children: dict[str, list[str]] = defaultdict(list)
    for sh, sc in CrosswalkLink.objects.values_list("sh_id", "sc_id").order_by("sh__position", "rank"):
        children[sc].append(sh)
    for m in measures.filter(plan="SC"):
        kids = [out[k] for k in children.get(m.id, []) if k in out]
        out[m.id] = MeasureProgress(
            m.id, "SC", m.number, m.chapter.number if m.chapter else None, m.chapter.title if m.chapter else None,
            m.title_en, m.text, rules.rollup((k.progress, 1.0) for k in kids if k.status != Status.TERMINATED),
            rules.measure_status([k.status for k in kids]), max((k.rag for k in kids), key=_RAG_ORDER.get, default="green"),
            min((k.due for k in kids if k.due), default=None), [], [k.id for k in kids],
        )
    return out


def chapters_progress(progress: dict[str, MeasureProgress]) -> list[dict]:
    rows = []
    for ch in Chapter.objects.filter(plan="SH").order_by("number"):
        members = [p for p in progress.values() if p.plan == "SH" and p.chapter == ch.number]
        if members:
            rows.append({"number": ch.number, "title": ch.title, "title_en": ch.title_en,
                         "progress": rules.rollup((p.progress, 1.0) for p in members), "measures": len(members),
                         "in_force": sum(p.status == Status.IN_FORCE for p in members)})
    return rows


def dashboard() -> dict:
    return cached("dashboard", _dashboard)


def _dashboard() -> dict:
    """Everything the coordinator's dashboard draws, as plain JSON-able data."""
    progress = measure_progress()
    chapters = chapters_progress(progress)
    chapter_numbers = [c["number"] for c in chapters]
    heat: dict[tuple[str, int], list[int]] = defaultdict(list)
    for unit, chapter, value in Task.objects.values_list("unit__name", "measure__chapter__number", "progress"):
        heat[(unit, chapter)].append(value)
    load: dict[str, int] = defaultdict(int)
    for (u, _), values in heat.items():
        load[u] += len(values)
    units = sorted(load, key=lambda u: (-load[u], u))
    heatmap = [[chapter_numbers.index(c), units.index(u), round(sum(v) / len(v))] for (u, c), v in heat.items() if c in chapter_numbers]
    timeline: dict[str, dict[str, int]] = defaultdict(lambda: {"green": 0, "amber": 0, "red": 0, "grey": 0})
    for due, rag in Task.objects.exclude(due=None).values_list("due", "rag"):
        timeline[due.isoformat()][rag] += 1
    overdue = list(
        Task.objects.filter(rag=Rag.RED).select_related("measure", "unit").order_by("due", "measure__position")[:100]
    )
    counts = dict(Task.objects.values_list("rag").annotate(n=Count("id")).values_list("rag", "n"))
    sh = [p for p in progress.values() if p.plan == "SH"]
    return {
        "chapters": chapters,
        "units": units,
        "chapter_labels": [f"{c['number']}. {c['title']}" for c in chapters],
        "heatmap": heatmap,
        "timeline": [{"date": d, **v} for d, v in sorted(timeline.items())],
        "overdue": overdue,
        "rag_counts": {k: counts.get(k, 0) for k in ("green", "amber", "red", "grey")},
        "overall": rules.rollup((p.progress, 1.0) for p in sh if p.status != Status.TERMINATED),
        "in_force": sum(p.status == Status.IN_FORCE for p in sh),
        "measures": len(sh),
        "tasks": sum(counts.values()),
        "to_review": reports_to_review().count(),
    }


def public_progress() -> dict:
    return cached("public_progress", _public_progress)


def _public_progress() -> dict:
    progress = measure_progress()
    sh = [p for p in progress.values() if p.plan == "SH"]
    return {
        "chapters": chapters_progress(progress),
        "measures": sh,
        "national": [p for p in progress.values() if p.plan == "SC"],
        "overall": rules.rollup((p.progress, 1.0) for p in sh if p.status != Status.TERMINATED),
        "suspended": [p for p in sh if p.status == Status.SUSPENDED],
        "feedback": list(published_feedback()[:20]),
        "narratives": public_narratives(),
        "updated": last_updated(),
    }


def measures_filtered(measures: list[MeasureProgress], *, chapter: str | None = None, unit: str | None = None,
                      status: str | None = None) -> list[MeasureProgress]:
    """The measures of the public page in one chapter (number), with one responsible unit (Chinese name) and of
    one rolled-up status; a filter left None keeps every measure."""
    return [m for m in measures
            if (not chapter or str(m.chapter) == str(chapter)) and (not unit or unit in m.units)
            and (not status or m.status == status)]


def measure_public(measure_id: str) -> dict:
    m = measure_get(measure_id)
    progress = measure_progress()[m.id]
    stopping = Risk.objects.filter(measure=m, disposition__in=["suspend", "terminate"]).order_by("-updated_at").first()
    return {
        "measure": m, "progress": progress, "stopping_risk": stopping, "narrative": public_narratives(m.id).get(m.id),
        "tasks": Task.objects.filter(measure=m).select_related("unit").order_by("-is_lead", "unit__name"),
        "feedback": published_feedback().filter(measure=m),
    }


# — risks, cases, feedback ———————————————————————————————————————————————————————————————


def risks(*, user=None, measure: str | None = None) -> QuerySet[Risk]:
    """The risk register (to a user: as much of it as the user may see)."""
    qs = Risk.objects.select_related("measure", "raised_by")
    if user is not None:
        qs = qs.filter(visible_risks(user))
    return qs.filter(measure_id=measure.upper()) if measure else qs


def measures_by_id(ids) -> list[Measure]:
    """The measures of these ids (unknown ids left out)."""
    return list(Measure.objects.filter(id__in=list(ids)))


def measure_ids() -> set[str]:
    return set(Measure.objects.values_list("id", flat=True))


def users_by_name() -> dict:
    """Every user by user name (the Excel import names assignees by user name)."""
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.all()}


def risk_get(risk_id: int) -> Risk:
    try:
        return Risk.objects.select_related("measure").get(pk=risk_id)
    except Risk.DoesNotExist:
        raise NotFound(f"没有编号为 {risk_id} 的风险", f"there is no risk {risk_id}", details={"risk": risk_id}) from None


def cases_ranked() -> list[tuple[InnovationCase, rules.CaseRank | None]]:
    ranks = {r.case_id: r for r in rules.rank_cases(CaseScore.objects.values_list("case_id", "originality", "industry_impact", "market_perception"))}
    cases = {c.pk: c for c in InnovationCase.objects.prefetch_related("measures")}
    ordered = [(cases[r.case_id], r) for r in ranks.values() if r.case_id in cases]
    ordered.sort(key=lambda pair: list(ranks).index(pair[0].pk))
    ordered += [(c, None) for pk, c in cases.items() if pk not in ranks]
    return ordered


def case_get(case_id: int) -> InnovationCase:
    try:
        return InnovationCase.objects.get(pk=case_id)
    except InnovationCase.DoesNotExist:
        raise NotFound(f"没有编号为 {case_id} 的案例", f"there is no case {case_id}", details={"case": case_id}) from None


def feedback_for(user) -> QuerySet[Feedback]:
    """Feedback a user deals with: an enterprise its own, a unit officer its measures', the coordinator all
    (``permissions.visible_feedback``)."""
    return Feedback.objects.select_related("measure", "author", "answered_by").filter(visible_feedback(user)).distinct()


def feedback_list(*, published_only: bool = False) -> QuerySet[Feedback]:
    """Every feedback item, newest first (the CLI: run by whoever runs the server)."""
    qs = Feedback.objects.select_related("measure").order_by("-created_at")
    return qs.filter(published=True) if published_only else qs


def published_feedback() -> QuerySet[Feedback]:
    return Feedback.objects.filter(published=True).select_related("measure").order_by("-answered_at")


def feedback_get(feedback_id: int) -> Feedback:
    try:
        return Feedback.objects.select_related("measure").get(pk=feedback_id)
    except Feedback.DoesNotExist:
        raise NotFound(f"没有编号为 {feedback_id} 的意见", f"there is no feedback {feedback_id}", details={"feedback": feedback_id}) from None


def has_demo_data() -> bool:
    return cached("demo", DemoMark.objects.exists)


def task_as_dict(task: Task) -> dict:
    """A task in the shape of `openftz tracker tasks --format json` and the API."""
    return {
        "id": task.pk,
        "measure": task.measure_id,
        "unit": task.unit.name,
        "lead": task.is_lead,
        "status": task.status,
        "progress": task.progress,
        "due": task.due.isoformat() if task.due else None,
        "rag": task.rag,
        "rag_reasons": [r[1] for r in task.rag_reasons],
        "next_report_due": task.next_report_due.isoformat() if task.next_report_due else None,
        "assignee": task.assignee.username if task.assignee else None,
    }
