from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "openftz.records"
    label = "records"
    verbose_name = "Transferable records"

    def ready(self) -> None:
        from openftz.ledger.selectors import register_subject_check

        from .rules import SUBJECT_PREFIX
        from .selectors import records_verify_problems

        # `openftz ledger verify` also checks every record's stored state against its ledger history
        register_subject_check(SUBJECT_PREFIX, records_verify_problems)
