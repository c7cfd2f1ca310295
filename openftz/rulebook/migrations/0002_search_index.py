"""The full-text index of measures: FTS5 trigram on SQLite, pg_trgm GIN on PostgreSQL."""
from django.db import migrations


def create(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS rulebook_measure_fts USING fts5(measure_id UNINDEXED, body, tokenize='trigram')"
        )
    elif conn.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS rulebook_measure_search_trgm ON rulebook_measure USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS rulebook_measure_fts")
    elif conn.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS rulebook_measure_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("rulebook", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
