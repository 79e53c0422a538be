import pytest
from django.contrib.auth.models import AnonymousUser

from forum.errors import InvalidInput, NotAllowed, RateLimited
from kb.actions import promote_question, rate_article
from kb.models import ArticlePage, HelpfulnessVote
from kb.queries import VISITOR_COOKIE
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(editor, solved_question):
    article = promote_question(editor, solved_question)
    ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish(user=editor)
    return ArticlePage.objects.get(pk=article.pk)


def test_a_member_votes_once_per_article(article):
    member = UserFactory()

    first = rate_article(member, article, helpful=True, comment="Worked for me.")
    second = rate_article(member, article, helpful=False)

    assert second.pk == first.pk
    assert HelpfulnessVote.objects.filter(article=article).count() == 1
    assert HelpfulnessVote.objects.get().helpful is True


def test_an_anonymous_visitor_votes_once_per_browser(article):
    rate_article(AnonymousUser(), article, helpful=False, visitor_token="browser-a")
    rate_article(AnonymousUser(), article, helpful=True, visitor_token="browser-a")
    rate_article(AnonymousUser(), article, helpful=True, visitor_token="browser-b")

    assert sorted(HelpfulnessVote.objects.values_list("visitor", "helpful")) == [
        ("anon:browser-a", False),
        ("anon:browser-b", True),
    ]


def test_an_anonymous_visitor_without_a_token_is_refused(article):
    with pytest.raises(InvalidInput):
        rate_article(AnonymousUser(), article, helpful=True)


def test_an_unpublished_article_cannot_be_rated(editor, solved_question):
    draft = promote_question(editor, solved_question)

    with pytest.raises(NotAllowed):
        rate_article(UserFactory(), draft, helpful=True)


def test_a_long_comment_is_refused(article):
    with pytest.raises(InvalidInput):
        rate_article(UserFactory(), article, helpful=False, comment="x" * 1001)


def test_new_votes_are_rate_limited_per_address(article, settings):
    settings.TANYA_KB = {**settings.TANYA_KB, "HELPFUL_VOTE_RATE": (2, 3600)}
    for token in ("a", "b"):
        rate_article(
            AnonymousUser(), article, helpful=True, visitor_token=token, client_ip="10.0.0.1"
        )

    with pytest.raises(RateLimited):
        rate_article(
            AnonymousUser(), article, helpful=True, visitor_token="c", client_ip="10.0.0.1"
        )
    assert HelpfulnessVote.objects.count() == 2


def test_staff_are_not_rate_limited(article, settings):
    settings.TANYA_KB = {**settings.TANYA_KB, "HELPFUL_VOTE_RATE": (0, 3600)}

    rate_article(StaffFactory(), article, helpful=True, client_ip="10.0.0.1")

    assert HelpfulnessVote.objects.count() == 1


def test_the_form_counts_an_anonymous_visitor_once_by_cookie(client, article):
    url = f"/kb/articles/{article.pk}/helpful/"

    first = client.post(url, {"helpful": "yes"})
    client.post(url, {"helpful": "no"})

    assert first.status_code == 302
    assert first["Location"].endswith("#helpfulness")
    assert VISITOR_COOKIE in first.cookies
    assert list(HelpfulnessVote.objects.values_list("helpful", flat=True)) == [True]


def test_htmx_gets_the_thank_you_fragment(client, article):
    response = client.post(
        f"/kb/articles/{article.pk}/helpful/",
        {"helpful": "no", "comment": "Step two is missing."},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert b"Thank you for your feedback." in response.content
    assert HelpfulnessVote.objects.get().comment == "Step two is missing."


def test_htmx_shows_a_refusal_in_the_fragment(client, article):
    response = client.post(
        f"/kb/articles/{article.pk}/helpful/",
        {"helpful": "maybe"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert b'role="alert"' in response.content
    assert not HelpfulnessVote.objects.exists()


def test_the_article_page_thanks_a_visitor_who_voted(client, article):
    client.post(f"/kb/articles/{article.pk}/helpful/", {"helpful": "yes"})

    response = client.get(article.url)

    assert b"Thank you for your feedback." in response.content
    assert b"Was this helpful?" not in response.content
