from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import RedirectView

from openftz.api import api

def healthz(request):
    """Liveness check for load balancers: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
# Chinese at /, English at /en/ — so that either language has links of its own.
urlpatterns += i18n_patterns(
    path("work/", include("openftz.workspace.urls")),
    path("tracker/", include("openftz.tracker.urls")),
    path("parties/", include("openftz.parties.urls")),
    path("ledger/", include("openftz.ledger.urls")),
    path("records/", include("openftz.records.urls")),
    path("dataexport/", include("openftz.dataexport.urls")),
    path("procurement/", include("openftz.procurement.urls")),
    path("einvoice/", include("openftz.einvoice.urls")),
    path("", include("openftz.rulebook.urls")),
    # the API and its documentation are one, in English with bilingual errors: /en/api/docs leads there
    path("api/docs", RedirectView.as_view(url="/api/docs", permanent=False)),
    prefix_default_language=False,
)
