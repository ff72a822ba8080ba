"""An incident's timeline becomes append-only in the database (see ``chempark.core.append_only``):
it is the record of who did what, when, during the response."""

from django.db import migrations

from chempark.core import append_only

TABLE = "incidents_incidentevent"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]  # Django's migration functions take untyped (apps, schema_editor)
    append_only.install(schema_editor.connection, TABLE)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]  # Django's migration functions take untyped (apps, schema_editor)
    append_only.remove(schema_editor.connection, TABLE)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
