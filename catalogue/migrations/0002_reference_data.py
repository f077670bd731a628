"""Provinces of both eras and the OCOP taxonomy, from the rows frozen beside this file.

reference_2025.json was written by `manage.py sync_reference_data --dump` from
vietnam-provinces; this migration reads only that file and the historical models, so a
package upgrade never changes what it does.
"""

import json
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).with_name("reference_2025.json")


def load(apps, schema_editor):
    Province = apps.get_model("catalogue", "Province")
    Category = apps.get_model("catalogue", "Category")
    rows = json.loads(DATA_FILE.read_text(encoding="utf-8"))

    current = {}
    for row in sorted(rows["provinces"], key=lambda r: r["era"] != "current"):
        fields = {k: row[k] for k in ("name", "full_name", "name_ascii", "slug")}
        if row["successor"] is not None:
            fields["successor"] = current[row["successor"]]
        province, _ = Province.objects.update_or_create(code=row["code"], era=row["era"], defaults=fields)
        if row["era"] == "current":
            current[row["code"]] = province

    by_code = {}
    for row in rows["categories"]:
        fields = {k: row[k] for k in ("slug", "name", "name_en")}
        fields["parent"] = by_code[row["parent"]] if row["parent"] else None
        by_code[row["code"]], _ = Category.objects.update_or_create(code=row["code"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
