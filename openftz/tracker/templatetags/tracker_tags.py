"""Small template filters of the tracker (cheaper than an {% include %} per table row)."""
import datetime as dt

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from openftz.core.templatetags.bilingual import _CJK, auto
from openftz.tracker.choices import Disposition, MeasureStatus, Rag, ReportState

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    """The translated name of a task or measure status."""
    return MeasureStatus(value).label if value in MeasureStatus.values else value


@register.filter
def progress_bar(value: int) -> str:
    """A Bootstrap progress bar with its accessible name ("Progress 30%")."""
    value = max(0, min(100, int(value or 0)))
    return format_html('<div class="progress d-inline-flex align-middle" style="width: 6rem; height: .6rem" role="progressbar" '
                       'aria-label="{1} {0}%" aria-valuenow="{0}" aria-valuemin="0" aria-valuemax="100">'
                       '<div class="progress-bar bg-success" style="width: {0}%"></div></div>', value, _("Progress"))


_RAG_CLASS = {"red": "text-bg-danger", "amber": "text-bg-warning", "green": "text-bg-success", "grey": "text-bg-secondary"}


@register.filter
def rag_badge(value: str) -> str:
    """Red / amber / green / grey as a Bootstrap badge with its translated name."""
    label = Rag(value).label if value in Rag.values else value
    return format_html('<span class="badge {}">{}</span>', _RAG_CLASS.get(value, "text-bg-light"), label)


_STATUS_RAG = {"suspended": "grey", "terminated": "grey", "in_force": "green", "not_started": "red"}


@register.filter
def status_badge(value: str) -> str:
    """A measure's or task's status as a badge: stopped grey, in force green, not started red, under way amber."""
    return format_html('<span class="badge {}">{}</span>', _RAG_CLASS[_STATUS_RAG.get(value, "amber")], status_label(value))


# — the change log: the field's name and the values' labels, in the page's language, never the stored codes ————————

_ENTITIES = {"task": _("Task"), "report": _("Progress report"), "milestone": _("Milestone"), "risk": _("Risk"),
             "feedback": _("Enterprise feedback"), "case": _("Innovation case")}
_FIELDS = {
    "status": _("Status"), "progress": _("Progress"), "due": _("Due"), "assignee": _("Assignee"),
    "next_report_due": _("Next report due"), "state": _("Review state"), "title": _("Title"), "due_on": _("Due on"),
    "done_on": _("Done on"), "task": _("Task"), "likelihood": _("Likelihood"), "impact": _("Impact"),
    "early_warning": _("Early warning"), "disposition": _("Disposition"), "disposition_reason": _("Reason"),
    "description": _("Description"), "answer": _("Answer"), "published": _("Published"), "rag": _("RAG"),
}
_VALUES = {"status": MeasureStatus, "state": ReportState, "disposition": Disposition, "rag": Rag}
_YES_NO = {"True": _("yes"), "False": _("no")}


@register.filter
def change_what(change) -> str:
    """"Progress report · Status" for a change of ``report.status``."""
    entity = _ENTITIES.get(change.entity, change.entity)
    return f"{entity} · {_FIELDS.get(change.field, change.field)}"


@register.filter
def change_value(value: str, field: str):
    """A stored value of a change as a reader knows it: a status, state, disposition or RAG by its label, a yes/no,
    a progress with its per cent sign, free text marked by its language."""
    if value in (None, ""):
        return "—"
    choices = _VALUES.get(field)
    if choices is not None and value in choices.values:
        return choices(value).label
    if field in ("early_warning", "published") and value in _YES_NO:
        return _YES_NO[value]
    if field == "progress":
        return f"{value}%"
    if field == "assignee" and value.isdigit():  # stored as the user's id: shown by user name
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(pk=int(value)).values_list("username", flat=True).first() or value
    if field in ("due", "due_on", "done_on", "next_report_due"):
        try:
            return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")
        except ValueError:
            return value
    return auto(value)


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template (None when absent)."""
    return mapping.get(key) if mapping else None


@register.filter
def text_lang(text) -> str:
    """The language of a text by its script, for a ``lang`` attribute: zh-Hans when it holds Chinese, else en."""
    return "zh-Hans" if _CJK.search(str(text or "")) else "en"
