"""Transferable records' part of 我的工作 / My work: the records a party the user acts for controls — as holder of an
active record, or as issuer with a surrender to accept or reject.

The registry has no user link of its own (an instruction is signed with the party's key), so the parties are those
the user acts for in the other services (core.workspace.acting_parties). The register is public; this only picks
out the user's own. Read through records' selectors."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openftz.core.workspace import WorkItem, acting_parties, register

from . import selectors

KINDS = {"ebl": ("电子提单", "e-bill of lading"), "ewr": ("电子仓单", "e-warehouse receipt")}


def items(user, today: dt.date) -> list[WorkItem]:
    parties = acting_parties(user)
    if not parties:
        return []
    english = (get_language() or "").startswith("en")
    out: list[WorkItem] = []
    for party in sorted(parties):
        for r in selectors.records(holder=party).filter(status__in=("active", "surrender_requested")):
            kind = KINDS.get(r.kind, (r.kind, r.kind))[1 if english else 0]
            url = reverse("records:detail", args=[r.pk])
            if r.status == "active":
                out.append(WorkItem("records", "record_held", _("Record you control"), f"{kind} {r.pk}", url))
            else:
                out.append(WorkItem("records", "surrender_to_accept", _("Surrender to accept or reject"),
                                    f"{kind} {r.pk}", url))
    return out


register("records", gettext_lazy("Transferable records"), items, order=40)
