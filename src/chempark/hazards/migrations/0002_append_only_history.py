"""Identification snapshots, workflow transitions and duty checks become append-only in the database
(see ``chempark.core.append_only``): they are the record a regulator relies on."""

from django.db import migrations

from chempark.core import append_only

TABLES = ("hazards_unitassessment", "hazards_hazardtransition", "hazards_dutycheck")


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]  # Django's migration functions take untyped (apps, schema_editor)
    for table in TABLES:
        append_only.install(schema_editor.connection, table)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]  # Django's migration functions take untyped (apps, schema_editor)
    for table in TABLES:
        append_only.remove(schema_editor.connection, table)


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
