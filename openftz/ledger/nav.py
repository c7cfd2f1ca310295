"""The verifiable ledger in the site's menu (anyone may check it)."""
from django.utils.translation import gettext_lazy as _

from openftz.core.navigation import Entry, register

register(
    Entry("services", _("Ledger"), "ledger:home", order=70),
    Entry("services", _("Verify a history"), "ledger:verify", order=71),
)
