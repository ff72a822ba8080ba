"""The database triggers that make the audit trail append-only (UPDATE, DELETE, TRUNCATE refused).

Installed by migration 0003. ``remove`` exists for the one legitimate case of wiping the table:
a test database being flushed between tests; the application never calls it.
"""

from __future__ import annotations

from typing import Any

TABLE = "accounts_auditevent"

_POSTGRES_INSTALL = f"""
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
_POSTGRES_REMOVE = f"""
DROP TRIGGER IF EXISTS audit_no_update ON {TABLE};
DROP TRIGGER IF EXISTS audit_no_delete ON {TABLE};
DROP TRIGGER IF EXISTS audit_no_truncate ON {TABLE};
DROP FUNCTION IF EXISTS chempark_audit_is_append_only();
"""
_SQLITE_INSTALL = [
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: UPDATE refused'); END;",
    f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only: DELETE refused'); END;",
]
_SQLITE_REMOVE = ["DROP TRIGGER IF EXISTS audit_no_update;", "DROP TRIGGER IF EXISTS audit_no_delete;"]


def _statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "postgresql":
        return [_POSTGRES_INSTALL if install else _POSTGRES_REMOVE]
    if vendor == "sqlite":
        return _SQLITE_INSTALL if install else _SQLITE_REMOVE
    raise NotImplementedError(f"no append-only guard for database vendor {vendor!r}")


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install=True):
            cursor.execute(statement)


def remove(connection: Any) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install=False):
            cursor.execute(statement)
