"""Which query words select documents and which only score them (search/backends/database.py
`select`, search/backends/sqlite.py `fts_query`), and the lexical query beside the
embedding: the same rows, with the common words no longer scored."""

import pytest
from django.db import connection

from forum.markdown import render_markdown
from search.backends import database, get_backend
from search.backends.database import Selection
from search.backends.sqlite import fts_query
from search.syntax import ParsedQuery
from tests.factories import QuestionFactory
from tests.search.conftest import index

RARE = ["strikethrough", "shortcut", "keyboard", "toolbar"]


def test_beside_the_embedding_common_words_are_left_out_of_the_scoring_only():
    # Two of the four rarest select; "macro" is rare but outside those four; "gmail" is
    # common.
    parsed = ParsedQuery(terms=(*RARE, "macro", "gmail"))
    selection = Selection(two_of=RARE, common=["gmail"])

    scored = fts_query(parsed, selection)
    beside = fts_query(parsed, selection, score_common=False)

    assert '"gmail"' in scored and '"gmail"' not in beside
    assert '"macro"' in scored and '"macro"' in beside  # a rare word is still scored
    # The part that selects is the same: only the scoring OR differs.
    assert beside.split(" AND (")[0] == scored.split(" AND (")[0]


def test_without_common_words_the_scoring_part_is_left_out():
    parsed = ParsedQuery(terms=("strikethrough", "gmail"))
    selection = Selection(any_of=["strikethrough"], common=["gmail"])

    assert fts_query(parsed, selection, score_common=False) == '("strikethrough")'


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 expression is SQLite's")
def test_the_lexical_query_beside_the_embedding_matches_the_same_rows(settings, monkeypatch):
    # At this size no word is common (MIN_COMMON 200 documents): make "gmail" one.
    monkeypatch.setattr(database, "MIN_COMMON", 2)
    monkeypatch.setattr(database, "COMMON_SHARE", 0.5)
    settings.SEARCH_BACKEND = "database"
    bodies = [
        "Gmail shows a strikethrough button in the toolbar.",
        "Gmail has no keyboard shortcut for this.",
        "In gmail the toolbar hides the shortcut list.",
        "Gmail labels sort by name.",
        "Gmail filters skip the inbox.",
        "A strikethrough keyboard shortcut in the docs editor.",
        "The printer prints blank pages.",
    ]
    questions = [
        QuestionFactory(title=f"Question {i}", body=body, body_html=render_markdown(body))
        for i, body in enumerate(bodies)
    ]
    index(*questions)
    backend = get_backend()
    backend.refresh_statistics()
    parsed = ParsedQuery(terms=("gmail", "strikethrough", "keyboard", "shortcut", "toolbar"))
    assert backend.select(parsed.keywords).common == ["gmail"]

    def matched(beside_embedding):
        match = backend._match(parsed, beside_embedding=beside_embedding)
        sql, params = backend._ranking(match, [], [], ["question"], 100)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    scored, beside = matched(False), matched(True)

    assert '"gmail"' not in backend._match(parsed, beside_embedding=True).condition_params[0]
    assert sorted(scored) == sorted(beside)
    assert len(scored) == 4  # a rare word each: not the two with only "gmail", nor the printer
