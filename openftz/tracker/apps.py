from django.apps import AppConfig
from django.core.signals import request_finished, request_started


def _user_saved(sender, update_fields=None, **kwargs) -> None:
    """A sign-in only stamps ``last_login``; any other save of a user may change what its sessions may see."""
    from .models import DataVersion

    if update_fields is None or set(update_fields) != {"last_login"}:
        DataVersion.bump_access()


class TrackerConfig(AppConfig):
    name = "openftz.tracker"
    label = "tracker"
    verbose_name = "Tracker"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_out
        from django.contrib.sessions.models import Session
        from django.db.models.signals import post_delete, post_save

        from .models import DataVersion, Profile

        request_started.connect(DataVersion.open_memo, dispatch_uid="tracker-data-version-open")
        request_finished.connect(DataVersion.close_memo, dispatch_uid="tracker-data-version-close")
        # what the processes remember of verified sessions (pagecache.py) is dropped when any of these happen
        User = get_user_model()
        user_logged_out.connect(DataVersion.bump_access, dispatch_uid="tracker-access-logout")
        post_save.connect(_user_saved, sender=User, dispatch_uid="tracker-access-user-saved")
        post_delete.connect(DataVersion.bump_access, sender=User, dispatch_uid="tracker-access-user-deleted")
        post_save.connect(DataVersion.bump_access, sender=Profile, dispatch_uid="tracker-access-profile-saved")
        post_delete.connect(DataVersion.bump_access, sender=Profile, dispatch_uid="tracker-access-profile-deleted")
        post_delete.connect(DataVersion.bump_access, sender=Session, dispatch_uid="tracker-access-session-deleted")
