"""The backends' full-text tables, made for the database in use: FTS5 virtual tables on SQLite (words with
the combining-mark categories, and trigrams); on PostgreSQL the pg_trgm extension and a table of tsvectors
with GIN indexes (search.backends)."""

from django.db import migrations

SQLITE_TOKENIZER = "unicode61 remove_diacritics 2 categories 'L* N* Co Mn Mc'"

CREATE = {
    "sqlite": [
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(title, body, tokenize="{SQLITE_TOKENIZER}")""",
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_trigram USING fts5(title, body, tokenize='trigram')",
    ],
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        # No foreign key: Django's flush (TransactionTestCase, live servers) truncates the model's table
        # without CASCADE. The backend deletes its rows with their documents, and every document is
        # written over its id when it is made, so a row left behind never matches anything.
        """CREATE TABLE IF NOT EXISTS search_pg_index (
            doc_id bigint PRIMARY KEY,
            config regconfig NOT NULL,
            vector tsvector NOT NULL,
            content text NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS search_pg_index_vector ON search_pg_index USING GIN (vector)",
        "CREATE INDEX IF NOT EXISTS search_pg_index_content ON search_pg_index USING GIN (content gin_trgm_ops)",
    ],
}
DROP = {
    "sqlite": ["DROP TABLE IF EXISTS search_fts", "DROP TABLE IF EXISTS search_trigram"],
    "postgresql": ["DROP TABLE IF EXISTS search_pg_index"],
}


def create(apps, schema_editor):
    for sql in CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
