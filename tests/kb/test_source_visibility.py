"""A promoted thread that stops being public (hidden, held, deleted, removed, merged away or
made private): its article no longer links to it, staff are told and the article is
flagged for review; shown again, the link comes back (kb.actions.note_source_visibility,
kb/subscribers.py)."""

import pytest

from core.models import Event
from forum import actions as forum_actions
from forum.models import Question
from kb.actions import promote_question
from kb.models import ArticlePage, ArticleReview, SourceChange
from notifications.models import Kind, Notification
from tests.factories import ModeratorFactory, QuestionFactory, StaffFactory

pytestmark = pytest.mark.django_db

LINK = "Read the original discussion in the community"


@pytest.fixture
def article(editor, solved_question):
    article = ArticlePage.objects.get(pk=promote_question(editor, solved_question).pk)
    article.save_revision(user=editor).publish(user=editor)
    return ArticlePage.objects.get(pk=article.pk)


@pytest.fixture
def moderator(db):
    return ModeratorFactory()


def _links(client, article) -> bool:
    response = client.get(article.url)
    assert response.status_code == 200
    question_url = Question.objects.get(pk=article.source_question_id).get_absolute_url()
    return LINK in response.text and f'href="{question_url}"' in response.text


def _api_source(client, article):
    response = client.get(f"/api/v1/kb/articles/{article.pk}/")
    listed = client.get("/api/v1/kb/articles/").json()["items"]
    assert response.status_code == 200
    assert [a["source_question_id"] for a in listed if a["id"] == article.pk] == [
        response.json()["source_question_id"]
    ]
    return response.json()["source_question_id"]


def _hide(mod, q):
    forum_actions.hide_post(mod, q, reason="rude")


def _hold(mod, q):
    forum_actions.hold_post(mod, q, reason="check")


def _delete(mod, q):
    forum_actions.delete_question(mod, q)


def _remove(mod, q):
    forum_actions.hide_post(mod, q)
    forum_actions.remove_post(mod, q, reason="spam")


def _private(mod, q):
    forum_actions.set_question_privacy(StaffFactory(), q, True)


def _merge(mod, q):
    forum_actions.merge_question(mod, q, QuestionFactory(category=q.category))


def _unhide(mod, q):
    forum_actions.unhide_post(mod, q)


def _approve(mod, q):
    forum_actions.approve_post(mod, q)


def _restore(mod, q):
    forum_actions.restore_question(mod, q)


def _public(mod, q):
    forum_actions.set_question_privacy(StaffFactory(), q, False)


GONE = {
    "hidden": (_hide, _unhide),
    "held": (_hold, _approve),
    "deleted": (_delete, _restore),
    "removed": (_remove, None),
    "private": (_private, _public),
    "merged": (_merge, None),
}


@pytest.mark.parametrize("how", list(GONE))
def test_the_article_stops_linking_to_a_thread_the_public_cant_see_and_staff_are_told(
    how, client, article, moderator, django_capture_on_commit_callbacks
):
    staff = StaffFactory()
    question = Question.objects.get(pk=article.source_question_id)
    assert _links(client, article)
    assert _api_source(client, article) == question.pk

    with django_capture_on_commit_callbacks(execute=True):
        GONE[how][0](moderator, question)

    assert not _links(client, article)
    assert _api_source(client, article) is None
    review = ArticleReview.objects.get(article_id=article.pk)
    assert review.source_public is False
    assert review.stale is True
    assert SourceChange.QUESTION_HIDDEN in review.stale_changes
    event = Event.objects.get(verb="article.source_hidden")
    assert event.subject_id == article.pk
    assert event.payload["after"] == {"source_public": False}
    told = Notification.objects.get(recipient=staff, kind=Kind.SOURCE_HIDDEN)
    assert told.url == f"/admin/pages/{article.pk}/edit/"
    assert not Notification.objects.filter(recipient=moderator, kind=Kind.SOURCE_HIDDEN).exists()


@pytest.mark.parametrize("how", [h for h, (_, back) in GONE.items() if back])
def test_the_link_comes_back_when_the_thread_is_shown_again_and_staff_are_told(
    how, client, article, moderator, django_capture_on_commit_callbacks
):
    staff = StaffFactory()
    question = Question.objects.get(pk=article.source_question_id)
    gone, back = GONE[how]
    with django_capture_on_commit_callbacks(execute=True):
        gone(moderator, question)
    question.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        back(moderator, question)

    assert _links(client, article)
    assert _api_source(client, article) == question.pk
    assert ArticleReview.objects.get(article_id=article.pk).source_public is True
    assert Event.objects.filter(verb="article.source_shown").count() == 1
    assert Notification.objects.filter(recipient=staff, kind=Kind.SOURCE_SHOWN).count() == 1


def test_running_the_check_again_records_nothing_more(
    article, moderator, django_capture_on_commit_callbacks
):
    from kb.actions import note_source_visibility

    question = Question.objects.get(pk=article.source_question_id)
    with django_capture_on_commit_callbacks(execute=True):
        _hide(moderator, question)

    with django_capture_on_commit_callbacks(execute=True):
        note_source_visibility(question.pk)
        note_source_visibility(question.pk)

    assert Event.objects.filter(verb="article.source_hidden").count() == 1


def test_hiding_a_comment_or_another_answer_leaves_the_article_alone(
    article, moderator, django_capture_on_commit_callbacks
):
    from tests.factories import AnswerFactory, CommentFactory

    question = Question.objects.get(pk=article.source_question_id)
    other = AnswerFactory(question=question)
    comment = CommentFactory(question=question)

    with django_capture_on_commit_callbacks(execute=True):
        forum_actions.hide_post(moderator, other)
        forum_actions.hide_post(moderator, comment)

    review = ArticleReview.objects.get(article_id=article.pk)
    assert (review.source_public, review.stale) == (True, False)
    assert not Event.objects.filter(verb__startswith="article.source").exists()


def test_hiding_the_accepted_answer_flags_the_article_but_keeps_the_link(
    client, article, moderator, django_capture_on_commit_callbacks
):
    question = Question.objects.get(pk=article.source_question_id)

    with django_capture_on_commit_callbacks(execute=True):
        forum_actions.hide_post(moderator, question.accepted_answer)

    review = ArticleReview.objects.get(article_id=article.pk)
    assert review.stale is True
    assert review.stale_changes == [SourceChange.ANSWER_CHANGED]
    assert _links(client, article)
