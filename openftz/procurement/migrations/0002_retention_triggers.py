"""Database triggers that keep procedure records 15 years from the end of the procurement (SH-81, SC-57).

They refuse DELETE (and, on PostgreSQL, TRUNCATE) of a kept row however the statement is sent, changes to releases
and audit entries, and any shortening of a procedure's retention date. See openftz/procurement/retention.py.
"""
from django.db import migrations


def install(apps, schema_editor):
    from openftz.procurement.retention import install_triggers

    install_triggers(schema_editor.connection, replace=False)  # the replace triggers: migration 0003


def drop(apps, schema_editor):
    from openftz.procurement.retention import drop_triggers

    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_initial")]
    operations = [migrations.RunPython(install, drop)]
