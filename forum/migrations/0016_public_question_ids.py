"""PostgreSQL: the ids of the questions everyone may see, as an index of their own.

Search re-checks every result of its window (up to a thousand) against
`visible_questions()` on each request (search/queries.py, `_visible`). With this partial
index that check is an index-only scan: at 100,000 threads, 2.7 ms for a thousand ids
against 6 to 12 ms reading each question's row (docs/search.md, "Latency"). SQLite's
planner looks rows up by rowid whatever the indexes (3 ms for a thousand), so it gets
none. Built concurrently: a large forum keeps taking writes while it is made.
"""

from django.db import migrations

INDEX = "q_public_ids"


class PostgresRunSQL(migrations.RunSQL):
    """RunSQL on PostgreSQL only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY runs outside a transaction

    dependencies = [
        ("forum", "0015_member_counts_stale"),
    ]

    operations = [
        PostgresRunSQL(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} ON forum_question (id) "
            "WHERE visibility = 'visible' AND NOT is_private",
            f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}",
        ),
    ]
