"""PostgreSQL only: English documents keep their question words in the tsvector.

The `english` configuration drops stop words, question words among them, so "what is a
VPN" could not tell "What is a VPN?" from "How do I set up a VPN?" on PostgreSQL, while
SQLite (which indexes every word) could. Queries now keep the question words
(search.text.QUESTION_WORDS), so English documents hold them too: beside each field's
`english` vector, the field under `simple` with only the question words kept (setweight
marks them, ts_filter keeps what it marked), at the field's weight. Indonesian
documents need nothing: the `indonesian` configuration drops no words. A query looks a
question word up with `simple` (search/backends/postgres.py).

A generated column's expression cannot be altered on PostgreSQL 15, so the column is
dropped and added again: PostgreSQL computes it for every existing row and rebuilds the
three GIN indexes here, with STORAGE MAIN as migration 0003 set it, and the word
statistics are recounted. No `search_reindex` is needed. On a large forum this rewrites
the table (about as long as a reindex), holding its lock meanwhile.

Nothing happens on SQLite: its FTS5 table already holds every word.
"""

from django.db import migrations

TABLE = "tanya_search_searchdocument"
STATS = "tanya_search_lexemestat"
THREADS = "kind IN ('question', 'article')"
# search.text.ENGLISH_QUESTION_WORDS as of this migration (a test checks they agree).
QUESTION_WORDS = (
    "are", "can", "did", "do", "does", "how", "is", "should", "what", "when", "where",
    "which", "who", "why", "will",
)  # fmt: skip
_WORDS = "ARRAY[" + ", ".join(f"'{w}'" for w in QUESTION_WORDS) + "]"


def _field(config: str, text: str, weight: str, question_words: bool) -> str:
    vector = f"setweight(to_tsvector('{config}'::regconfig, {text}), '{weight}')"
    if not question_words:
        return vector
    # Every lexeme weighted D, the question words A, only the A ones kept, then weighted
    # as the field is.
    only = (
        f"ts_filter(setweight(setweight(to_tsvector('simple'::regconfig, {text}), 'D'), "
        f"'A', {_WORDS}), '{{a}}')"
    )
    return f"{vector} || setweight({only}, '{weight}')"


def _vector(config: str, question_words: bool) -> str:
    fields = [
        ("CASE WHEN kind = 'answer' THEN '' ELSE title END", "A"),
        ("accepted", "B"),
        ("replace(tags, '-', ' ')", "B"),
        ("body", "C"),
        ("answers", "D"),
    ]
    return "(" + " || ".join(_field(config, t, w, question_words) for t, w in fields) + ")"


def _column(question_words: bool) -> list[str]:
    english, indonesian = _vector("english", question_words), _vector("indonesian", False)
    return [
        "DROP INDEX IF EXISTS tanya_search_solved_vector",
        "DROP INDEX IF EXISTS tanya_search_thread_vector",
        "DROP INDEX IF EXISTS tanya_search_vector",
        f"ALTER TABLE {TABLE} DROP COLUMN vector",
        # One statement: the rewrite that computes the column runs after SET STORAGE, so
        # every row is stored MAIN (in the row) from the start.
        f"""ALTER TABLE {TABLE} ADD COLUMN vector tsvector GENERATED ALWAYS AS (
            CASE WHEN language = 'id' THEN {indonesian} ELSE {english} END
        ) STORED, ALTER COLUMN vector SET STORAGE MAIN""",
        f"CREATE INDEX tanya_search_vector ON {TABLE} USING gin (vector)",
        f"CREATE INDEX tanya_search_thread_vector ON {TABLE} USING gin (vector) WHERE {THREADS}",
        f"CREATE INDEX tanya_search_solved_vector ON {TABLE} USING gin (vector) "
        f"WHERE is_solved AND {THREADS}",
        f"ANALYZE {TABLE}",
        # The word statistics, as PostgresBackend._refresh_statistics counts them.
        f"DELETE FROM {STATS}",
        f"INSERT INTO {STATS} (lexeme, documents) SELECT word, ndoc "
        f"FROM ts_stat('SELECT vector FROM {TABLE}') WHERE length(word) <= 255",
        f"INSERT INTO {STATS} (lexeme, documents) SELECT '', COUNT(*) FROM {TABLE}",
    ]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("tanya_search", "0009_vocabulary_keys_on_postgresql")]

    operations = [migrations.RunPython(_run(_column(True)), _run(_column(False)))]
