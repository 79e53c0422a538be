import json

import pytest
from django.contrib.auth.models import Group

from forum import actions as forum_actions
from kb.actions import promote_question
from kb.demo import EDITORS_GROUP, ensure_kb_index
from kb.models import ArticlePage
from tests.factories import AnswerFactory, QuestionFactory, StaffFactory
from webhooks.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    ensure_kb_index()
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


def _draft_article(editor, run):
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    run(forum_actions.accept_answer, question.author, question, answer)
    return ArticlePage.objects.get(pk=run(promote_question, editor, question).pk)


def test_publishing_an_article_is_delivered(run, receiver, endpoint_for, editor):
    endpoint_for("article.published")
    article = _draft_article(editor, run)
    assert receiver.requests == []

    run(lambda: article.save_revision(user=editor).publish(user=editor))

    [request] = receiver.requests
    body = json.loads(request.body)
    assert body["type"] == "article.published"
    assert body["data"]["article"]["id"] == article.pk
    assert body["data"]["article"]["title"] == article.title
    assert body["data"]["article"]["url"].startswith("http")


def test_an_article_unpublished_before_sending_is_skipped(run, receiver, endpoint_for, editor):
    receiver.statuses = [503]
    endpoint_for("article.published")
    article = _draft_article(editor, run)
    run(lambda: article.save_revision(user=editor).publish(user=editor))
    delivery = Delivery.objects.get()

    run(lambda: ArticlePage.objects.get(pk=article.pk).unpublish(user=editor))
    from webhooks import actions

    actions.attempt_delivery(delivery.pk, delivery.next_attempt_at)

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SKIPPED
    assert len(receiver.requests) == 1
