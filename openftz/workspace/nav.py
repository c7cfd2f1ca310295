"""My work in the site's menu: first, for everyone signed in."""
from django.utils.translation import gettext_lazy as _

from openftz.core.navigation import Entry, register, signed_in

register(Entry("work", _("My work"), "workspace:work", visible=signed_in, order=0))
