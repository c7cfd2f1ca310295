from django.apps import AppConfig


class DataexportConfig(AppConfig):
    name = "openftz.dataexport"
    label = "dataexport"
    verbose_name = "Cross-border data export"
