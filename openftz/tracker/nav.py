"""The tracker's places in the site's menu: the public progress for everyone, the rest by role (permissions.py)."""
from django.utils.translation import gettext_lazy as _

from openftz.core.navigation import Entry, register

from .permissions import Action, can


def _may(action: Action):
    return lambda user: can(user, action)


register(
    Entry("tracker", _("Public progress"), "tracker:public", order=10),
    Entry("tracker", _("Dashboard"), "tracker:dashboard", visible=_may(Action.VIEW_DASHBOARD), order=20),
    Entry("tracker", _("Tasks"), "tracker:tasks", visible=_may(Action.VIEW_DASHBOARD), order=30),
    Entry("tracker", _("Reviews"), "tracker:reviews", visible=_may(Action.REVIEW_REPORT), order=40),
    Entry("tracker", _("Risks"), "tracker:risks", visible=_may(Action.VIEW_RISKS), order=50),
    Entry("tracker", _("Award cases"), "tracker:cases",
          visible=lambda user: can(user, Action.SUBMIT_CASE) or can(user, Action.SCORE_CASE), order=60),
    Entry("tracker", _("Enterprise feedback"), "tracker:feedback",
          visible=lambda user: can(user, Action.ANSWER_FEEDBACK) or can(user, Action.PUBLISH_FEEDBACK), order=70),
    Entry("tracker", _("Excel"), "tracker:excel", visible=_may(Action.EXPORT), order=80),
)
