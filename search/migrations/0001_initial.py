"""The search index's tables, and the full-text structures the ORM cannot describe.

SQLite: an FTS5 table over SearchDocument's three text fields (column filters let a query
say which field matched), kept in step by triggers. PostgreSQL: a generated tsvector on
SearchDocument with the fields weighted A (name), B (description), C (other), a GIN index
on it, and pg_trgm on the vocabulary for correcting slips.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models


FTS = "search_fts"
DOCUMENT = "search_searchdocument"
FIELDS = ("name_text", "description_text", "other_text")
COLUMNS = ", ".join(FIELDS)
OLD = ", ".join(f"old.{f}" for f in FIELDS)
NEW = ", ".join(f"new.{f}" for f in FIELDS)

SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5({COLUMNS}, content='{DOCUMENT}', content_rowid='entry_id', "
    "tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {DOCUMENT} BEGIN "
    f"INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES (new.entry_id, {NEW}); END",
    f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {DOCUMENT} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) VALUES ('delete', old.entry_id, {OLD}); END",
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE ON {DOCUMENT} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, {COLUMNS}) VALUES ('delete', old.entry_id, {OLD}); "
    f"INSERT INTO {FTS}(rowid, {COLUMNS}) VALUES (new.entry_id, {NEW}); END",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TABLE IF EXISTS {FTS}",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"ALTER TABLE {DOCUMENT} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, name_text), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, description_text), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, other_text), 'C')) STORED",
    f"CREATE INDEX search_document_vector ON {DOCUMENT} USING GIN (search_vector)",
    "CREATE INDEX search_word_trgm ON search_searchword USING GIN (word gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_word_trgm",
    "DROP INDEX IF EXISTS search_document_vector",
    f"ALTER TABLE {DOCUMENT} DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def first_version(apps, schema_editor):
    apps.get_model("search", "IndexVersion").objects.create(pk=1, generation=uuid.uuid4().hex, seq=0)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalogue", "0002_reference_data"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexChange",
            fields=[
                ("seq", models.PositiveBigIntegerField(primary_key=True, serialize=False)),
                ("token", models.CharField(max_length=32)),
                ("page_ids", models.TextField(help_text="Comma-separated page ids written or removed.")),
            ],
        ),
        migrations.CreateModel(
            name="IndexVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("generation", models.CharField(max_length=32)),
                ("seq", models.PositiveBigIntegerField(default=0)),
                ("token", models.CharField(blank=True, max_length=32)),
            ],
        ),
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="catalogue.productpage",
                    ),
                ),
                ("title", models.CharField(max_length=255)),
                ("name_en", models.CharField(blank=True, max_length=255)),
                ("url", models.CharField(max_length=512)),
                ("category_code", models.CharField(max_length=8)),
                ("stars", models.PositiveSmallIntegerField()),
                ("signed_on", models.DateField()),
                ("expires_on", models.DateField()),
                ("revoked_on", models.DateField(blank=True, null=True)),
                ("sample_available", models.BooleanField(default=False)),
                ("quality_mask", models.PositiveIntegerField(default=0)),
                ("published_at", models.DateTimeField(blank=True, null=True)),
                ("sort_name", models.CharField(help_text="Folded title, for sorting by name.", max_length=255)),
                ("name_words", models.PositiveSmallIntegerField(default=0)),
                ("description_words", models.PositiveSmallIntegerField(default=0)),
                ("other_words", models.PositiveSmallIntegerField(default=0)),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalogue.category"
                    ),
                ),
                (
                    "province",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalogue.province"
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "search entries",
            },
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=64, unique=True)),
            ],
        ),
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
                        to="search.searchentry",
                    ),
                ),
                ("name_text", models.TextField(help_text="Folded title and English name.")),
                ("description_text", models.TextField(help_text="Folded descriptions, HTML stripped.")),
                (
                    "other_text",
                    models.TextField(help_text="Folded producer, province, product group and quality labels."),
                ),
            ],
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
