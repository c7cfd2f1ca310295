"""Django's database sessions, read with one prepared statement.

Every signed-in page reads its session first; Django's own store compiles an ORM query for it each time, which on
these machines costs several times the query itself. Writing, expiry and clearing stay Django's.
Use with ``SESSION_ENGINE = "openftz.core.sessions"``.
"""
from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        ops = connection.ops
        sql = (f"SELECT {ops.quote_name('session_data')} FROM {ops.quote_name(model._meta.db_table)} "
               f"WHERE {ops.quote_name('session_key')} = %s AND {ops.quote_name('expire_date')} > %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
