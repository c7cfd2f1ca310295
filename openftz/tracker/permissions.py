"""Who may do what in the tracker — every object-level check lives here.

Roles: coordinator (市商务委: everything), unit officer (only its own unit's tasks and reports),
enterprise (reads, gives feedback), public (anonymous: the public view only).
"""
from __future__ import annotations

from enum import StrEnum

from django.db.models import Q

from openftz.core.errors import OpenFTZError


class Action(StrEnum):
    VIEW_PUBLIC = "view_public"
    VIEW_TASK = "view_task"
    VIEW_ALL_TASKS = "view_all_tasks"
    UPDATE_TASK = "update_task"
    ASSIGN_TASK = "assign_task"
    SUBMIT_REPORT = "submit_report"
    REVIEW_REPORT = "review_report"
    VIEW_RISKS = "view_risks"
    RAISE_RISK = "raise_risk"
    DISPOSE_RISK = "dispose_risk"
    SUBMIT_CASE = "submit_case"
    SCORE_CASE = "score_case"
    ASK_FEEDBACK = "ask_feedback"
    ANSWER_FEEDBACK = "answer_feedback"
    PUBLISH_FEEDBACK = "publish_feedback"
    VIEW_DASHBOARD = "view_dashboard"
    EXPORT = "export"
    IMPORT = "import"
    STOP_TASK = "stop_task"  # suspend, terminate or resume a task: the coordinator's risk disposition (SC-75)


class Forbidden(OpenFTZError):
    status = 403
    code = "forbidden"


def role_of(user) -> str:
    if user is None or not user.is_authenticated:
        return "public"
    if user.is_superuser:
        return "coordinator"
    profile = getattr(user, "tracker_profile", None)
    return profile.role if profile else "public"


def unit_id_of(user) -> int | None:
    profile = getattr(user, "tracker_profile", None)
    return profile.unit_id if profile else None


# Actions each role may take on any object; unit officers' object-level rules are in can() below.
_GRANTS: dict[str, set[Action]] = {
    "coordinator": set(Action),
    "unit_officer": {Action.VIEW_PUBLIC, Action.VIEW_TASK, Action.UPDATE_TASK, Action.SUBMIT_REPORT, Action.VIEW_RISKS,
                     Action.RAISE_RISK, Action.SUBMIT_CASE, Action.ANSWER_FEEDBACK, Action.VIEW_DASHBOARD, Action.EXPORT},
    "enterprise": {Action.VIEW_PUBLIC, Action.ASK_FEEDBACK, Action.SUBMIT_CASE},
    "public": {Action.VIEW_PUBLIC},
}
# For these, a unit officer must be responsible for the object (its task, or a task of its measure).
_OWN_UNIT_ONLY = {Action.VIEW_TASK, Action.UPDATE_TASK, Action.SUBMIT_REPORT, Action.RAISE_RISK, Action.ANSWER_FEEDBACK}


def can(user, action: Action, obj=None) -> bool:
    return can_as(role_of(user), unit_id_of(user), action, obj)


def can_as(role: str, unit_id: int | None, action: Action, obj=None) -> bool:
    """``can`` for a viewer known by its role and unit alone (all that the checks read)."""
    if action not in _GRANTS[role]:
        return False
    if role == "unit_officer" and action in _OWN_UNIT_ONLY:
        return obj is not None and unit_id in _responsible_units(obj)
    return True


def require(user, action: Action, obj=None) -> None:
    if not can(user, action, obj):
        raise Forbidden(
            "您无权执行此操作", f"you may not {action.value.replace('_', ' ')} here",
            details={"action": action.value, "role": role_of(user)},
        )


def require_stop(user, obj) -> None:
    """Suspending, terminating or resuming a task is the coordinator's disposition of a risk (调整、暂缓或终止, SC-75)."""
    if not can(user, Action.STOP_TASK, obj):
        raise Forbidden(
            "暂缓、终止或恢复任务由市商务委作为风险处置决定(SC-75)",
            "suspending, terminating or resuming a task is the coordinator's risk disposition (SC-75)",
            details={"action": Action.STOP_TASK.value, "role": role_of(user)},
        )


# — what a viewer may see: one filter per kind of row, used by the pages, the API, the CLI and the Excel export ——


def visible_tasks(user, prefix: str = "") -> Q:
    """The tasks whose details (status, milestones, reports, evidence) a user may see — exactly those on which
    ``can(user, VIEW_TASK, task)`` holds. ``prefix`` reaches the task from another model (``"task__"``)."""
    return _visible_tasks_as(role_of(user), unit_id_of(user), prefix)


def _visible_tasks_as(role: str, unit_id: int | None, prefix: str) -> Q:
    if Action.VIEW_ALL_TASKS in _GRANTS[role]:
        return Q()
    if role == "unit_officer" and Action.VIEW_TASK in _GRANTS[role] and unit_id is not None:
        return Q(**{f"{prefix}unit_id": unit_id})
    return Q(pk__in=[])


def visible_risks(user) -> Q:
    """The risk register is seen whole by those who may view risks, and not at all by others."""
    return Q() if can(user, Action.VIEW_RISKS) else Q(pk__in=[])


def visible_feedback(user) -> Q:
    """Feedback a user deals with: the coordinator all; a unit officer that on the measures of its unit's tasks (the
    items it may answer, published or not; the query joins tasks, so take ``distinct()``); an enterprise its own;
    anyone else the published."""
    role = role_of(user)
    if role == "coordinator":
        return Q()
    if role == "unit_officer" and unit_id_of(user) is not None:
        return Q(measure__tasks__unit_id=unit_id_of(user))
    if role == "enterprise":
        return Q(author=user)
    return Q(published=True)


def _responsible_units(obj) -> set[int]:
    """The unit ids responsible for a task, a report (its task), or a measure / feedback / risk (its tasks)."""
    from .models import Feedback, Report, Risk, Task

    if isinstance(obj, Task):
        return {obj.unit_id}
    if isinstance(obj, Report):
        return {obj.task.unit_id}
    measure = obj.measure if isinstance(obj, (Feedback, Risk)) else obj
    return set(measure.tasks.values_list("unit_id", flat=True))
