"""Template helpers of the check page: a finding's message in the page's language, a measure id as a link."""
from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

register = template.Library()

SEVERITY_LABELS = {"violation": _("violation"), "warning": _("warning"), "info": _("note")}


@register.filter
def message(finding: dict, english: bool) -> str:
    return finding["message_en" if english else "message_zh"]


@register.filter
def measure_links(cites) -> str:
    """``["SH-75", "SC-51"]`` → links to each measure's page (its text, the sentence the rule carries out)."""
    return format_html_join(" ", '<a class="cite" href="{}">{}</a>', ((reverse("rulebook:measure", args=[c]), c) for c in cites))


@register.filter
def severity_badge(severity: str) -> str:
    return format_html('<span class="sev sev-{}" title="{}">{}</span>', severity, severity, SEVERITY_LABELS.get(severity, severity))
