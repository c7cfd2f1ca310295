"""The tracker as one Excel workbook: export what the downloader may see; import edits of the same format in one
transaction.

The workbook holds exactly the rows its downloader may see in the pages: each sheet is read through the selector
the pages use, filtered by the same function of ``permissions.py``. Sheets ``tasks``, ``milestones`` and ``risks``
can be edited and imported back; ``reports`` and ``feedback`` are exported for reading. An import checks every row
first and writes nothing if any row is wrong; the errors name the sheet, row and column in Chinese and English.
Every write goes through a use case of ``services.py`` (history, validation, the data version), none through the ORM.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from openftz.core.errors import InvalidInput
from openftz.core.xlsx import Column, add_table, header_keys

from . import selectors, services
from .choices import Disposition, Status
from .permissions import Action, require

C = Column
TASK_COLUMNS = [
    C("task_id", "任务编号", "Task ID", "int"), C("measure", "措施", "Measure", width=10), C("unit", "责任单位", "Unit", width=24),
    C("lead", "牵头", "Lead", "bool"), C("status", "状态", "Status", width=18), C("progress", "进度", "Progress", "percent"),
    C("due", "期限", "Due", "date"), C("assignee", "经办人", "Assignee", width=16), C("rag", "红黄绿", "RAG", width=8),
    C("next_report_due", "下次报告", "Next report due", "date"),
]
MILESTONE_COLUMNS = [
    C("milestone_id", "里程碑编号", "Milestone ID", "int"), C("task_id", "任务编号", "Task ID", "int"),
    C("title", "里程碑", "Milestone", width=40), C("due_on", "计划日期", "Due on", "date"), C("done_on", "完成日期", "Done on", "date"),
]
RISK_COLUMNS = [
    C("risk_id", "风险编号", "Risk ID", "int"), C("measure", "措施", "Measure", width=10), C("title", "风险", "Risk", width=30),
    C("description", "描述", "Description", width=50), C("likelihood", "可能性", "Likelihood", "int"),
    C("impact", "影响", "Impact", "int"), C("early_warning", "预警", "Early warning", "bool"),
    C("disposition", "处置", "Disposition", width=12), C("disposition_reason", "处置理由", "Reason for the disposition", width=40),
]
REPORT_COLUMNS = [
    C("report_id", "报告编号", "Report ID", "int"), C("task_id", "任务编号", "Task ID", "int"), C("measure", "措施", "Measure", width=10),
    C("unit", "责任单位", "Unit", width=24), C("author", "报送人", "Author", width=16),
    C("submitted_at", "报送时间", "Submitted at", "datetime"), C("state", "审核状态", "Review state", width=12),
    C("status", "状态", "Status", width=18), C("progress", "进度", "Progress", "percent"),
    C("narrative", "进展情况", "Narrative", width=60), C("evidence", "证明材料", "Evidence", width=40),
]
FEEDBACK_COLUMNS = [
    C("feedback_id", "意见编号", "Feedback ID", "int"), C("measure", "措施", "Measure", width=10), C("kind", "类型", "Kind", width=10),
    C("text", "问题或意见", "Question or opinion", width=50), C("answer", "答复", "Answer", width=50),
    C("published", "已公开", "Published", "bool"), C("created_at", "提出时间", "Asked at", "datetime"),
]
EDITABLE = {"tasks": TASK_COLUMNS, "milestones": MILESTONE_COLUMNS, "risks": RISK_COLUMNS}
SHEETS = {**EDITABLE, "reports": REPORT_COLUMNS, "feedback": FEEDBACK_COLUMNS}  # every table sheet but the README
HELP_COLUMNS = [C("sheet", "工作表", "Sheet", width=18), C("editable", "可编辑", "Editable", width=50),
                C("notes", "说明", "Notes", width=80)]
HELP = [
    ("tasks", "状态、进度、期限、经办人 / status, progress, due, assignee",
     "status: " + ", ".join(Status.values) + "; progress 0–100; due YYYY-MM-DD; assignee = user name"),
    ("milestones", "全部;新增时里程碑编号留空 / all; leave the milestone ID empty for a new one", "日期 / dates YYYY-MM-DD"),
    ("risks", "风险、描述、可能性、影响、处置、处置理由;新增时风险编号留空 / title, description, likelihood, impact, "
              "disposition, reason; leave the risk ID empty for a new one",
     "likelihood and impact 1–5; disposition: adjust, suspend, terminate (with a reason)"),
    ("reports, feedback", "否(只读) / no (read only)", "导出供查阅 / exported for reading"),
]


def export_workbook(*, viewer) -> bytes:
    """The workbook of what ``viewer`` may see (a unit officer: its unit's tasks, their milestones and reports, and
    the feedback on its measures; the coordinator: everything)."""
    require(viewer, Action.EXPORT)
    wb = Workbook()
    wb.remove(wb.active)
    add_table(wb, "README", HELP_COLUMNS, HELP)
    add_table(wb, "tasks", TASK_COLUMNS, (
        [t.pk, t.measure_id, t.unit.name, t.is_lead, t.status, t.progress, t.due, t.assignee.username if t.assignee else None,
         t.rag, t.next_report_due]
        for t in selectors.tasks(user=viewer)
    ))
    add_table(wb, "milestones", MILESTONE_COLUMNS, (
        [m.pk, m.task_id, m.title, m.due_on, m.done_on] for m in selectors.milestones(user=viewer)
    ))
    add_table(wb, "risks", RISK_COLUMNS, (
        [r.pk, r.measure_id, r.title, r.description, r.likelihood, r.impact, r.early_warning, r.disposition, r.disposition_reason]
        for r in selectors.risks(user=viewer).order_by("id")
    ))
    add_table(wb, "reports", REPORT_COLUMNS, (
        [r.pk, r.task_id, r.task.measure_id, r.task.unit.name, r.author.username, r.submitted_at, r.state,
         r.status, r.progress, r.narrative, "; ".join(e.sha256 or e.url for e in r.evidence.all())]
        for r in selectors.reports(user=viewer).prefetch_related("evidence").order_by("id")
    ))
    add_table(wb, "feedback", FEEDBACK_COLUMNS, (
        [f.pk, f.measure_id, f.kind, f.text, f.answer, f.published, f.created_at]
        for f in selectors.feedback_for(viewer).order_by("id")
    ))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    message_zh: str
    message_en: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message_zh": self.message_zh, "message_en": self.message_en}


@dataclass
class ImportResult:
    tasks: int = 0
    milestones: int = 0
    risks: int = 0


class _Rows:
    """Reads one sheet's rows as dicts and collects what is wrong with them."""

    def __init__(self, wb, name: str, errors: list[RowError]):
        self.name, self.errors = name, errors
        self.rows: list[tuple[int, dict]] = []
        if name not in wb.sheetnames:
            return
        values = list(wb[name].iter_rows(values_only=True))
        if not values:
            return
        header = header_keys(values[0], EDITABLE[name])
        missing = [c.key for c in EDITABLE[name] if c.key not in header]
        if missing:
            errors.append(RowError(name, 1, ",".join(missing), f"缺少列:{', '.join(missing)}", f"missing columns: {', '.join(missing)}"))
            return
        for number, row in enumerate(values[1:], start=2):
            if row is None or all(v is None or str(v).strip() == "" for v in row):
                continue
            self.rows.append((number, {h: v for h, v in zip(header, row) if h}))

    def error(self, row: int, column: str, zh: str, en: str) -> None:
        self.errors.append(RowError(self.name, row, column, zh, en))

    def integer(self, row: int, column: str, value, *, low: int, high: int, required: bool = True) -> int | None:
        if value is None or str(value).strip() == "":
            if required:
                self.error(row, column, f"{column} 不能为空", f"{column} is required")
            return None
        try:
            number = int(str(value).strip()) if not isinstance(value, (int, float)) else int(value)
            if isinstance(value, float) and value != int(value):
                raise ValueError
        except (TypeError, ValueError):
            self.error(row, column, f"{column} 须为整数", f"{column} must be a whole number")
            return None
        if not low <= number <= high:
            self.error(row, column, f"{column} 须在 {low}–{high} 之间", f"{column} must be between {low} and {high}")
            return None
        return number

    def date(self, row: int, column: str, value, *, required: bool = False) -> dt.date | None:
        if value is None or str(value).strip() == "":
            if required:
                self.error(row, column, f"{column} 不能为空", f"{column} is required")
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.error(row, column, f"{column} 须为日期 YYYY-MM-DD", f"{column} must be a date YYYY-MM-DD")
            return None

    def text(self, value) -> str:
        return "" if value is None else str(value).strip()


def import_workbook(*, actor, data: bytes) -> ImportResult:
    """Apply the editable sheets of a workbook; every row is checked first, and nothing is written on any error."""
    require(actor, Action.IMPORT)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InvalidInput("不是有效的 Excel 工作簿(.xlsx)", f"not a valid Excel workbook (.xlsx): {exc.__class__.__name__}") from None
    errors: list[RowError] = []
    plan = (_plan_tasks(actor, _Rows(wb, "tasks", errors)) + _plan_milestones(actor, _Rows(wb, "milestones", errors))
            + _plan_risks(actor, _Rows(wb, "risks", errors)))
    if errors:
        raise InvalidInput(
            f"导入未执行:{len(errors)} 处错误", f"nothing imported: {len(errors)} problem(s) in the workbook",
            code="import_rejected", details=[e.as_dict() for e in errors],
        )
    result = ImportResult()
    with transaction.atomic():
        for apply in plan:
            kind = apply(actor)
            if kind:
                setattr(result, kind, getattr(result, kind) + 1)
    return result


def _plan_tasks(actor, rows: _Rows):
    users = selectors.users_by_name()
    tasks = {t.pk: t for t in selectors.tasks(user=actor)}
    plan = []
    for number, row in rows.rows:
        task_id = rows.integer(number, "task_id", row.get("task_id"), low=1, high=10**9)
        task = tasks.get(task_id) if task_id else None
        if task_id and task is None:
            rows.error(number, "task_id", f"没有任务 {task_id}", f"there is no task {task_id}")
            continue
        if task is None:
            continue
        if rows.text(row.get("measure")) != task.measure_id or rows.text(row.get("unit")) != task.unit.name:
            rows.error(number, "measure", "措施或单位与任务不符", "measure or unit does not match the task")
            continue
        status = rows.text(row.get("status"))
        if status not in Status.values:
            rows.error(number, "status", f"未知状态:{status}", f"unknown status: {status}")
            continue
        progress = rows.integer(number, "progress", row.get("progress"), low=0, high=100)
        due = rows.date(number, "due", row.get("due"))
        name = rows.text(row.get("assignee"))
        if name and name not in users:
            rows.error(number, "assignee", f"没有用户 {name}", f"there is no user {name}")
            continue
        if progress is None:
            continue
        assignee = users.get(name)
        changed = (status != task.status or progress != task.progress or due != task.due
                   or (assignee.pk if assignee else None) != task.assignee_id)
        if changed:
            plan.append(lambda actor, t=task, s=status, p=progress, d=due, a=assignee: _apply_task(actor, t, s, p, d, a))
    return plan


def _apply_task(actor, task, status: str, progress: int, due, assignee) -> str:
    services.task_update(actor=actor, task=task, status=status, progress=progress, due=due, assignee=assignee, note="Excel import")
    return "tasks"


def _plan_milestones(actor, rows: _Rows):
    tasks = set(selectors.tasks(user=actor).values_list("pk", flat=True))
    existing = {m.pk: m for m in selectors.milestones(user=actor)}
    plan = []
    for number, row in rows.rows:
        mid = rows.integer(number, "milestone_id", row.get("milestone_id"), low=1, high=10**9, required=False)
        task_id = rows.integer(number, "task_id", row.get("task_id"), low=1, high=10**9)
        title = rows.text(row.get("title"))
        due_on = rows.date(number, "due_on", row.get("due_on"), required=True)
        done_on = rows.date(number, "done_on", row.get("done_on"))
        if task_id and task_id not in tasks:
            rows.error(number, "task_id", f"没有任务 {task_id}", f"there is no task {task_id}")
            continue
        if not title:
            rows.error(number, "title", "标题不能为空", "title is required")
            continue
        if mid and mid not in existing:
            rows.error(number, "milestone_id", f"没有里程碑 {mid}", f"there is no milestone {mid}")
            continue
        if task_id is None or due_on is None:
            continue
        old = existing.get(mid)
        if old and (old.task_id, old.title, old.due_on, old.done_on) == (task_id, title, due_on, done_on):
            continue
        plan.append(lambda actor, m=old, t=task_id, ti=title, du=due_on, do=done_on: _apply_milestone(actor, m, t, ti, du, do))
    return plan


def _apply_milestone(actor, milestone, task_id, title, due_on, done_on) -> str:
    task = selectors.task_get(task_id)
    if milestone is None:
        milestone = services.milestone_add(actor=actor, task=task, title=title, due_on=due_on)
        if done_on is not None:
            services.milestone_done(actor=actor, milestone=milestone, done_on=done_on)
    else:
        services.milestone_update(actor=actor, milestone=milestone, task=task, title=title, due_on=due_on, done_on=done_on,
                                  note="Excel import")
    return "milestones"


def _plan_risks(actor, rows: _Rows):
    measures = selectors.measure_ids()
    existing = {r.pk: r for r in selectors.risks(user=actor)}
    plan = []
    for number, row in rows.rows:
        rid = rows.integer(number, "risk_id", row.get("risk_id"), low=1, high=10**9, required=False)
        measure = rows.text(row.get("measure"))
        title = rows.text(row.get("title"))
        likelihood = rows.integer(number, "likelihood", row.get("likelihood"), low=1, high=5)
        impact = rows.integer(number, "impact", row.get("impact"), low=1, high=5)
        disposition = rows.text(row.get("disposition"))
        reason = rows.text(row.get("disposition_reason"))
        if measure not in measures:
            rows.error(number, "measure", f"没有措施 {measure}", f"there is no measure {measure}")
            continue
        if not title:
            rows.error(number, "title", "标题不能为空", "title is required")
            continue
        if disposition not in Disposition.values:
            rows.error(number, "disposition", f"未知处置:{disposition}", f"unknown disposition: {disposition}")
            continue
        if disposition and not reason:
            rows.error(number, "disposition_reason", "处置须说明理由", "a disposition needs a reason")
            continue
        if rid and rid not in existing:
            rows.error(number, "risk_id", f"没有风险 {rid}", f"there is no risk {rid}")
            continue
        if likelihood is None or impact is None:
            continue
        values = (measure, title, rows.text(row.get("description")), likelihood, impact, disposition, reason)
        old = existing.get(rid)
        if old and (old.measure_id, old.title, old.description, old.likelihood, old.impact, old.disposition, old.disposition_reason) == values:
            continue
        plan.append(lambda actor, r=old, v=values: _apply_risk(actor, r, *v))
    return plan


def _apply_risk(actor, risk, measure_id, title, description, likelihood, impact, disposition, reason) -> str:
    if risk is None:
        risk = services.risk_raise(actor=actor, measure=selectors.measure_get(measure_id), title=title,
                                   likelihood=likelihood, impact=impact, description=description)
    else:
        services.risk_update(actor=actor, risk=risk, title=title, description=description, likelihood=likelihood, impact=impact)
    if disposition and (disposition, reason) != (risk.disposition, risk.disposition_reason):
        services.risk_dispose(actor=actor, risk=risk, disposition=disposition, reason=reason)
    return "risks"
