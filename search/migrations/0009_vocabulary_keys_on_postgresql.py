"""PostgreSQL looks near words up by deletion keys too (search/vocabulary.py), as SQLite does.

The trigram probe (`term % word`, migration 0008) cost 26 ms a word through the GIN index,
and 50 to 90 ms where the planner scanned the table instead, at 46,000 terms (100,000
threads; docs/search.md, "Typo tolerance"): a search that found at most three results
paid over half a second for its corrections. This fills `TermKey` for the terms already
there (SQLite has them) and drops the trigram index, which nothing reads any more.
"""

from django.db import migrations

BATCH = 2000


def fill_keys(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite has kept its keys all along
    # The live function: the keys must be the ones lookups compute.
    from search.vocabulary import deletion_keys

    SearchTerm = apps.get_model("tanya_search", "SearchTerm")
    TermKey = apps.get_model("tanya_search", "TermKey")
    TermKey.objects.all().delete()
    pending = []
    for pk, term in SearchTerm.objects.values_list("pk", "term").iterator(chunk_size=BATCH):
        pending.extend(TermKey(key=key, term_id=pk) for key in deletion_keys(term))
        if len(pending) >= 10 * BATCH:
            TermKey.objects.bulk_create(pending, batch_size=BATCH)
            pending = []
    TermKey.objects.bulk_create(pending, batch_size=BATCH)


def empty_keys(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        apps.get_model("tanya_search", "TermKey").objects.all().delete()


class PostgresRunSQL(migrations.RunSQL):
    """RunSQL on PostgreSQL only."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("tanya_search", "0008_vocabulary"),
    ]

    operations = [
        migrations.RunPython(fill_keys, empty_keys),
        PostgresRunSQL(
            "DROP INDEX IF EXISTS tanya_search_term_trgm",
            "CREATE INDEX tanya_search_term_trgm ON tanya_search_searchterm "
            "USING gin (term gin_trgm_ops)",
        ),
    ]
