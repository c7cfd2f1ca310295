from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "openftz.parties"
    label = "parties"
    verbose_name = "Parties"
