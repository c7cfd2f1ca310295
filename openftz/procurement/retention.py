"""Keeping procedure records 15 years from the end of the procurement (SH-81, SC-57: 至少保存15年, 不得…销毁).

Two guards. The application's: every deletion through the models, the admin, the API or a service asks
``guard_delete`` first, which writes a refusal to the audit trail and raises ``RecordsKept``. The database's:
triggers (installed by migrations 0002 and 0003, SQLite and PostgreSQL) refuse a DELETE of a kept row however it is
sent — raw SQL included —, changes to releases and audit entries, any shortening of a retention date, and the
replacement of a kept row (SQLite's REPLACE conflict resolution, an upsert on either database).
A refusal by a trigger is logged by the connection wrapper installed here (and written to the audit trail when the
statement ran outside a transaction, where the connection is still usable after the refusal).
"""
from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from django.db.backends.signals import connection_created

from openftz.core.errors import OpenFTZError
from openftz.core.findings import Finding

from .rules import workflow

log = logging.getLogger("openftz.procurement.retention")
SHANGHAI = ZoneInfo("Asia/Shanghai")
MARKER = "openftz_retention"
# Tables whose rows follow their procedure's retention date; the procedure table itself; the append-only ones.
CHILD_TABLES = ("procurement_release", "procurement_challenge", "procurement_challengeevidence", "procurement_debriefing",
                "procurement_confidentialitem", "procurement_exclusion")
PROCEDURE_TABLE = "procurement_procedure"
APPEND_ONLY_TABLES = ("procurement_release", "procurement_challengeevidence", "procurement_auditentry")
KEPT_TABLES = (*CHILD_TABLES, PROCEDURE_TABLE, "procurement_auditentry")


class RecordsKept(OpenFTZError):
    status = 409
    code = "records_kept"


def today() -> dt.date:
    return dt.datetime.now(SHANGHAI).date()


def _procedure_of(obj):
    from .models import Procedure

    return obj if isinstance(obj, Procedure) else getattr(obj, "procedure", None)


def guard_delete(*, actor, obj, via: str) -> None:
    """Refuse (and audit) the deletion of a kept record; return if its retention period is over."""
    from .models import AuditEntry

    if isinstance(obj, AuditEntry):
        findings = [Finding.of("PW-AUDIT-APPEND-ONLY", "violation", "审计记录不得删除", "audit entries cannot be deleted",
                                        cites=("SH-81", "SC-57"))]
        procedure = None
    else:
        from .models import Procedure

        procedure = _procedure_of(obj)
        # the stored date, not the one an object in memory may hold
        stored = Procedure.objects.filter(pk=procedure.pk).values_list("retain_until", flat=True).first() if procedure else None
        findings = workflow.deletion_findings(retain_until_on=stored, today=today())
    if not findings:
        return
    kind = type(obj).__name__.lower()
    details = {"findings": [f.as_dict() for f in findings]}
    AuditEntry.objects.create(actor=actor if getattr(actor, "pk", None) else None, actor_name=getattr(actor, "username", ""),
                              action="delete_refused", object_type=kind, object_id=str(obj.pk),
                              ocid=procedure.ocid if procedure else "", via=via, details=details)
    log.warning("deletion refused via %s: %s %s (%s)", via, kind, obj.pk, findings[0].message_en)
    raise RecordsKept(f"记录须依法保存,不得删除:{findings[0].message_zh}", f"the record is kept by law: {findings[0].message_en}",
                      details={"object": kind, "id": str(obj.pk), **details})


# — the database's guard

def _sqlite_today() -> str:
    return "date('now', '+8 hours')"  # Asia/Shanghai has no daylight saving time


def unique_keys(connection) -> dict[str, list[tuple[str, ...]]]:
    """Every unique key (primary key included) of every kept table, as the database holds them: the columns an
    ``INSERT OR REPLACE`` / ``REPLACE`` / ``UPDATE OR REPLACE`` (SQLite) or ``INSERT … ON CONFLICT`` can collide on."""
    keys: dict[str, list[tuple[str, ...]]] = {}
    with connection.cursor() as cursor:
        for table in KEPT_TABLES:
            found: list[tuple[str, ...]] = []
            for constraint in connection.introspection.get_constraints(cursor, table).values():
                columns = tuple(constraint["columns"] or ())
                if (constraint["primary_key"] or constraint["unique"]) and columns and columns not in found:
                    found.append(columns)
            keys[table] = sorted(found)
    return keys


def _collision(table: str, key: tuple[str, ...], *, other_row: str | None = None) -> str:
    match = " AND ".join(f'k."{column}" = NEW."{column}"' for column in key)
    return f"EXISTS (SELECT 1 FROM {table} AS k WHERE {match}{f' AND {other_row}' if other_row else ''})"


def replace_trigger_sql(vendor: str, keys: dict[str, list[tuple[str, ...]]]) -> tuple[list[str], list[str]]:
    """Triggers that refuse to replace a kept row (migration 0003).

    SQLite's REPLACE conflict resolution (``INSERT OR REPLACE``, ``REPLACE``, ``UPDATE OR REPLACE``) deletes the rows
    in the way without firing delete triggers (unless ``PRAGMA recursive_triggers`` is on in that connection), and an
    upsert (``INSERT … ON CONFLICT DO UPDATE``) rewrites the row in place. So an insert whose key (any unique key) is
    already taken is refused before the conflict is resolved, on both databases, whatever its conflict clause; and on
    SQLite an update that would make a row collide with another one is refused too. A plain insert with a taken key
    would fail anyway, so no legitimate statement is refused."""
    install: list[str] = []
    drop: list[str] = []
    message = "rows cannot be replaced (SH-81: 不得伪造、变造、隐匿或者销毁)"
    for table in KEPT_TABLES:
        table_keys = keys.get(table) or []
        if not table_keys:
            continue
        if vendor == "sqlite":
            on_insert = " OR ".join(_collision(table, key) for key in table_keys)
            on_update = " OR ".join(_collision(table, key, other_row="k.rowid <> OLD.rowid") for key in table_keys)
            columns = ", ".join(sorted({f'"{c}"' for key in table_keys for c in key}))
            install += [
                f"DROP TRIGGER IF EXISTS {table}_no_replace",
                f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} WHEN {on_insert} "
                f"BEGIN SELECT RAISE(ABORT, '{MARKER}: {table} {message}'); END",
                f"DROP TRIGGER IF EXISTS {table}_no_replace_update",
                f"CREATE TRIGGER {table}_no_replace_update BEFORE UPDATE OF {columns} ON {table} WHEN {on_update} "
                f"BEGIN SELECT RAISE(ABORT, '{MARKER}: {table} {message}'); END",
            ]
            drop += [f"DROP TRIGGER IF EXISTS {table}_no_replace", f"DROP TRIGGER IF EXISTS {table}_no_replace_update"]
        elif vendor == "postgresql":
            on_insert = " OR ".join(_collision(table, key) for key in table_keys)
            install += [
                f"""
CREATE OR REPLACE FUNCTION {table}_no_replace() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF {on_insert} THEN
    RAISE EXCEPTION '{MARKER}: {table} {message}';
  END IF;
  RETURN NEW;
END $$""",
                f"DROP TRIGGER IF EXISTS {table}_no_replace ON {table}",
                f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_no_replace()",
            ]
            drop += [f"DROP TRIGGER IF EXISTS {table}_no_replace ON {table}", f"DROP FUNCTION IF EXISTS {table}_no_replace()"]
        else:
            raise ImproperlyConfigured(f"OpenFTZ keeps procurement records on SQLite and PostgreSQL only, not on {vendor}")
    return install, drop


def trigger_sql(vendor: str) -> tuple[list[str], list[str]]:
    """(statements that install the delete and update triggers, statements that remove them) for ``vendor``."""
    if vendor == "sqlite":
        install, drop = [], []
        for table in CHILD_TABLES:
            until = f"(SELECT retain_until FROM {PROCEDURE_TABLE} WHERE id = OLD.procedure_id)"
            install.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_keep BEFORE DELETE ON {table} "
                f"WHEN {until} IS NULL OR {until} > {_sqlite_today()} "
                f"BEGIN SELECT RAISE(ABORT, '{MARKER}: {table} is kept 15 years from the end of the procurement (SH-81)'); END")
            drop.append(f"DROP TRIGGER IF EXISTS {table}_keep")
        install.append(
            f"CREATE TRIGGER IF NOT EXISTS {PROCEDURE_TABLE}_keep BEFORE DELETE ON {PROCEDURE_TABLE} "
            f"WHEN OLD.retain_until IS NULL OR OLD.retain_until > {_sqlite_today()} "
            f"BEGIN SELECT RAISE(ABORT, '{MARKER}: {PROCEDURE_TABLE} is kept 15 years from the end of the procurement (SH-81)'); END")
        install.append(
            f"CREATE TRIGGER IF NOT EXISTS {PROCEDURE_TABLE}_keep_date BEFORE UPDATE OF retain_until, ended_on ON {PROCEDURE_TABLE} "
            f"WHEN OLD.retain_until IS NOT NULL AND (NEW.retain_until IS NULL OR NEW.retain_until < OLD.retain_until "
            f"OR NEW.ended_on IS NOT OLD.ended_on) "
            f"BEGIN SELECT RAISE(ABORT, '{MARKER}: the end and retention date of a procedure cannot be changed (SH-81)'); END")
        drop += [f"DROP TRIGGER IF EXISTS {PROCEDURE_TABLE}_keep", f"DROP TRIGGER IF EXISTS {PROCEDURE_TABLE}_keep_date"]
        install.append(
            "CREATE TRIGGER IF NOT EXISTS procurement_auditentry_keep BEFORE DELETE ON procurement_auditentry "
            f"BEGIN SELECT RAISE(ABORT, '{MARKER}: audit entries cannot be deleted (SH-81)'); END")
        drop.append("DROP TRIGGER IF EXISTS procurement_auditentry_keep")
        for table in APPEND_ONLY_TABLES:
            install.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_frozen BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MARKER}: {table} rows cannot be changed (SH-81: 不得伪造、变造)'); END")
            drop.append(f"DROP TRIGGER IF EXISTS {table}_frozen")
        return install, drop
    if vendor == "postgresql":
        pg_today = "(now() AT TIME ZONE 'Asia/Shanghai')::date"
        install = [f"""
CREATE OR REPLACE FUNCTION procurement_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  today date := {pg_today};
  until date;
  kept boolean;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    -- a TRUNCATE passes only when no row of the table is still kept
    IF TG_TABLE_NAME = 'procurement_auditentry' THEN
      kept := EXISTS (SELECT 1 FROM procurement_auditentry);
    ELSIF TG_TABLE_NAME = '{PROCEDURE_TABLE}' THEN
      kept := EXISTS (SELECT 1 FROM {PROCEDURE_TABLE} WHERE retain_until IS NULL OR retain_until > today);
    ELSE
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I t LEFT JOIN {PROCEDURE_TABLE} p ON p.id = t.procedure_id '
                     'WHERE p.retain_until IS NULL OR p.retain_until > $1)', TG_TABLE_NAME) INTO kept USING today;
    END IF;
    IF kept THEN
      RAISE EXCEPTION '{MARKER}: % is kept 15 years from the end of the procurement (SH-81)', TG_TABLE_NAME;
    END IF;
    RETURN NULL;
  END IF;
  IF TG_TABLE_NAME = 'procurement_auditentry' THEN
    RAISE EXCEPTION '{MARKER}: audit entries cannot be deleted (SH-81)';
  ELSIF TG_TABLE_NAME = '{PROCEDURE_TABLE}' THEN
    until := OLD.retain_until;
  ELSE
    SELECT retain_until INTO until FROM {PROCEDURE_TABLE} WHERE id = OLD.procedure_id;
  END IF;
  IF until IS NULL OR until > today THEN
    RAISE EXCEPTION '{MARKER}: % is kept 15 years from the end of the procurement (SH-81)', TG_TABLE_NAME;
  END IF;
  RETURN OLD;
END $$""",
                   f"""
CREATE OR REPLACE FUNCTION procurement_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = '{PROCEDURE_TABLE}' THEN
    IF OLD.retain_until IS NOT NULL AND (NEW.retain_until IS NULL OR NEW.retain_until < OLD.retain_until
        OR NEW.ended_on IS DISTINCT FROM OLD.ended_on) THEN
      RAISE EXCEPTION '{MARKER}: the end and retention date of a procedure cannot be changed (SH-81)';
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '{MARKER}: % rows cannot be changed (SH-81)', TG_TABLE_NAME;
END $$"""]
        drop = []
        for table in (*CHILD_TABLES, PROCEDURE_TABLE, "procurement_auditentry"):
            install.append(f"DROP TRIGGER IF EXISTS {table}_keep ON {table}")
            install.append(f"CREATE TRIGGER {table}_keep BEFORE DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION procurement_keep()")
            install.append(f"DROP TRIGGER IF EXISTS {table}_keep_all ON {table}")
            install.append(f"CREATE TRIGGER {table}_keep_all BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION procurement_keep()")
            drop += [f"DROP TRIGGER IF EXISTS {table}_keep ON {table}", f"DROP TRIGGER IF EXISTS {table}_keep_all ON {table}"]
        for table in (*APPEND_ONLY_TABLES, PROCEDURE_TABLE):
            install.append(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
            install.append(f"CREATE TRIGGER {table}_frozen BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION procurement_frozen()")
            drop.append(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}")
        return install, drop
    raise ImproperlyConfigured(f"OpenFTZ keeps procurement records on SQLite and PostgreSQL only, not on {vendor}")


def install_replace_triggers(connection) -> None:
    install, _ = replace_trigger_sql(connection.vendor, unique_keys(connection))
    with connection.cursor() as cursor:
        for statement in install:
            cursor.execute(statement)


def drop_replace_triggers(connection) -> None:
    _, drop = replace_trigger_sql(connection.vendor, unique_keys(connection))
    with connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)


def install_triggers(connection, *, replace: bool = True) -> None:
    """Install the delete and update triggers (migration 0002) and, unless ``replace`` is false, the replace
    triggers (migration 0003)."""
    install, _ = trigger_sql(connection.vendor)
    with connection.cursor() as cursor:
        for statement in install:
            cursor.execute(statement)
    if replace:
        install_replace_triggers(connection)


def drop_triggers(connection) -> None:
    drop_replace_triggers(connection)
    _, drop = trigger_sql(connection.vendor)
    with connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)


def _refusal_logger(execute, sql, params, many, context):
    try:
        return execute(sql, params, many, context)
    except DatabaseError as exc:
        if MARKER not in str(exc):
            raise
        connection = context["connection"]
        log.warning("the database refused: %s — %s", str(exc).splitlines()[0], sql[:200])
        if not connection.in_atomic_block:
            from .models import AuditEntry

            AuditEntry.objects.create(action="delete_refused" if sql.lstrip().upper().startswith(("DELETE", "TRUNCATE")) else "change_refused",
                                      object_type="sql", object_id="-", via="sql",
                                      details={"sql": sql[:500], "error": str(exc).splitlines()[0]})
        raise RecordsKept("记录须依法保存,数据库拒绝了该语句", f"the database refused: {str(exc).splitlines()[0]}",
                          details={"sql": sql[:200]}) from exc


def _watch(sender, connection, **kwargs):
    if _refusal_logger not in connection.execute_wrappers:
        connection.execute_wrappers.append(_refusal_logger)


def watch_connections() -> None:
    """Log every refusal of the triggers, on every database connection (installed from AppConfig.ready)."""
    connection_created.connect(_watch, dispatch_uid="procurement-retention-watch")
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        _watch(None, conn)
