"""The rulebook's places in the site's menu (everyone may read the plans)."""
from django.utils.translation import gettext_lazy as _

from openftz.core.navigation import Entry, register

register(
    Entry("rulebook", _("Home"), "rulebook:home", order=0, exact=True),
    Entry("rulebook", _("State Council plan"), "rulebook:plan", args=("SC",), order=10),
    Entry("rulebook", _("Shanghai plan"), "rulebook:plan", args=("SH",), order=20),
    Entry("rulebook", _("Responsible units"), "rulebook:units", order=30),
    Entry("rulebook", _("Search"), "rulebook:search", order=40),
)
