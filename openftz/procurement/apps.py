from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "openftz.procurement"
    label = "procurement"
    verbose_name = "Government procurement"

    def ready(self) -> None:
        from . import retention

        retention.watch_connections()
