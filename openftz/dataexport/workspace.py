"""Data export's part of 我的工作 / My work: approvals that need the enterprise's (and the zone administration's)
attention — to be filed again because a recorded transfer went beyond them (数据出境安全评估办法 Art. 14, 个人信息出境
标准合同办法 Art. 8), expired without a successor, in their extension or renewal window, or ending within the
reminder period (the ``expiry_reminder_days`` parameter). Each is due on its last valid day.

An enterprise's representative sees its own party's approvals, the zone administration everyone's; anyone else
nothing (access.py). Read through data export's selectors."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openftz.core.parameters import parameter
from openftz.core.workspace import WorkItem, register, register_parties

from . import access, selectors, validity


def items(user, today: dt.date) -> list[WorkItem]:
    if not (access.is_zone_admin(user) or access.represented_party(user) is not None):
        return []
    english = (get_language() or "").startswith("en")
    ahead = max(parameter("dataexport", "expiry_reminder_days").at(today))
    titles = {"needs_refiling": _("Export approval to file again"), "expired": _("Export approval expired"),
              "window_open": _("Export approval: extension or renewal window open"),
              "valid": _("Export approval ending")}
    url = reverse("dataexport:approvals")
    out: list[WorkItem] = []
    for approval in selectors.approvals(user=user):
        row = selectors.approval_out(approval, today=today)
        status, end = row["status"], row["valid_until"]
        if status == "replaced":
            continue
        if status == "valid" and (end is None or (end - today).days > ahead):
            continue
        label = validity.LABELS[row["kind"]][1 if english else 0]
        party = approval.party.name_en if english and approval.party.name_en else row["party_name"]
        out.append(WorkItem("dataexport", f"approval_{status}", titles[status], f"{label} {row['reference']} · {party}",
                            f"{url}#approval-{row['id']}", None if status == "needs_refiling" else end))
    return out


register("dataexport", gettext_lazy("Data export"), items, order=20)
register_parties("dataexport", access.represented_party)
