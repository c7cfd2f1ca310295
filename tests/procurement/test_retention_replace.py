"""SH-81: a kept record cannot be replaced either — SQLite's REPLACE conflict resolution (``INSERT OR REPLACE``,
``REPLACE``, ``UPDATE OR REPLACE``) deletes the row in its way without firing the delete triggers, and an upsert
(``INSERT … ON CONFLICT DO UPDATE``, both databases) rewrites it. Every kept table, every unique key, every path."""
import datetime as dt

import pytest
from django.db import connection, transaction

from openftz.procurement import retention, services
from openftz.procurement.models import AuditEntry, Procedure
from openftz.procurement.retention import KEPT_TABLES, RecordsKept

from .conftest import T0, awarded_procedure

GROUNDS = "近3年内在履行本单位采购合同中发生重大实质性违约且未及时补救的供应商,拒绝其参与。"
SQLITE = connection.vendor == "sqlite"


@pytest.fixture
def kept(world):
    """Two rows (one for exclusions) in every kept table."""
    u = world["users"]
    first = awarded_procedure(world, exclusion_grounds=GROUNDS)
    awarded_procedure(world)
    for supplier in ("beta", "gamma"):
        services.challenge_file(actor=u[supplier], procedure=first, grounds="评分不公", knew_on=T0.date(),
                                files=[services.Upload("证据.txt", f"{supplier} 的证据".encode())], when=T0 + dt.timedelta(days=46))
        services.debriefing_request(actor=u[supplier], procedure=first, when=T0 + dt.timedelta(days=46))
        services.confidential_mark(actor=u["officer"], procedure=first, supplier_id=f"{supplier}-med", text=f"{supplier} 单价")
    breach = services.debarment_record(actor=u["officer"], supplier_id="gamma-med", entity_id="ftz-hospital",
                                       contract_reference="HT-2023-018", breach_on=dt.date(2023, 6, 1),
                                       decided_on=dt.date(2023, 9, 1), grounds="交付设备与合同约定型号不符")
    services.supplier_exclude(actor=u["officer"], procedure=first, debarment=breach)
    with connection.cursor() as cursor:
        for table in KEPT_TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            assert cursor.fetchone()[0] >= (1 if table == "procurement_exclusion" else 2), table
    return first


def _columns(table):
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def _snapshot(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")
        return cursor.fetchall()


def _refused(sql, params=()):
    with pytest.raises(RecordsKept) as exc, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return exc.value


def _first_id(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {table}")
        return cursor.fetchone()


def test_every_unique_key_of_every_kept_table_is_guarded(db):
    keys = retention.unique_keys(connection)
    assert set(keys) == set(KEPT_TABLES) and all(("id",) in k for k in keys.values())
    assert ("ocid",) in keys["procurement_procedure"] and ("release_id",) in keys["procurement_release"]
    assert ("procedure_id", "seq") in keys["procurement_release"]
    assert ("procedure_id", "supplier_id") in keys["procurement_debriefing"]
    install, _ = retention.replace_trigger_sql(connection.vendor, keys)
    for table, table_keys in keys.items():
        statement = next(s for s in install if f"CREATE TRIGGER {table}_no_replace " in s or f"FUNCTION {table}_no_replace()" in s)
        for key in table_keys:
            assert " AND ".join(f'k."{c}" = NEW."{c}"' for c in key) in statement, (table, key)


@pytest.mark.parametrize("table", KEPT_TABLES)
def test_a_kept_row_cannot_be_replaced_by_an_insert_on_any_of_its_keys(kept, table):
    columns = _columns(table)
    listed = ", ".join(f'"{c}"' for c in columns)
    without_id = ", ".join(f'"{c}"' for c in columns if c != "id")
    row_id, _ = _first_id(table)
    before = _snapshot(table)
    statements = []
    for key in retention.unique_keys(connection)[table]:
        cols = listed if key == ("id",) else without_id
        target = ", ".join(f'"{c}"' for c in key)
        # an upsert: SQLite and PostgreSQL
        statements.append(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {table} WHERE id = %s "
                          f"ON CONFLICT ({target}) DO UPDATE SET \"{key[0]}\" = excluded.\"{key[0]}\"")
        statements.append(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {table} WHERE id = %s ON CONFLICT DO NOTHING")
        if SQLITE:
            statements.append(f"INSERT OR REPLACE INTO {table} ({cols}) SELECT {cols} FROM {table} WHERE id = %s")
            statements.append(f"REPLACE INTO {table} ({cols}) SELECT {cols} FROM {table} WHERE id = %s")
    for sql in statements:
        error = _refused(sql, [row_id])
        assert "cannot be replaced" in error.message_en or "cannot be changed" in error.message_en, sql
    assert _snapshot(table) == before


@pytest.mark.parametrize("table", KEPT_TABLES)
def test_a_kept_row_cannot_be_replaced_or_merged_away_by_another_statement(kept, table):
    """SQLite: UPDATE OR REPLACE onto another row's key deletes that row. PostgreSQL: MERGE … WHEN MATCHED THEN DELETE."""
    low, high = _first_id(table)
    before = _snapshot(table)
    if SQLITE:
        if low == high:  # one row only (exclusions): it cannot collide with another
            assert table == "procurement_exclusion"
        else:
            _refused(f"UPDATE OR REPLACE {table} SET id = %s WHERE id = %s", [low, high])
            for key in retention.unique_keys(connection)[table]:
                if key != ("id",):
                    assignments = ", ".join(f'"{c}" = (SELECT "{c}" FROM {table} WHERE id = %s)' for c in key)
                    _refused(f"UPDATE OR REPLACE {table} SET {assignments} WHERE id = %s", [low] * len(key) + [high])
    else:
        _refused(f"MERGE INTO {table} t USING (SELECT %s::bigint AS id) s ON t.id = s.id WHEN MATCHED THEN DELETE", [low])
    assert _snapshot(table) == before


def test_a_procedure_cannot_be_shortened_by_replacing_it_and_then_deleted(kept, world):
    """The attack itself: rewrite the retention date of an ended procedure through REPLACE (an upsert on PostgreSQL,
    where the update trigger already refused it), then delete it with raw SQL."""
    services.procedure_end(actor=world["users"]["officer"], procedure=kept, status="complete", when=T0 + dt.timedelta(days=60))
    columns = [c for c in _columns("procurement_procedure")]
    values = ", ".join("'2000-01-01'" if c in ("retain_until", "ended_on") else f'"{c}"' for c in columns)
    listed = ", ".join(f'"{c}"' for c in columns)
    replace = (f"INSERT OR REPLACE INTO procurement_procedure ({listed}) SELECT {values} FROM procurement_procedure WHERE id = %s"
               if SQLITE else
               f"INSERT INTO procurement_procedure ({listed}) SELECT {values} FROM procurement_procedure WHERE id = %s "
               "ON CONFLICT (id) DO UPDATE SET retain_until = excluded.retain_until, ended_on = excluded.ended_on")
    _refused(replace, [kept.pk])
    _refused("DELETE FROM procurement_procedure WHERE id = %s", [kept.pk])
    procedure = Procedure.objects.get(pk=kept.pk)
    assert (procedure.ended_on, procedure.retain_until) == (dt.date(2025, 5, 2), dt.date(2040, 5, 2))


def test_an_audit_entry_cannot_be_rewritten_by_replacing_it(kept):
    entry = AuditEntry.objects.order_by("id").first()
    columns = _columns("procurement_auditentry")
    values = ", ".join("'nothing happened'" if c == "action" else f'"{c}"' for c in columns)
    listed = ", ".join(f'"{c}"' for c in columns)
    sql = (f"REPLACE INTO procurement_auditentry ({listed}) SELECT {values} FROM procurement_auditentry WHERE id = %s"
           if SQLITE else
           f"INSERT INTO procurement_auditentry ({listed}) SELECT {values} FROM procurement_auditentry WHERE id = %s "
           "ON CONFLICT (id) DO UPDATE SET action = excluded.action")
    _refused(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == entry.action


def test_the_service_still_inserts_new_rows(kept, world):
    """The guard refuses only a taken key: the workflow goes on as before."""
    procedure = awarded_procedure(world)
    assert procedure.releases.count() == 3
    services.procedure_end(actor=world["users"]["officer"], procedure=procedure, status="complete", when=T0 + dt.timedelta(days=60))
    assert Procedure.objects.get(pk=procedure.pk).retain_until == dt.date(2040, 5, 2)
