from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "openftz.core"
    label = "core"
