import pytest

from forum import actions as forum_actions
from kb.actions import promote_question
from kb.models import ArticleReview

pytestmark = pytest.mark.django_db


def test_editing_the_accepted_answer_flags_the_article_after_commit(
    editor, solved_question, django_capture_on_commit_callbacks
):
    article = promote_question(editor, solved_question)
    answer = solved_question.accepted_answer

    with django_capture_on_commit_callbacks(execute=True):
        forum_actions.edit_answer(answer.author, answer, body="A new way to restart it all.")
        assert ArticleReview.objects.get(article_id=article.pk).stale is False

    assert ArticleReview.objects.get(article_id=article.pk).stale is True
