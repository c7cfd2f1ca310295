from django.apps import AppConfig


class RulebookConfig(AppConfig):
    name = "openftz.rulebook"
    label = "rulebook"
    verbose_name = "Rulebook"
