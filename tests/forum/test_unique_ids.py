"""Every id on the question page is used once and every label names a field that is there,
for a visitor, the asker and a moderator (whose tools add four forms with a note each):
a repeated id sends a label, and a screen reader, to the wrong field."""

import re
from collections import Counter

import pytest

from tests.factories import AnswerFactory, CommentFactory, ModeratorFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["visitor", "asker", "moderator"])
def test_the_question_page_repeats_no_id(client, who):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    CommentFactory(question=question)
    CommentFactory(answer=answer)
    if who == "asker":
        client.force_login(question.author)
    elif who == "moderator":
        client.force_login(ModeratorFactory())

    html = client.get(question.get_absolute_url()).content.decode()

    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [name for name, count in ids.items() if count > 1] == []
    assert set(re.findall(r'\sfor="([^"]+)"', html)) <= set(ids)
    if who == "moderator":
        assert {"id_close_note", "id_move_note", "id_merge_note", "id_visibility_note"} <= set(ids)
