"""Make the audit trail append-only in the database itself (see ``chempark.accounts.audit_guard``).

The application never updates or deletes audit rows; the triggers make sure nothing else does
either (a careless script, an ORM call, a compromised web process).
"""

from django.db import migrations

from chempark.accounts import audit_guard


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]  # Django's migration functions take untyped (apps, schema_editor)
    audit_guard.install(schema_editor.connection)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]  # Django's migration functions take untyped (apps, schema_editor)
    audit_guard.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
