from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "openftz.records"
    label = "records"
    verbose_name = "Transferable records"
