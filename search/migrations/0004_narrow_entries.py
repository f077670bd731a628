"""Move the indexed text out of SearchEntry into SearchDocument.

Entry rows then hold only the columns filters and facet counts read, so counting the
products that match a text query touches few pages. The full-text structures of
migration 0002 move with the text.
"""

import django.db.models.deletion
from django.db import migrations, models

from . import _full_text as sql


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sql.SQLITE_TO_DOCUMENTS, "postgresql": sql.POSTGRES_TO_DOCUMENTS}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)
    schema_editor.execute(
        "INSERT INTO catalogue_search_searchdocument (entry_id, document) "
        "SELECT page_id, document FROM catalogue_search_searchentry"
    )


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": sql.SQLITE_TO_ENTRIES, "postgresql": sql.POSTGRES_TO_ENTRIES}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def empty_index(apps, schema_editor):
    """Going back: the index is derived data; empty it so the text column can return
    (then run rebuild_search_index)."""
    schema_editor.execute("DELETE FROM catalogue_search_searchdocument")
    schema_editor.execute("DELETE FROM catalogue_search_searchentry")


class Migration(migrations.Migration):
    dependencies = [("catalogue_search", "0003_covering_indexes")]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="text",
                        serialize=False,
                        to="catalogue_search.searchentry",
                    ),
                ),
                ("document", models.TextField(help_text="Folded text of every searchable field.")),
            ],
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="searchentry", name="document"),
        migrations.RunPython(migrations.RunPython.noop, empty_index),
    ]
