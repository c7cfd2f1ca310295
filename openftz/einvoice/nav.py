"""E-invoices in the site's menu: only for a user who acts for a party (who has an inbox)."""
from django.utils.translation import gettext_lazy as _

from openftz.core.navigation import Entry, register

from .permissions import party_id_of


def _has_inbox(user) -> bool:
    return party_id_of(user) is not None


register(
    Entry("services", _("E-invoices"), "einvoice:inbox", visible=_has_inbox, order=50),
    Entry("services", _("Sent invoices"), "einvoice:outbox", visible=_has_inbox, order=51),
)
