"""Use cases of the tracker: each checks permission, validates, writes in one transaction and records history."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import mimetypes
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from openftz.core.errors import InvalidInput, NotFound
from openftz.core.parameters import parameter
from openftz.rulebook import rules as rulebook_rules
from openftz.rulebook.models import Measure, Plan
from openftz.rulebook.parser import doc_number
from openftz.rulebook.selectors import plan_dates

from . import rules
from .models import (
    CaseScore, Change, DataVersion, Disposition, Evidence, Feedback, InnovationCase, Milestone, Report, ReportState, Risk, Status, Task,
)
from .permissions import Action, require, require_stop

# Evidence a report may carry: documents and images people actually file.
EVIDENCE_TYPES = {
    ".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".ofd": "application/ofd",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".txt": "text/plain",
}
_MAGIC = {".pdf": b"%PDF", ".png": b"\x89PNG", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".docx": b"PK\x03\x04",
          ".xlsx": b"PK\x03\x04", ".ofd": b"PK\x03\x04"}


def _writes(fn):
    """A write use case: one transaction, after which the tracker's data version moves on (cached pages refresh)."""

    @functools.wraps(fn)
    @transaction.atomic
    def wrapper(*args, **kwargs):
        result = fn(*args, **kwargs)
        DataVersion.bump()
        return result

    return wrapper


def _param(name: str, on: dt.date | None = None):
    return parameter("tracker", name).at(on or timezone.localdate())


def _invalid(exc: ValidationError) -> InvalidInput:
    fields = getattr(exc, "message_dict", {"__all__": exc.messages})
    names = ", ".join(fields)
    return InvalidInput(f"输入无效:{names}", f"invalid input: {names}", details=fields)


def _save(obj) -> None:
    """Validate (model rules, constraints, no NUL characters — PostgreSQL cannot store them) and save."""
    nul = [f.name for f in obj._meta.concrete_fields if isinstance(getattr(obj, f.attname, None), str) and "\x00" in getattr(obj, f.attname)]
    if nul:
        raise InvalidInput(f"输入含空字符(NUL):{', '.join(nul)}", f"input holds a NUL character: {', '.join(nul)}", details={"fields": nul})
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise _invalid(exc) from None
    obj.save()


def _record(actor, obj, entity: str, changes: dict[str, tuple], *, task: Task | None = None, note: str = "") -> None:
    Change.objects.bulk_create(
        Change(entity=entity, entity_id=obj.pk, task=task, field=field, old="" if old is None else str(old),
               new="" if new is None else str(new), actor=actor if getattr(actor, "pk", None) else None, note=note)
        for field, (old, new) in changes.items()
        if old != new
    )


# — tasks ————————————————————————————————————————————————————————————————————————


@dataclass
class SyncReport:
    created: int
    updated: int


@_writes
def tasks_sync() -> SyncReport:
    """One task per (Shanghai measure × responsible unit) from the rulebook, lead marked, deadline from SH-113."""
    dates = plan_dates()
    if "SH" not in dates:
        raise NotFound("规则库尚未载入", "the rulebook is not loaded: run `openftz rulebook load`")
    approval = parameter("rulebook", "national_approval_rules_months").at(dates["SH"])
    national = parameter("rulebook", "national_rules_months").at(dates["SC"])
    first_report = rules.next_report_due(last_report=None, started=dates["SH"], cadence_months=_param("reporting_cadence_months", dates["SH"]))
    existing = {(t.measure_id, t.unit_id): t for t in Task.objects.all()}
    new, changed = [], []
    for m in Measure.objects.filter(plan="SH").prefetch_related("unit_links"):
        due = rulebook_rules.rules_due(m.classification, local_signed=dates["SH"], national_signed=dates["SC"],
                                       approval_months=approval, national_months=national)
        for link in m.unit_links.all():
            task = existing.get((m.id, link.unit_id))
            if task is None:
                new.append(Task(measure=m, unit_id=link.unit_id, is_lead=link.is_lead, due=due, next_report_due=first_report))
            elif task.is_lead != link.is_lead or task.due != due:
                task.is_lead, task.due = link.is_lead, due
                changed.append(task)
    Task.objects.bulk_create(new, batch_size=500)
    Task.objects.bulk_update(changed, ["is_lead", "due"], batch_size=500)
    return SyncReport(len(new), len(changed))


UNCHANGED = object()


@_writes
def task_update(*, actor, task: Task, status: str | None = None, progress: int | None = None,
                due=UNCHANGED, assignee=UNCHANGED, note: str = "") -> Task:
    """Change a task's status / progress (officer of its unit or coordinator), deadline or assignee (coordinator).

    ``due`` and ``assignee`` may be set to None (cleared); leave them out to keep them. Suspending, terminating or
    resuming a task is the coordinator's risk disposition (SC-75): a unit officer can do neither, from any channel.
    """
    require(actor, Action.UPDATE_TASK, task)
    if due is not UNCHANGED or assignee is not UNCHANGED:
        require(actor, Action.ASSIGN_TASK, task)
    task = Task.objects.select_for_update().get(pk=task.pk)
    before = {"status": task.status, "progress": task.progress, "due": task.due, "assignee": task.assignee_id}
    if status is not None:
        if status not in Status.values:
            raise InvalidInput(f"未知状态:{status}", f"unknown status: {status}", details={"status": status})
        if rules.stops_or_resumes(task.status, status):
            require_stop(actor, task)
        task.status = status
        if progress is None:
            task.progress = rules.progress_for(status, task.progress)
    if progress is not None:
        task.progress = progress
    if due is not UNCHANGED:
        task.due = due
    if assignee is not UNCHANGED:
        task.assignee = assignee
    _save(task)
    after = {"status": task.status, "progress": task.progress, "due": task.due, "assignee": task.assignee_id}
    _record(actor, task, "task", {k: (before[k], after[k]) for k in before}, task=task, note=note)
    return task


@_writes
def milestone_add(*, actor, task: Task, title: str, due_on: dt.date) -> Milestone:
    require(actor, Action.UPDATE_TASK, task)
    milestone = Milestone(task=task, title=title.strip(), due_on=due_on)
    _save(milestone)
    _record(actor, milestone, "milestone", {"title": (None, milestone.title), "due_on": (None, due_on)}, task=task)
    return milestone


@_writes
def milestone_update(*, actor, milestone: Milestone, task: Task, title: str, due_on: dt.date, done_on: dt.date | None,
                     note: str = "") -> Milestone:
    """Edit a milestone (its task, title and dates): whoever may update the task it is on and the task it goes to."""
    milestone = Milestone.objects.select_for_update().select_related("task").get(pk=milestone.pk)
    require(actor, Action.UPDATE_TASK, milestone.task)
    if task.pk != milestone.task_id:
        require(actor, Action.UPDATE_TASK, task)
    before = {"task": milestone.task_id, "title": milestone.title, "due_on": milestone.due_on, "done_on": milestone.done_on}
    milestone.task, milestone.title, milestone.due_on, milestone.done_on = task, title.strip(), due_on, done_on
    _save(milestone)
    after = {"task": task.pk, "title": milestone.title, "due_on": due_on, "done_on": done_on}
    _record(actor, milestone, "milestone", {k: (before[k], after[k]) for k in before}, task=task, note=note)
    return milestone


@_writes
def milestone_done(*, actor, milestone: Milestone, done_on: dt.date) -> Milestone:
    require(actor, Action.UPDATE_TASK, milestone.task)
    before = milestone.done_on
    milestone.done_on = done_on
    _save(milestone)
    _record(actor, milestone, "milestone", {"done_on": (before, done_on)}, task=milestone.task)
    return milestone


# — reports ———————————————————————————————————————————————————————————————————————


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes
    content_type: str = ""


@dataclass(frozen=True)
class DocumentLink:
    url: str
    doc_number: str = ""
    title: str = ""


def check_upload(upload: Upload) -> str:
    """The stored content type of an evidence file, or InvalidInput (size, type, content not matching its name)."""
    limit = _param("evidence_max_bytes")
    if not upload.content:
        raise InvalidInput("证明材料文件为空", f"the evidence file {upload.name} is empty", details={"file": upload.name})
    if len(upload.content) > limit:
        raise InvalidInput(f"证明材料超过 {limit // 1048576} MB", f"the evidence file is larger than {limit // 1048576} MB",
                           details={"file": upload.name, "size": len(upload.content), "limit": limit})
    ext = ("." + upload.name.rsplit(".", 1)[-1].lower()) if "." in upload.name else ""
    if ext not in EVIDENCE_TYPES:
        raise InvalidInput(f"不接受此类文件:{upload.name}", f"evidence must be one of {', '.join(sorted(EVIDENCE_TYPES))}: {upload.name}",
                           details={"file": upload.name})
    magic = _MAGIC.get(ext)
    if magic and not upload.content.startswith(magic):
        raise InvalidInput(f"文件内容与类型不符:{upload.name}", f"the content of {upload.name} is not a {ext} file", details={"file": upload.name})
    if ext == ".txt":
        try:
            upload.content.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(f"文本文件须为 UTF-8:{upload.name}", f"text evidence must be UTF-8: {upload.name}", details={"file": upload.name}) from None
    return EVIDENCE_TYPES[ext]


@_writes
def report_submit(*, actor, task: Task, narrative: str, progress: int, status: str,
                  files: Sequence[Upload] = (), links: Sequence[DocumentLink] = ()) -> Report:
    """A unit files a progress report with evidence; it waits for the coordinator's review."""
    from django.core.files.base import ContentFile

    require(actor, Action.SUBMIT_REPORT, task)
    if status in Status.values and rules.stops_or_resumes(task.status, status):
        require_stop(actor, task)  # accepting the report would stop or resume the task
    if not narrative.strip():
        raise InvalidInput("请填写进展情况", "the narrative is empty", details={"narrative": "required"})
    if status not in Status.values:
        raise InvalidInput(f"未知状态:{status}", f"unknown status: {status}", details={"status": status})
    checked = [(upload, check_upload(upload)) for upload in files]
    report = Report(task=task, author=actor, narrative=narrative.strip(), progress=progress, status=status)
    _save(report)
    for upload, content_type in checked:
        evidence = Evidence(
            report=report, file_name=upload.name[-200:], content_type=content_type, size=len(upload.content),
            sha256=hashlib.sha256(upload.content).hexdigest(),
        )
        evidence.file.save(f"{evidence.sha256[:16]}{mimetypes.guess_extension(content_type) or ''}", ContentFile(upload.content), save=False)
        _save(evidence)
    for link in links:
        number = doc_number(link.doc_number) if link.doc_number.strip() else ""
        if number is None:
            raise InvalidInput(f"文号格式无效:{link.doc_number}", f"not a document number (文号) such as 沪府规〔2024〕3号: {link.doc_number}",
                               details={"doc_number": link.doc_number})
        _save(Evidence(report=report, url=link.url, doc_number=number, title=link.title.strip()))
    _record(actor, report, "report", {"state": (None, report.state), "progress": (None, progress), "status": (None, status)}, task=task)
    return report


@_writes
def report_review(*, actor, report: Report, accept: bool, comment: str = "") -> Report:
    """The coordinator accepts a report (its status and progress become the task's) or returns it with comments."""
    require(actor, Action.REVIEW_REPORT, report)
    report = Report.objects.select_for_update().select_related("task").get(pk=report.pk)
    if report.state != ReportState.SUBMITTED:
        raise InvalidInput("该报告已审核", "this report has already been reviewed", details={"state": report.state})
    if not accept and not comment.strip():
        raise InvalidInput("退回时须说明理由", "say why the report is returned", details={"comment": "required"})
    report.state = ReportState.ACCEPTED if accept else ReportState.RETURNED
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.review_comment = comment.strip()
    _save(report)
    _record(actor, report, "report", {"state": (ReportState.SUBMITTED, report.state)}, task=report.task, note=comment.strip()[:200])
    if accept:
        task = Task.objects.select_for_update().get(pk=report.task_id)
        before = {"status": task.status, "progress": task.progress, "next_report_due": task.next_report_due}
        task.status, task.progress = report.status, report.progress
        task.next_report_due = rules.next_report_due(
            last_report=timezone.localdate(report.submitted_at), started=task.measure.plan.signed_on,
            cadence_months=_param("reporting_cadence_months"),
        )
        _save(task)
        after = {"status": task.status, "progress": task.progress, "next_report_due": task.next_report_due}
        _record(actor, task, "task", {k: (before[k], after[k]) for k in before}, task=task, note=f"report {report.pk} accepted")
    return report


# — risks ————————————————————————————————————————————————————————————————————————


@_writes
def risk_raise(*, actor, measure: Measure, title: str, likelihood: int, impact: int, description: str = "") -> Risk:
    """Enter a risk in the register (SC-75, SH-107); a high score raises the early warning (SC-76, SH-108)."""
    require(actor, Action.RAISE_RISK, measure)
    risk = Risk(measure=measure, title=title.strip(), description=description.strip(), likelihood=likelihood, impact=impact,
                raised_by=actor)
    risk.early_warning = _is_warning(likelihood, impact)
    _save(risk)
    _record(actor, risk, "risk", {"likelihood": (None, likelihood), "impact": (None, impact), "early_warning": (None, risk.early_warning)})
    return risk


@_writes
def risk_update(*, actor, risk: Risk, title: str, description: str, likelihood: int, impact: int) -> Risk:
    """Re-assess a risk; the early warning follows the new score (SC-76, SH-108)."""
    require(actor, Action.DISPOSE_RISK, risk)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    before = {"title": risk.title, "description": risk.description, "likelihood": risk.likelihood, "impact": risk.impact,
              "early_warning": risk.early_warning}
    risk.title, risk.description, risk.likelihood, risk.impact = title.strip(), description.strip(), likelihood, impact
    risk.early_warning = _is_warning(likelihood, impact)
    _save(risk)
    _record(actor, risk, "risk", {k: (v, getattr(risk, k)) for k, v in before.items()})
    return risk


def _is_warning(likelihood: int, impact: int) -> bool:
    return rules.risk_level(likelihood, impact, warning_score=_param("risk_warning_score")) == "high"


@_writes
def risk_dispose(*, actor, risk: Risk, disposition: str, reason: str) -> Risk:
    """The coordinator adjusts, suspends or terminates the pilot (调整、暂缓或终止, SC-75); suspension and
    termination stop every task of the measure and show on its public page."""
    require(actor, Action.DISPOSE_RISK, risk)
    if disposition not in (Disposition.ADJUST, Disposition.SUSPEND, Disposition.TERMINATE):
        raise InvalidInput(f"未知处置:{disposition}", f"unknown disposition: {disposition}", details={"disposition": disposition})
    if not reason.strip():
        raise InvalidInput("处置须说明理由", "a disposition needs a reason", details={"reason": "required"})
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    before = (risk.disposition, risk.disposition_reason)
    risk.disposition, risk.disposition_reason = disposition, reason.strip()
    _save(risk)
    _record(actor, risk, "risk", {"disposition": (before[0], disposition), "disposition_reason": (before[1], risk.disposition_reason)})
    stop = {Disposition.SUSPEND: Status.SUSPENDED, Disposition.TERMINATE: Status.TERMINATED}.get(disposition)
    if stop:
        for task in Task.objects.select_for_update().filter(measure=risk.measure).exclude(status=stop):
            old = task.status
            task.status = stop
            _save(task)
            _record(actor, task, "task", {"status": (old, stop)}, task=task, note=f"risk {risk.pk}: {disposition}")
    return risk


@_writes
def measure_resume(*, actor, measure: Measure, reason: str) -> int:
    """Lift a suspension: the measure's suspended tasks go back to drafting rules."""
    require(actor, Action.DISPOSE_RISK, measure)
    if not reason.strip():
        raise InvalidInput("恢复须说明理由", "resuming needs a reason", details={"reason": "required"})
    resumed = 0
    for task in Task.objects.select_for_update().filter(measure=measure, status=Status.SUSPENDED):
        task.status = Status.DRAFTING_RULES if task.progress < 100 else Status.IN_FORCE
        _save(task)
        _record(actor, task, "task", {"status": (Status.SUSPENDED, task.status)}, task=task, note=reason.strip()[:200])
        resumed += 1
    for risk in Risk.objects.select_for_update().filter(measure=measure, disposition=Disposition.SUSPEND):
        before = (risk.disposition, risk.disposition_reason)
        risk.disposition, risk.disposition_reason = Disposition.ADJUST, reason.strip()
        _save(risk)
        _record(actor, risk, "risk", {"disposition": (before[0], risk.disposition), "disposition_reason": (before[1], risk.disposition_reason)})
    return resumed


# — evaluation and award ———————————————————————————————————————————————————————————————


@_writes
def case_submit(*, actor, title: str, summary: str, organisation: str, measures: Iterable[Measure]) -> InnovationCase:
    require(actor, Action.SUBMIT_CASE)
    measures = list(measures)
    if not measures:
        raise InvalidInput("请至少关联一条措施", "link the case to at least one measure", details={"measures": "required"})
    case = InnovationCase(title=title.strip(), summary=summary.strip(), organisation=organisation.strip(), submitted_by=actor)
    _save(case)
    case.measures.set(measures)
    return case


@_writes
def case_score(*, actor, case: InnovationCase, originality: int, industry_impact: int, market_perception: int,
               comment: str = "") -> CaseScore:
    """A reviewer scores a case on 首创性, 行业影响力, 市场感受度 (SH-117); scoring again replaces the score."""
    require(actor, Action.SCORE_CASE, case)
    score, _ = CaseScore.objects.select_for_update().get_or_create(
        case=case, reviewer=actor, defaults={"originality": 0, "industry_impact": 0, "market_perception": 0}
    )
    score.originality, score.industry_impact, score.market_perception = originality, industry_impact, market_perception
    score.comment = comment.strip()
    _save(score)
    return score


# — enterprise feedback ————————————————————————————————————————————————————————————————


@_writes
def feedback_ask(*, actor, measure: Measure, kind: str, text: str) -> Feedback:
    require(actor, Action.ASK_FEEDBACK, measure)
    if measure.plan_id != "SH":
        raise InvalidInput("请针对上海实施方案的措施提问", "ask about a measure of the Shanghai plan", details={"measure": measure.id})
    feedback = Feedback(measure=measure, author=actor, kind=kind, text=text.strip())
    _save(feedback)
    return feedback


@_writes
def feedback_answer(*, actor, feedback: Feedback, answer: str, publish: bool = False) -> Feedback:
    require(actor, Action.ANSWER_FEEDBACK, feedback)
    if publish:
        require(actor, Action.PUBLISH_FEEDBACK, feedback)
    if not answer.strip():
        raise InvalidInput("答复不能为空", "the answer is empty", details={"answer": "required"})
    before = feedback.answer
    feedback.answer, feedback.answered_by, feedback.answered_at = answer.strip(), actor, timezone.now()
    feedback.published = publish or feedback.published
    _save(feedback)
    _record(actor, feedback, "feedback", {"answer": (before, feedback.answer), "published": (None, feedback.published)})
    return feedback


@_writes
def feedback_publish(*, actor, feedback: Feedback, published: bool) -> Feedback:
    require(actor, Action.PUBLISH_FEEDBACK, feedback)
    if published and not feedback.answer:
        raise InvalidInput("未答复的问题不能公开", "only answered items can be published", details={"published": published})
    before = feedback.published
    feedback.published = published
    _save(feedback)
    _record(actor, feedback, "feedback", {"published": (before, published)})
    return feedback


# — the daily tick ————————————————————————————————————————————————————————————————————


@_writes
def tick(*, today: dt.date | None = None) -> dict[str, int]:
    """Recompute red / amber / green of every task for ``today`` (the scheduled job's work)."""
    today = today or timezone.localdate()
    started = Plan.objects.filter(code="SH").values_list("signed_on", flat=True).first()
    if started is None:
        raise NotFound("规则库尚未载入", "the rulebook is not loaded")
    cadence, grace, amber = _param("reporting_cadence_months", today), _param("report_grace_days", today), _param("amber_window_days", today)
    last_reports: dict[int, dt.date] = {}
    for task_id, submitted in Report.objects.exclude(state=ReportState.RETURNED).values_list("task_id", "submitted_at"):
        day = timezone.localdate(submitted)
        if task_id not in last_reports or day > last_reports[task_id]:
            last_reports[task_id] = day
    tasks = list(Task.objects.all())
    counts = {"green": 0, "amber": 0, "red": 0, "grey": 0}
    for task in tasks:
        result = rules.task_rag(status=task.status, due=task.due, today=today, last_report=last_reports.get(task.pk),
                                started=started, cadence_months=cadence, grace_days=grace, amber_days=amber)
        task.rag, task.rag_reasons, task.rag_computed_on = result.rag, [list(r) for r in result.reasons], today
        task.next_report_due = rules.next_report_due(last_report=last_reports.get(task.pk), started=started, cadence_months=cadence)
        counts[result.rag] += 1
    Task.objects.bulk_update(tasks, ["rag", "rag_reasons", "rag_computed_on", "next_report_due"], batch_size=500)
    return counts
