import pytest
from django.urls import reverse

from forum import actions as forum_actions
from kb.actions import note_source_changed, promote_question, rate_article
from kb.models import ArticlePage, ArticleReview, SourceChange
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(editor, solved_question):
    article = promote_question(editor, solved_question)
    ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish(user=editor)
    return ArticlePage.objects.get(pk=article.pk)


@pytest.fixture
def stale_article(article, solved_question):
    answer = solved_question.accepted_answer
    forum_actions.edit_answer(answer.author, answer, body="Unplug it for <b>thirty</b> seconds.")
    note_source_changed(solved_question.pk, SourceChange.ANSWER_EDITED)
    return article


def test_the_source_changed_report_shows_the_escaped_diff(client, editor, stale_article):
    client.force_login(editor)

    response = client.get(reverse("kb_admin:source_changed"))

    html = response.content.decode()
    assert response.status_code == 200
    assert stale_article.title in html
    assert "The accepted answer was edited." in html
    assert "Unplug it for &lt;b&gt;thirty&lt;/b&gt; seconds." in html
    assert "<b>thirty</b>" not in html
    assert reverse("kb_admin:mark_reviewed", args=[stale_article.pk]) in html


def test_the_report_button_marks_the_article_reviewed(client, editor, stale_article):
    client.force_login(editor)
    report = reverse("kb_admin:source_changed")

    response = client.post(
        reverse("kb_admin:mark_reviewed", args=[stale_article.pk]), {"next": report}
    )

    assert response["Location"] == report
    assert ArticleReview.objects.get(article=stale_article).stale is False
    assert list(client.get(report).context["object_list"]) == []


def test_staff_who_cannot_edit_the_article_are_refused_by_the_report_button(client, stale_article):
    staff = StaffFactory(is_superuser=False)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)

    client.post(reverse("kb_admin:mark_reviewed", args=[stale_article.pk]))

    assert ArticleReview.objects.get(article=stale_article).stale is True


def test_a_member_cannot_mark_reviewed_through_the_admin(client, stale_article):
    client.force_login(UserFactory())

    client.post(reverse("kb_admin:mark_reviewed", args=[stale_article.pk]))

    assert ArticleReview.objects.get(article=stale_article).stale is True


def test_the_least_helpful_report_puts_the_worst_first(client, editor, article, kb_index):
    for helpful in (False, False, True):
        rate_article(
            UserFactory(),
            article,
            helpful=helpful,
            comment="Step two fails." if not helpful else "",
        )
    client.force_login(editor)

    response = client.get(reverse("kb_admin:least_helpful"))

    [row] = response.context["object_list"]
    assert (row.helpful_yes, row.helpful_no) == (1, 2)
    html = response.content.decode()
    assert "33%" in html
    assert "Step two fails." in html


def test_the_article_listing_shows_helpfulness_columns(client, editor, article):
    rate_article(UserFactory(), article, helpful=True)
    client.force_login(StaffFactory(is_superuser=True))

    response = client.get(reverse("kb_articles:index"))

    assert response.status_code == 200
    [row] = response.context["object_list"]
    assert (row.helpful_yes, row.helpful_no) == (1, 0)
    assert "Not helpful" in response.content.decode()


def test_the_promoted_draft_opens_in_the_wagtail_editor(client, editor, solved_question):
    article = promote_question(editor, solved_question)
    client.force_login(editor)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))

    assert response.status_code == 200
    assert solved_question.title in response.content.decode()


def test_the_reports_menu_offers_the_knowledge_base_reports_to_editors(client, editor):
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    for name in ("kb_admin:source_changed", "kb_admin:candidates", "kb_admin:least_helpful"):
        assert reverse(name) in html
