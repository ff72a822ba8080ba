"""Reservation transitions, gate events and badge events become append-only in the database (see
``chempark.core.append_only``): who entered the park, and who decided they could, is evidence."""

from django.db import migrations

from chempark.core import append_only

TABLES = ("vehicles_reservationtransition", "vehicles_gateevent", "vehicles_accessevent")


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]  # Django's migration functions take untyped (apps, schema_editor)
    for table in TABLES:
        append_only.install(schema_editor.connection, table)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]  # Django's migration functions take untyped (apps, schema_editor)
    for table in TABLES:
        append_only.remove(schema_editor.connection, table)


class Migration(migrations.Migration):
    dependencies = [("vehicles", "0002_reservations_gates_access")]
    operations = [migrations.RunPython(forwards, backwards)]
