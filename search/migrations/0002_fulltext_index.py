"""The full-text index over SearchDocument, in each database's own engine.

SQLite: an FTS5 table of pre-stemmed text, one row per document (rowid = document id),
and an fts5vocab table over it.
PostgreSQL: a generated, weighted tsvector column with a GIN index: title A, accepted
answer and tags B, body C, other answers D, each stemmed with the configuration of the
document's language (`english` or `indonesian`). Answers are found by their own words, so
their title (the question's) is left out of their vector.
"""

from django.db import migrations


class VendorRunSQL(migrations.RunSQL):
    """RunSQL that only runs on one database vendor (this index has one form per vendor)."""

    def __init__(self, vendor, sql, reverse_sql):
        self.vendor = vendor
        super().__init__(sql, reverse_sql)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        kwargs["vendor"] = self.vendor
        return name, args, kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def _vector(config):
    return f"""(
        setweight(to_tsvector('{config}'::regconfig,
            CASE WHEN kind = 'answer' THEN '' ELSE title END), 'A')
        || setweight(to_tsvector('{config}'::regconfig, accepted), 'B')
        || setweight(to_tsvector('{config}'::regconfig, replace(tags, '-', ' ')), 'B')
        || setweight(to_tsvector('{config}'::regconfig, body), 'C')
        || setweight(to_tsvector('{config}'::regconfig, answers), 'D')
    )"""


POSTGRES_SQL = [
    f"""ALTER TABLE tanya_search_searchdocument ADD COLUMN vector tsvector
        GENERATED ALWAYS AS (
            CASE WHEN language = 'id' THEN {_vector('indonesian')} ELSE {_vector('english')} END
        ) STORED""",
    "CREATE INDEX tanya_search_vector ON tanya_search_searchdocument USING gin (vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS tanya_search_vector",
    "ALTER TABLE tanya_search_searchdocument DROP COLUMN IF EXISTS vector",
]

SQLITE_SQL = [
    """CREATE VIRTUAL TABLE tanya_search_fts USING fts5(
        title, body, accepted, answers, tags,
        tokenize = 'unicode61 remove_diacritics 2'
    )""",
    # Per-word document counts, read when LexemeStat is recounted.
    "CREATE VIRTUAL TABLE tanya_search_fts_vocab USING fts5vocab(tanya_search_fts, 'row')",
]
SQLITE_REVERSE = [
    "DROP TABLE IF EXISTS tanya_search_fts_vocab",
    "DROP TABLE IF EXISTS tanya_search_fts",
]


class Migration(migrations.Migration):
    dependencies = [("tanya_search", "0001_documents")]

    operations = [
        VendorRunSQL("postgresql", POSTGRES_SQL, POSTGRES_REVERSE),
        VendorRunSQL("sqlite", SQLITE_SQL, SQLITE_REVERSE),
    ]
