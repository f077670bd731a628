from django.db import migrations

from catalogue.reference import sync_provinces, sync_taxonomy


def load(apps, schema_editor):
    sync_provinces(apps.get_model("catalogue", "Province"))
    sync_taxonomy(apps.get_model("catalogue", "Category"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
