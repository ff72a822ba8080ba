"""The 2026 holiday arrangement as the calendar's first rows; CAP messages append-only; on PostgreSQL
the GIN index over the plans' segmented text (the expression the search filters on)."""

from django.db import migrations

from chempark.core import append_only
from chempark.plans.workdays import CHINA_2026_HOLIDAYS, CHINA_2026_WORKDAYS

TABLE = "plans_capmessage"
# The same expression django.contrib.postgres.search.SearchVector("search_text", config="simple") writes.
INDEX = (
    "CREATE INDEX plans_plan_search_gin ON plans_plan "
    "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]  # Django's migration functions take untyped (apps, schema_editor)
    day = apps.get_model("plans", "CalendarDay")
    rows = [day(date=d, kind="holiday", name=n) for d, n in CHINA_2026_HOLIDAYS.items()]
    rows += [day(date=d, kind="workday", name=n) for d, n in CHINA_2026_WORKDAYS.items()]
    day.objects.bulk_create(rows, ignore_conflicts=True)
    append_only.install(schema_editor.connection, TABLE)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]  # Django's migration functions take untyped (apps, schema_editor)
    append_only.remove(schema_editor.connection, TABLE)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS plans_plan_search_gin")


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
