"""PostgreSQL only: keep the tsvector in the row, and index threads and solved threads apart.

Ranking reads every matching document's vector. A thread's vector (about 1.2 kB) was
TOASTed out of line, so each matching row cost a TOAST index lookup and two or three more
buffer reads; `STORAGE MAIN` keeps it in the row the heap scan reads anyway (PostgreSQL
moves a MAIN value out of line only when the row would not fit in a page otherwise).
Existing rows keep their old storage until they are rewritten: run
`manage.py search_reindex` after migrating.

The partial GIN indexes hold only threads (what a search shows by default) and only solved
threads and articles (what similar questions read), with predicates matching exactly what
those queries ask; without them the planner ANDed the full index with the kind index
(14 ms for 100,000 threads) or read unsolved threads only to drop them.

Nothing happens on SQLite.
"""

from django.db import migrations

TABLE = "tanya_search_searchdocument"
THREADS = "kind IN ('question', 'article')"

FORWARDS = [
    f"ALTER TABLE {TABLE} ALTER COLUMN vector SET STORAGE MAIN",
    f"CREATE INDEX tanya_search_thread_vector ON {TABLE} USING gin (vector) WHERE {THREADS}",
    f"CREATE INDEX tanya_search_solved_vector ON {TABLE} USING gin (vector) "
    f"WHERE is_solved AND {THREADS}",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS tanya_search_solved_vector",
    "DROP INDEX IF EXISTS tanya_search_thread_vector",
    f"ALTER TABLE {TABLE} ALTER COLUMN vector SET STORAGE EXTENDED",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("tanya_search", "0002_fulltext_index")]

    operations = [migrations.RunPython(_run(FORWARDS), _run(BACKWARDS))]
