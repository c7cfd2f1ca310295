"""Django's ModelBackend, reading a signed-in user together with its tracker profile.

Every signed-in request needs both (the profile holds the role the permission checks read); the ORM would compile
two queries for them on each request. One raw query reads both; everything else is ModelBackend's.
"""
from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User

from .models import Profile

_PROFILE_FIELDS = ("id", "role", "unit_id", "organisation")


def _sql() -> str:
    user, profile = User._meta.db_table, Profile._meta.db_table
    columns = ", ".join(f"p.{name} AS profile_{name}" for name in _PROFILE_FIELDS)
    return f"SELECT u.*, {columns} FROM {user} u LEFT JOIN {profile} p ON p.user_id = u.id WHERE u.id = %s"


class Backend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = next(iter(User.objects.raw(_sql(), [int(user_id)])), None)
        except (TypeError, ValueError):
            return None
        if user is None or not self.user_can_authenticate(user):
            return None
        relation = User._meta.get_field("tracker_profile")
        if user.profile_id is None:
            relation.set_cached_value(user, None)
        else:
            profile = Profile.from_db(user._state.db, ["user_id", *_PROFILE_FIELDS],
                                      [user.pk, *(getattr(user, f"profile_{name}") for name in _PROFILE_FIELDS)])
            relation.set_cached_value(user, profile)
        return user
