"""Database triggers that make history tables append-only: UPDATE and DELETE (and, on PostgreSQL,
TRUNCATE) raise an error, whoever issues them.

The audit trail and the records a regulator relies on (identification snapshots, workflow
transitions, duty checks) are written once by services and never changed; the triggers make sure a
careless script or a compromised process cannot change them either. Each app's migration installs
the guard for its own tables; ``TABLES`` lists them all so that a test database's flush, the one
legitimate wipe, can lift and restore every guard.
"""

from __future__ import annotations

from typing import Any

TABLES: tuple[str, ...] = (
    "accounts_auditevent",
    "hazards_unitassessment",
    "hazards_hazardtransition",
    "hazards_dutycheck",
    "monitoring_pointchangerequest",
    "monitoring_pointchangedecision",
    "vehicles_reservationtransition",
    "vehicles_gateevent",
    "vehicles_accessevent",
    "plans_capmessage",
    "incidents_incidentevent",
    "supervision_dangertransition",
    "supervision_casetransition",
    "supervision_projectdecision",
)

_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION chempark_audit_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
"""


def _statements(vendor: str, table: str, *, install: bool) -> list[str]:
    # Trigger names are global in SQLite, so they carry the table's name.
    names = {op: f"{table}_no_{op.lower()}" for op in ("UPDATE", "DELETE", "TRUNCATE")}
    if vendor == "postgresql":
        if not install:
            return [f"DROP TRIGGER IF EXISTS {name} ON {table};" for name in names.values()]
        return [_POSTGRES_FUNCTION] + [
            f"CREATE TRIGGER {names[op]} BEFORE {op} ON {table} FOR EACH "
            f"{'STATEMENT' if op == 'TRUNCATE' else 'ROW'} EXECUTE FUNCTION chempark_audit_is_append_only();"
            for op in ("UPDATE", "DELETE", "TRUNCATE")
        ]
    if vendor == "sqlite":
        if not install:
            return [f"DROP TRIGGER IF EXISTS {names[op]};" for op in ("UPDATE", "DELETE")]
        return [
            f"CREATE TRIGGER {names[op]} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END;"
            for op in ("UPDATE", "DELETE")
        ]
    raise NotImplementedError(f"no append-only guard for database vendor {vendor!r}")


def install(connection: Any, table: str) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, table, install=True):
            cursor.execute(statement)


def remove(connection: Any, table: str) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, table, install=False):
            cursor.execute(statement)
