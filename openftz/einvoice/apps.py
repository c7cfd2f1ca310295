from django.apps import AppConfig


class EinvoiceConfig(AppConfig):
    name = "openftz.einvoice"
    label = "einvoice"
    verbose_name = "E-invoices (EN 16931, Peppol BIS 3.0)"
