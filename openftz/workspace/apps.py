from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "openftz.workspace"
    label = "workspace"
    verbose_name = "My work"
