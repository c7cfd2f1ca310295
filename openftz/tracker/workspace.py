"""The tracker's part of 我的工作 / My work: a unit officer's tasks falling due and reports to file, feedback to answer;
the coordinator's reports to review and answers to publish. Read through the tracker's selectors and permissions."""
from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openftz.core.parameters import parameter
from openftz.core.workspace import WorkItem, register

from . import selectors
from .choices import Status
from .permissions import Action, can, role_of

_CLOSED = (Status.IN_FORCE, Status.SUSPENDED, Status.TERMINATED)


def _unit_name(unit) -> str:
    return unit.name_en if (get_language() or "").startswith("en") and unit.name_en else unit.name


def _subject(task) -> str:
    return f"{task.measure_id} · {_unit_name(task.unit)}"


def items(user, today: dt.date) -> list[WorkItem]:
    role = role_of(user)
    if role not in ("coordinator", "unit_officer"):
        return []
    out: list[WorkItem] = []
    if role == "unit_officer":
        # the same window in which the tracker turns a task amber (SH-113: deadlines; the parameter, not a number here)
        horizon = today + dt.timedelta(days=parameter("tracker", "amber_window_days").at(today))
        due = (selectors.tasks(user=user).exclude(status__in=_CLOSED)
               .filter(Q(due__lte=horizon) | Q(next_report_due__lte=horizon)))
        for task in due:
            if not can(user, Action.SUBMIT_REPORT, task):
                continue
            url = reverse("tracker:task", args=[task.pk])
            if task.due is not None and task.due <= horizon:
                out.append(WorkItem("tracker", "task_due", _("Task deadline"), _subject(task), url, task.due))
            if task.next_report_due is not None and task.next_report_due <= horizon:
                out.append(WorkItem("tracker", "report_due", _("Progress report due"), _subject(task),
                                    url + "#report-form", task.next_report_due))
        feedback = reverse("tracker:feedback")
        answerable: dict[str, bool] = {}  # the check reads the measure's units: once per measure
        for f in selectors.feedback_for(user).filter(answer=""):
            if f.measure_id not in answerable:
                answerable[f.measure_id] = can(user, Action.ANSWER_FEEDBACK, f)
            if answerable[f.measure_id]:
                out.append(WorkItem("tracker", "feedback_to_answer", _("Enterprise feedback to answer"), f.measure_id,
                                    f"{feedback}#feedback-{f.pk}"))
    if can(user, Action.REVIEW_REPORT):
        for r in selectors.reports_to_review():
            out.append(WorkItem("tracker", "report_to_review", _("Progress report to review"), _subject(r.task),
                                reverse("tracker:task", args=[r.task_id]) + f"#report-{r.pk}"))
    if can(user, Action.PUBLISH_FEEDBACK):
        feedback = reverse("tracker:feedback")
        for f in selectors.feedback_for(user).exclude(answer="").filter(published=False):
            out.append(WorkItem("tracker", "feedback_to_publish", _("Answered feedback to publish"), f.measure_id,
                                f"{feedback}#feedback-{f.pk}"))
    return out


register("tracker", gettext_lazy("Tracker"), items, order=10)
