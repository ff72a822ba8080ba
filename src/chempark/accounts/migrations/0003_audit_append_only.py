"""Make the audit trail append-only in the database itself: UPDATE and DELETE raise an error.

The application never issues them; the triggers make sure nobody else can either (a careless
script, an ORM call, a compromised web process). Only the database owner can drop a trigger, and
that is outside the application's role in production (docs/operations.md).
"""

from django.db import migrations

TABLE = "accounts_auditevent"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION chempark_audit_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit trail is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION chempark_audit_is_append_only();
CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION chempark_audit_is_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION chempark_audit_is_append_only();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER IF EXISTS audit_no_update ON {TABLE};
DROP TRIGGER IF EXISTS audit_no_delete ON {TABLE};
DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};
DROP FUNCTION IF EXISTS chempark_audit_is_append_only();
"""
SQLITE_UP = [
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE refused'); END;",
    f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: DELETE refused'); END;",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_no_update;", "DROP TRIGGER IF EXISTS audit_no_delete;"]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
