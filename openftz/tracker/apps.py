from django.apps import AppConfig
from django.core.signals import request_finished, request_started


class TrackerConfig(AppConfig):
    name = "openftz.tracker"
    label = "tracker"
    verbose_name = "Tracker"

    def ready(self) -> None:
        from .models import DataVersion

        request_started.connect(DataVersion.open_memo, dispatch_uid="tracker-data-version-open")
        request_finished.connect(DataVersion.close_memo, dispatch_uid="tracker-data-version-close")
