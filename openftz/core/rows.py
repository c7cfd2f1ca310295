"""Values read by a hand-written statement, converted as the ORM converts them when it reads a model's rows (SQLite
returns datetimes as text and booleans as integers). For the few reads on every request that skip the ORM."""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.db import connections


@cache
def _converters(model, attname: str, alias: str) -> tuple:
    connection = connections[alias]
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    col = field.get_col(model._meta.db_table)
    return col, tuple(connection.ops.get_db_converters(col) + field.get_db_converters(connection))


def as_read_by_orm(model, attnames: Sequence[str], values: Sequence, *, using: str) -> list:
    """``values`` of the columns ``attnames`` of ``model``, converted as the ORM would give them."""
    connection = connections[using]
    out = list(values)
    for i, attname in enumerate(attnames):
        col, converters = _converters(model, attname, using)
        for convert in converters:
            out[i] = convert(out[i], col, connection)
    return out
