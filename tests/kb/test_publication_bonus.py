import pytest
from wagtail.actions.delete_page import DeletePageAction

from forum import actions as forum_actions
from forum.models import ReputationEntry, ReputationReason
from kb.actions import ARTICLE_DELETED, PROMOTED_TO_KB, promote_question
from kb.models import ArticlePage, ArticleReview
from tests.forum.ledger import assert_ledger_balanced

pytestmark = pytest.mark.django_db


def _publish(article, user):
    ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish(user=user)


@pytest.fixture
def article(editor, solved_question):
    return promote_question(editor, solved_question)


@pytest.fixture
def answerer(solved_question):
    return solved_question.accepted_answer.author


def test_promotion_alone_pays_nothing(article, answerer):
    assert not ReputationEntry.objects.filter(reason=PROMOTED_TO_KB).exists()


def test_first_publication_pays_the_answer_author_the_bonus(article, editor, answerer):
    answerer.refresh_from_db()
    before = answerer.reputation

    _publish(article, editor)

    answerer.refresh_from_db()
    assert answerer.reputation == before + 25
    entry = ReputationEntry.objects.get(reason=PROMOTED_TO_KB)
    assert (entry.user, entry.amount) == (answerer, 25)
    assert entry.answer_id == article.source_answer_id
    assert entry.question_id == article.source_question_id
    assert_ledger_balanced()


def test_republishing_does_not_pay_again(article, editor, answerer):
    _publish(article, editor)
    page = ArticlePage.objects.get(pk=article.pk)
    page.summary = "Better summary."
    page.save_revision(user=editor).publish(user=editor)

    assert ReputationEntry.objects.filter(reason=PROMOTED_TO_KB).count() == 1
    assert_ledger_balanced()


def test_the_bonus_follows_the_setting(article, editor, answerer, settings):
    settings.TANYA_KB = {**settings.TANYA_KB, "PROMOTION_BONUS": 40}

    _publish(article, editor)

    assert ReputationEntry.objects.get(reason=PROMOTED_TO_KB).amount == 40


def test_deleting_the_article_reverses_the_bonus(article, editor, answerer):
    _publish(article, editor)
    answerer.refresh_from_db()
    before = answerer.reputation

    DeletePageAction(ArticlePage.objects.get(pk=article.pk), user=editor).execute()

    answerer.refresh_from_db()
    assert answerer.reputation == before - 25
    correction = ReputationEntry.objects.get(cause=ARTICLE_DELETED)
    assert correction.amount == -25
    assert correction.reverses.reason == PROMOTED_TO_KB
    assert not ArticleReview.objects.filter(article_id=article.pk).exists()
    assert_ledger_balanced()


def test_deleting_an_unpublished_article_changes_no_reputation(article, editor, answerer):
    DeletePageAction(ArticlePage.objects.get(pk=article.pk), user=editor).execute()

    assert not ReputationEntry.objects.filter(reason=PROMOTED_TO_KB).exists()
    assert_ledger_balanced()


def test_deleting_the_whole_knowledge_base_reverses_the_bonus(article, editor, kb_index, answerer):
    _publish(article, editor)

    kb_index.delete()

    assert ReputationEntry.objects.filter(cause=ARTICLE_DELETED).count() == 1
    assert_ledger_balanced()


def test_a_new_article_for_the_same_thread_pays_again_after_the_first_is_deleted(
    article, editor, solved_question, answerer
):
    _publish(article, editor)
    DeletePageAction(ArticlePage.objects.get(pk=article.pk), user=editor).execute()

    again = promote_question(editor, solved_question)
    _publish(again, editor)

    grants = ReputationEntry.objects.filter(reason=PROMOTED_TO_KB, reverses=None)
    assert grants.count() == 2
    assert_ledger_balanced()


def test_restoring_the_question_after_the_article_is_deleted_does_not_bring_the_bonus_back(
    article, editor, solved_question, answerer
):
    _publish(article, editor)
    forum_actions.delete_question(editor, solved_question)  # the forum takes the bonus back
    DeletePageAction(ArticlePage.objects.get(pk=article.pk), user=editor).execute()
    answerer.refresh_from_db()
    before = answerer.reputation

    forum_actions.restore_question(editor, solved_question)

    bonus = ReputationEntry.objects.get(reason=PROMOTED_TO_KB, reverses=None)
    net = bonus.amount + sum(c.amount for c in bonus.corrections.all())
    assert net == 0
    answerer.refresh_from_db()
    assert answerer.reputation == before + 15  # only the acceptance comes back
    assert_ledger_balanced()


def test_reversal_never_takes_a_member_below_the_floor(article, editor, answerer):
    _publish(article, editor)
    forum_actions.unaccept_answer(editor, article.source_question)  # takes the +15 back
    answerer.refresh_from_db()
    assert answerer.reputation == 26
    # Down to 6 by an adjustment the ledger accounts for, so the reversal hits the floor.
    ReputationEntry.objects.create(user=answerer, amount=-20, reason=ReputationReason.ADJUSTMENT)
    type(answerer).objects.filter(pk=answerer.pk).update(reputation=6)

    DeletePageAction(ArticlePage.objects.get(pk=article.pk), user=editor).execute()

    answerer.refresh_from_db()
    assert answerer.reputation == 1
    assert ReputationEntry.objects.get(cause=ARTICLE_DELETED).amount == -5
    assert_ledger_balanced()


def test_publishing_from_the_wagtail_editor_pays_the_bonus(client, article, editor, answerer):
    from django.urls import reverse
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    client.force_login(editor)
    data = nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "summary": "Restart the router service.",
            "body": streamfield(
                [("heading", "Solution"), ("rich_text", rich_text("<p>Restart.</p>"))]
            ),
            "category": article.category_id,
            "tags": "router",
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )

    response = client.post(reverse("wagtailadmin_pages:edit", args=[article.pk]), data)

    assert response.status_code == 302, response.context["form"].errors
    published = ArticlePage.objects.get(pk=article.pk)
    assert published.live is True
    assert published.source_question_id == article.source_question_id
    assert list(published.credited.all()) == [answerer]
    assert ReputationEntry.objects.filter(reason=PROMOTED_TO_KB, user=answerer).count() == 1
    assert_ledger_balanced()
