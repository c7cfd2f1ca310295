"""The e-invoice exchange's part of 我的工作 / My work, for a user who acts for a party (who has an inbox):

- as buyer, invoices received that still wait for its Invoice Response (no status yet, or only acknowledged / in
  process: AB, IP — the buyer has still to accept, query or reject);
- as seller, invoices the buyer has queried (UQ) or accepted on conditions (CA), which wait for the seller, and
  invoices the buyer rejected (RE) in the last week, so that the seller issues a new invoice or a credit note.

Peppol sets no period for these answers: the items have no deadline. Read through einvoice's selectors and
permissions (only the user's own party's messages)."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openftz.core.workspace import WEEK_DAYS, WorkItem, register, register_parties

from . import selectors
from .permissions import Action, can, party_id_of

TO_ANSWER = ("", "AB", "IP")  # no Invoice Response yet, or one that does not decide
WAITING_FOR_SELLER = ("UQ", "CA")
REJECTED = "RE"
ACCEPTED_MESSAGE = "AP"  # message level: the single window accepted the message (a rejected one is no invoice to answer)


def _name(party) -> str:
    return party.name_en if (get_language() or "").startswith("en") and party.name_en else party.name_zh


def _subject(message, party) -> str:
    return f"{message.number or message.instance_id} · {_name(party)}"


def items(user, today: dt.date) -> list[WorkItem]:
    party = party_id_of(user)
    if party is None:
        return []
    out: list[WorkItem] = []
    for m in selectors.inbox(party).filter(message_level=ACCEPTED_MESSAGE, status__in=TO_ANSWER):
        if can(user, Action.RESPOND, m):
            out.append(WorkItem("einvoice", "invoice_to_answer", _("Invoice to answer"), _subject(m, m.sender),
                                reverse("einvoice:message", args=[m.pk])))
    titles = {"UQ": _("Buyer's query to answer"), "CA": _("Invoice accepted on conditions"),
              REJECTED: _("Invoice rejected by the buyer")}
    since = today - dt.timedelta(days=WEEK_DAYS)
    for m in selectors.outbox(party).filter(status__in=(*WAITING_FOR_SELLER, REJECTED)).prefetch_related("responses"):
        if not can(user, Action.VIEW, m):
            continue
        if m.status == REJECTED:
            last = max((r.issued_at for r in m.responses.all()), default=None)
            if last is None or timezone.localdate(last) < since:
                continue
        out.append(WorkItem("einvoice", f"response_{m.status.lower()}", titles[m.status], _subject(m, m.receiver),
                            reverse("einvoice:message", args=[m.pk])))
    return out


register("einvoice", gettext_lazy("E-invoices"), items, order=50)
register_parties("einvoice", party_id_of)
