import uuid

from django.db import migrations, models


def first_stamp(apps, schema_editor):
    # Entries written before this migration carry no stamp: give them one.
    apps.get_model("catalogue_search", "IndexVersion").objects.create(pk=1, token=uuid.uuid4().hex)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue_search", "0007_covering_page_order"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(first_stamp, migrations.RunPython.noop),
    ]
