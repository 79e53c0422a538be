import pytest

from forum import actions as forum_actions
from kb.actions import promote_question
from kb.models import ArticleReview
from kb.tasks import check_article_source

pytestmark = pytest.mark.django_db


def test_the_task_flags_a_changed_source_after_commit(
    editor, solved_question, django_capture_on_commit_callbacks
):
    from functools import partial

    from django.db import transaction

    article = promote_question(editor, solved_question)
    answer = solved_question.accepted_answer

    with django_capture_on_commit_callbacks(execute=True):
        forum_actions.edit_answer(answer.author, answer, body="A new way to restart it all.")
        transaction.on_commit(
            partial(check_article_source.enqueue, solved_question.pk, "answer_edited")
        )

    assert ArticleReview.objects.get(article_id=article.pk).stale is True
