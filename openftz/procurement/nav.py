"""Procurement in the site's menu: procedures and the compliance check for everyone, the registers by role."""
from django.utils.translation import gettext_lazy as _

from openftz.core.navigation import Entry, register

from .permissions import Action, can


def _may(action: Action):
    return lambda user: can(user, action)


register(
    Entry("services", _("Procurement"), "procurement:home", order=30),
    Entry("services", _("Procurement compliance check"), "procurement:check", order=31),
    Entry("services", _("Challenges"), "procurement:challenges", visible=_may(Action.VIEW_CHALLENGE), order=32),
    Entry("services", _("Debriefings"), "procurement:debriefings", visible=_may(Action.VIEW_DEBRIEFING), order=33),
    Entry("services", _("Debarments"), "procurement:debarments", visible=_may(Action.VIEW_DEBARMENTS), order=34),
)
