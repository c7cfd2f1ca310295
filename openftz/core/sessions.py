"""Django's database sessions, read with one prepared statement.

Every signed-in page reads its session first; Django's own store compiles an ORM query for it each time, which on
these machines costs several times the query itself. Writing, expiry and clearing stay Django's.
Use with ``SESSION_ENGINE = "openftz.core.sessions"``.
"""
from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from .rows import as_read_by_orm


class SessionStore(db.SessionStore):
    def load(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        ops = connection.ops
        sql = (f"SELECT {ops.quote_name('session_data')}, {ops.quote_name('expire_date')} FROM {ops.quote_name(model._meta.db_table)} "
               f"WHERE {ops.quote_name('session_key')} = %s AND {ops.quote_name('expire_date')} > %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        self.stored_expiry = row[1]  # as the database returns it (a string on SQLite); see ``expires_at``
        return self.decode(row[0])

    def expires_at(self):
        """When the stored session ends (the ``expire_date`` read with it), or None if it was not read from the database."""
        stored = getattr(self, "stored_expiry", None)
        if stored is None:
            return None
        return as_read_by_orm(self.model, ["expire_date"], [stored], using=router.db_for_read(self.model))[0]
