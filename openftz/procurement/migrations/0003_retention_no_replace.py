"""Triggers that refuse to replace a kept procedure record (SH-81, SC-57).

On SQLite, ``INSERT OR REPLACE`` / ``REPLACE`` / ``UPDATE OR REPLACE`` delete the rows in their way without firing the
delete triggers of migration 0002; on both databases an upsert (``INSERT … ON CONFLICT DO UPDATE``) rewrites a row. These
triggers refuse an insert whose unique key is already taken (and, on SQLite, an update that collides with another
row). See openftz/procurement/retention.py.
"""
from django.db import migrations


def install(apps, schema_editor):
    from openftz.procurement.retention import install_replace_triggers

    install_replace_triggers(schema_editor.connection)


def drop(apps, schema_editor):
    from openftz.procurement.retention import drop_replace_triggers

    drop_replace_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0002_retention_triggers")]
    operations = [migrations.RunPython(install, drop)]
