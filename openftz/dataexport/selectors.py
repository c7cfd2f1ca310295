"""Reads of approvals and reminders, for the pages, the API and the CLI — each limited to what the user may see."""
from __future__ import annotations

import datetime as dt

from . import access, validity
from django.db.models import Q

from .models import Approval, ImportantDataNotice, RecordedTransfer, Reminder


def self_assessment_find(token: str):
    """A stored self-assessment by its token, or None."""
    from .models import SelfAssessment

    return SelfAssessment.objects.filter(token=token).first()


def transfers(*, user, party: str, year: int):
    """A party's recorded transfers in a year, for its representative or the zone administration."""
    access.require_party(user, party)
    return RecordedTransfer.objects.filter(party_id=party, transferred_on__year=year).order_by("transferred_on", "id")


def approvals(*, user=None, party: str | None = None, all_parties: bool = False):
    """Approvals ``user`` may see (``all_parties`` for the CLI, which runs as the zone administration)."""
    rows = Approval.objects.select_related("party", "replaced_by").prefetch_related("reminders").order_by("party_id", "-granted_on", "-id")
    if not all_parties:
        visible = access.visible_parties(user)
        if visible is not None:
            rows = rows.filter(party_id__in=visible)
    if party:
        rows = rows.filter(party_id=party.replace("\x00", ""))
    return rows


def reminders(*, user=None, party: str | None = None, all_parties: bool = False):
    """Reminders of approvals and of important-data notices ``user`` may see."""
    rows = Reminder.objects.select_related("approval", "notice").order_by("-due_on", "-id")
    if not all_parties:
        visible = access.visible_parties(user)
        if visible is not None:
            rows = rows.filter(Q(approval__party_id__in=visible) | Q(notice__party_id__in=visible))
    if party:
        party = party.replace("\x00", "")
        rows = rows.filter(Q(approval__party_id=party) | Q(notice__party_id=party))
    return rows


def notices(*, user=None, party: str | None = None, all_parties: bool = False):
    """Important-data notices ``user`` may see."""
    rows = ImportantDataNotice.objects.select_related("party").order_by("party_id", "-notified_on", "-id")
    if not all_parties:
        visible = access.visible_parties(user)
        if visible is not None:
            rows = rows.filter(party_id__in=visible)
    if party:
        rows = rows.filter(party_id=party.replace("\x00", ""))
    return rows


def notice_out(notice: ImportantDataNotice, *, today: dt.date) -> dict:
    deadline = validity.application_deadline(notice.notified_on)
    if notice.applied_on is not None:
        status = "applied"
    elif deadline is None:
        status = "no_period"
    else:
        status = "overdue" if today > deadline else "open"
    return {"id": notice.pk, "party": notice.party_id, "party_name": notice.party.name_zh, "notified_on": notice.notified_on,
            "reference": notice.reference, "notified_by": notice.notified_by, "categories": notice.categories,
            "application_deadline": deadline, "applied_on": notice.applied_on, "status": status, "note": notice.note,
            "cites": list(validity.notice_milestones(notice.notified_on)[0].cites) if deadline else [],
            "measures": [c.measure for c in validity.MEASURES]}


def approval_out(approval: Approval, *, today: dt.date) -> dict:
    """An approval as the API, the CLI and the pages show it, with its status on ``today``."""
    window = next((m for m in validity.milestones(approval.kind, approval.valid_until) if m.kind.endswith("window_opens")), None)
    renewal = validity.renewal_deadline(approval.valid_until) if approval.kind == "certification" and approval.valid_until else None
    replaced_by = getattr(approval, "replaced_by", None)
    return {
        "id": approval.pk, "party": approval.party_id, "party_name": approval.party.name_zh, "kind": approval.kind,
        "reference": approval.reference, "granted_on": approval.granted_on, "contract_effective_on": approval.contract_effective_on,
        "valid_until": approval.valid_until, "window_opens": window.due_on if window else None,
        "window_warnings": list(window.warnings) if window else [], "renewal_deadline": renewal,
        "status": validity.status(end=approval.valid_until, today=today, flagged=approval.needs_refiling,
                                  replaced=replaced_by is not None, window_opens=window.due_on if window else None),
        "recipient_countries": approval.recipient_countries, "categories": approval.categories,
        "includes_sensitive": approval.includes_sensitive, "needs_refiling": approval.needs_refiling,
        "refiling_reasons": approval.refiling_reasons, "replaces": approval.replaces_id,
        "replaced_by": replaced_by.pk if replaced_by else None, "is_extension": approval.is_extension, "note": approval.note,
        "measures": [c.measure for c in validity.MEASURES],
    }


def reminder_out(reminder: Reminder) -> dict:
    holder = reminder.approval if reminder.approval_id else reminder.notice
    return {"id": reminder.pk, "approval": reminder.approval_id, "notice": reminder.notice_id, "party": holder.party_id, "kind": reminder.kind,
            "due_on": reminder.due_on, "message_zh": reminder.message_zh, "message_en": reminder.message_en,
            "cites": reminder.cites, "warnings": reminder.warnings, "created_at": reminder.created_at,
            "measures": [c.measure for c in validity.MEASURES]}
