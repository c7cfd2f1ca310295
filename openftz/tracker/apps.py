from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "openftz.tracker"
    label = "tracker"
    verbose_name = "Tracker"
