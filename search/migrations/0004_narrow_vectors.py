"""PostgreSQL: the weighted tsvector moves from SearchDocument to a narrow table of its own.

A text query reads every entry the GIN index finds to test its phrases and fields. In
SearchDocument each row also carries the four texts (about 1.5 kB a row, five rows a heap
page), so the 7,600 fish sauces of a 200,000-product catalogue took some 1,800 pages; in
`search_searchvector` (the page id and the vector, about nine rows a page) about 1,050.
Triggers keep it in step with SearchDocument: written with each row (in the same order, so
a rebuild's product-group order carries over), deleted with it, emptied when it is
truncated. No foreign key: Django's test flush truncates SearchDocument, which PostgreSQL
refuses for a table another references.
SQLite keeps its FTS5 table; nothing changes there.
"""

from django.db import migrations

DOCUMENT = "search_searchdocument"
VECTOR = "search_searchvector"
WEIGHTED = (
    "setweight(to_tsvector('simple'::regconfig, {p}name_text), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, {p}description_text), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, {p}other_text), 'C') || "
    "setweight(to_tsvector('simple'::regconfig, {p}marked_text), 'D')"
)

FORWARD = [
    f"CREATE TABLE {VECTOR} (entry_id integer PRIMARY KEY, search_vector tsvector NOT NULL)",
    f"INSERT INTO {VECTOR} (entry_id, search_vector) SELECT entry_id, {WEIGHTED.format(p='')} FROM {DOCUMENT}",
    f"CREATE INDEX search_vector_gin ON {VECTOR} USING GIN (search_vector)",
    f"""CREATE FUNCTION {VECTOR}_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE {VECTOR};
    ELSIF TG_OP = 'DELETE' THEN
        DELETE FROM {VECTOR} WHERE entry_id = OLD.entry_id;
    ELSE
        IF TG_OP = 'UPDATE' AND OLD.entry_id <> NEW.entry_id THEN
            DELETE FROM {VECTOR} WHERE entry_id = OLD.entry_id;
        END IF;
        INSERT INTO {VECTOR} (entry_id, search_vector) VALUES (NEW.entry_id, {WEIGHTED.format(p="NEW.")})
        ON CONFLICT (entry_id) DO UPDATE SET search_vector = EXCLUDED.search_vector;
    END IF;
    RETURN NULL;
END $$""",
    f"CREATE TRIGGER {VECTOR}_rows AFTER INSERT OR UPDATE OR DELETE ON {DOCUMENT} "
    f"FOR EACH ROW EXECUTE FUNCTION {VECTOR}_write()",
    f"CREATE TRIGGER {VECTOR}_truncate AFTER TRUNCATE ON {DOCUMENT} FOR EACH STATEMENT EXECUTE FUNCTION {VECTOR}_write()",
    "DROP INDEX IF EXISTS search_document_vector",
    f"ALTER TABLE {DOCUMENT} DROP COLUMN IF EXISTS search_vector",
]
BACKWARD = [
    f"ALTER TABLE {DOCUMENT} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({WEIGHTED.format(p='')}) STORED",
    f"CREATE INDEX search_document_vector ON {DOCUMENT} USING GIN (search_vector)",
    f"DROP TRIGGER IF EXISTS {VECTOR}_rows ON {DOCUMENT}",
    f"DROP TRIGGER IF EXISTS {VECTOR}_truncate ON {DOCUMENT}",
    f"DROP FUNCTION IF EXISTS {VECTOR}_write()",
    f"DROP TABLE IF EXISTS {VECTOR}",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_marked_text"),
    ]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
