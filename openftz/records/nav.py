"""Transferable records in the site's menu (the register is public: states and signed histories)."""
from django.utils.translation import gettext_lazy as _

from openftz.core.navigation import Entry, register

register(Entry("services", _("Transferable records"), "records:list", order=40))
