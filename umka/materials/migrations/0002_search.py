"""Search of materials (umka.materials.search): on PostgreSQL a generated tsvector
column with the Russian configuration and a trigram index on the title; on SQLite
an FTS5 table kept by triggers. Nothing on other databases."""

from django.db import migrations

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE materials_materialtext ADD COLUMN document tsvector"
    " GENERATED ALWAYS AS ("
    " setweight(to_tsvector('russian'::regconfig, coalesce(title, '')), 'A')"
    " || setweight(to_tsvector('russian'::regconfig, coalesce(body, '')), 'B')"
    ") STORED",
    "CREATE INDEX materials_text_document ON materials_materialtext"
    " USING gin (document)",
    "CREATE INDEX materials_text_title_trgm ON materials_materialtext"
    " USING gin (title gin_trgm_ops)",
]
POSTGRESQL_BACK = [
    "DROP INDEX IF EXISTS materials_text_title_trgm",
    "DROP INDEX IF EXISTS materials_text_document",
    "ALTER TABLE materials_materialtext DROP COLUMN IF EXISTS document",
]
SQLITE = [
    "CREATE VIRTUAL TABLE materials_fts USING fts5("
    " title, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER materials_fts_insert AFTER INSERT ON materials_materialtext"
    " BEGIN INSERT INTO materials_fts(rowid, title, body)"
    " VALUES (new.material_id, new.title, new.body); END",
    "CREATE TRIGGER materials_fts_delete AFTER DELETE ON materials_materialtext"
    " BEGIN DELETE FROM materials_fts WHERE rowid = old.material_id; END",
    "CREATE TRIGGER materials_fts_update AFTER UPDATE ON materials_materialtext"
    " BEGIN DELETE FROM materials_fts WHERE rowid = old.material_id;"
    " INSERT INTO materials_fts(rowid, title, body)"
    " VALUES (new.material_id, new.title, new.body); END",
]
SQLITE_BACK = [
    "DROP TRIGGER IF EXISTS materials_fts_update",
    "DROP TRIGGER IF EXISTS materials_fts_delete",
    "DROP TRIGGER IF EXISTS materials_fts_insert",
    "DROP TABLE IF EXISTS materials_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("materials", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_BACK, "sqlite": SQLITE_BACK}),
        )
    ]
