"""Procurement's part of 我的工作 / My work, by role (permissions.py):

- review body (SH-85): challenges to route (accept, or reject as late or inadmissible) and accepted ones to decide;
- procuring-entity officer: challenges against its own procedures still without its statement (SH-86), and
  debriefing requests to answer (SH-80), due on the day the ``debriefing_answer_days`` parameter gives, flagged overdue;
- supplier: its own debriefing requests still unanswered (when the answer is due, and whether it is late);
- supervisor: debriefing answers that are overdue, at every entity.

Challenges have no period for these steps in the parameters, so they carry no deadline. Read through procurement's
selectors and permissions."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openftz.core.workspace import WorkItem, register, register_parties

from . import selectors
from .permissions import Action, can, role_of
from .rules import workflow


def _title(procedure) -> str:
    return procedure.title_en if (get_language() or "").startswith("en") and procedure.title_en else procedure.title


def _subject(obj) -> str:
    supplier = obj.supplier
    name = supplier.name_en if (get_language() or "").startswith("en") and supplier.name_en else supplier.name_zh
    return f"{_title(obj.procedure)} · {name}"


def _overdue(d, today: dt.date) -> bool:
    return workflow.debriefing_overdue(due_on=d.due_on, answered_on=d.answered_on, today=today)


def items(user, today: dt.date) -> list[WorkItem]:
    role = role_of(user)
    if role == "public":
        return []
    out: list[WorkItem] = []
    for c in selectors.challenges(user).filter(status__in=("filed", "accepted")):
        url = reverse("procurement:challenge", args=[c.pk])
        if c.status == "filed" and can(user, Action.ROUTE_CHALLENGE, c):
            out.append(WorkItem("procurement", "challenge_to_route", _("Challenge to accept or reject"), _subject(c), url))
        elif c.status == "accepted" and can(user, Action.DECIDE_CHALLENGE, c):
            out.append(WorkItem("procurement", "challenge_to_decide", _("Challenge to decide"), _subject(c), url))
        elif not c.entity_statement and can(user, Action.STATE_ON_CHALLENGE, c):
            out.append(WorkItem("procurement", "challenge_statement", _("Statement on a challenge"), _subject(c), url))
    for d in selectors.debriefings(user):
        if d.answered_on is not None or not can(user, Action.VIEW_DEBRIEFING, d):
            continue
        url = reverse("procurement:debriefing", args=[d.pk])
        overdue = _overdue(d, today)
        if can(user, Action.ANSWER_DEBRIEFING, d):
            out.append(WorkItem("procurement", "debriefing_to_answer", _("Debriefing to answer"), _subject(d), url,
                                d.due_on, overdue))
        elif role == "supplier":
            out.append(WorkItem("procurement", "debriefing_awaited", _("Debriefing answer awaited"), _subject(d), url,
                                d.due_on, overdue))
        elif role == "supervisor" and overdue:
            out.append(WorkItem("procurement", "debriefing_overdue", _("Debriefing answer overdue"), _subject(d), url,
                                d.due_on, overdue))
    return out


register("procurement", gettext_lazy("Procurement"), items, order=30)


def _supplier_party(user) -> str | None:
    profile = getattr(user, "procurement_profile", None) if role_of(user) == "supplier" else None
    return profile.party_id if profile is not None else None


register_parties("procurement", _supplier_party)
