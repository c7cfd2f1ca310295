"""Data export in the site's menu: the self-assessment for everyone, approvals for representatives and the zone."""
from django.utils.translation import gettext_lazy as _

from openftz.core.navigation import Entry, register

from .access import is_zone_admin, represented_party

register(
    Entry("services", _("Data export"), "dataexport:assess", order=20),
    Entry("services", _("Data export approvals"), "dataexport:approvals",
          visible=lambda user: is_zone_admin(user) or represented_party(user) is not None, order=21),
)
