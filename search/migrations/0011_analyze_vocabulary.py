"""Planner statistics for the vocabulary tables on PostgreSQL.

Migration 0009 filled `TermKey` (1.39 million keys at 100,000 threads) without analysing
it; where autovacuum is off, the planner kept the empty table's statistics and scanned
every key for a search's corrections (100 to 133 ms; 3 to 21 ms once analysed:
docs/search.md, "Typo tolerance"). A rebuild of the vocabulary analyses it since
(search.vocabulary.analyze); this does it once for a vocabulary filled before.
"""

from django.db import migrations


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for model in ("SearchTerm", "TermKey"):
            table = apps.get_model("tanya_search", model)._meta.db_table
            cursor.execute(f"ANALYZE {table}")


class Migration(migrations.Migration):
    dependencies = [("tanya_search", "0010_postgres_question_words")]

    operations = [migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True)]
