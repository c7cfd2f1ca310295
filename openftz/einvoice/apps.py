from django.apps import AppConfig


class EinvoiceConfig(AppConfig):
    name = "openftz.einvoice"
    label = "einvoice"
    verbose_name = "Cross-border data export"
