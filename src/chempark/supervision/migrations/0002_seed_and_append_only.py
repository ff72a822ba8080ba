"""The starting document templates and major-hidden-danger criteria (``supervision.seed``), and the
workflow histories made append-only in the database (``chempark.core.append_only``)."""

from django.db import migrations

from chempark.core import append_only
from chempark.supervision import seed

TABLES = ("supervision_dangertransition", "supervision_casetransition")


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]  # Django's migration functions take untyped (apps, schema_editor)
    template = apps.get_model("supervision", "DocumentTemplate")
    for kind, (title, body) in seed.TEMPLATES.items():
        template.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})
    criterion = apps.get_model("supervision", "MajorDangerCriterion")
    for code, text in seed.CRITERIA:
        criterion.objects.get_or_create(code=code, defaults={"text": text})
    for table in TABLES:
        append_only.install(schema_editor.connection, table)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]  # Django's migration functions take untyped (apps, schema_editor)
    for table in TABLES:
        append_only.remove(schema_editor.connection, table)


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
