from django.db import migrations

from accounts.counties import COUNTIES


def load(apps, schema_editor):
    County = apps.get_model("accounts", "County")
    for order, (name, code, abbreviation, kind) in enumerate(COUNTIES, start=1):
        County.objects.update_or_create(
            name=name, defaults={"division_code": code, "abbreviation": abbreviation, "kind": kind, "sort_order": order}
        )


def unload(apps, schema_editor):
    apps.get_model("accounts", "County").objects.filter(name__in=[c[0] for c in COUNTIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
