"""Django's ModelBackend, reading a signed-in user together with its tracker profile.

Every signed-in request needs both (the profile holds the role the permission checks read); the ORM would compile
two queries for them on each request, and even a raw queryset costs several times the read itself. One prepared
statement reads both, and the two model instances are built from its row; everything else is ModelBackend's.
"""
from __future__ import annotations

from functools import cache

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.db import connections, router

from openftz.core.rows import as_read_by_orm

from .models import Profile

_PROFILE_FIELDS = ("id", "role", "unit_id", "organisation")


@cache
def _columns() -> tuple[list[str], str]:
    user_fields = [f.attname for f in User._meta.concrete_fields]
    user, profile = User._meta.db_table, Profile._meta.db_table
    columns = ", ".join([*(f"u.{name}" for name in user_fields), *(f"p.{name}" for name in _PROFILE_FIELDS)])
    return user_fields, f"SELECT {columns} FROM {user} u LEFT JOIN {profile} p ON p.user_id = u.id WHERE u.id = %s"


class Backend(ModelBackend):
    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        user_fields, sql = _columns()
        connection = connections[router.db_for_read(User)]
        with connection.cursor() as cursor:
            cursor.execute(sql, [user_id])
            row = cursor.fetchone()
        if row is None:
            return None
        n = len(user_fields)
        user = User.from_db(connection.alias, user_fields, as_read_by_orm(User, user_fields, row[:n], using=connection.alias))
        if not self.user_can_authenticate(user):
            return None
        relation = User._meta.get_field("tracker_profile")
        if row[n] is None:
            relation.set_cached_value(user, None)
        else:  # from_db takes the values in the model's field order
            read = dict(zip(_PROFILE_FIELDS, row[n:])) | {"user_id": user.pk}
            names = [f.attname for f in Profile._meta.concrete_fields]
            relation.set_cached_value(user, Profile.from_db(connection.alias, names, [read[name] for name in names]))
        return user
