from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "openftz.ledger"
    label = "ledger"
    verbose_name = "Ledger"
