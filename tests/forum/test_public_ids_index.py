"""The partial index of public question ids (migration forum 0016) that search's re-check
of its window reads (search/queries.py, `_visible`)."""

import pytest
from django.db import connection

from forum.models import Visibility

pytestmark = pytest.mark.django_db


def test_postgresql_keeps_the_public_question_ids_in_an_index_of_their_own():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite looks questions up by rowid whatever the indexes")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'q_public_ids'")
        (definition,) = cursor.fetchone()

    # Exactly what visible_questions() asks (forum.models: visible, not private), so the
    # re-check of a thousand ids is an index-only scan, with the id alone in the index.
    assert definition.endswith(
        f"(id) WHERE (((visibility)::text = '{Visibility.VISIBLE}'::text) AND (NOT is_private))"
    )
