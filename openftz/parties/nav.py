"""The enterprise directory in the site's menu."""
from django.utils.translation import gettext_lazy as _

from openftz.core.navigation import Entry, register

register(Entry("services", _("Enterprise directory"), "parties:list", order=60))
