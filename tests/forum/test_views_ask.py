import pytest
from django.urls import reverse

from forum.models import Question
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    member = UserFactory()
    client.force_login(member)
    return member


def _data(category_page, **overrides) -> dict:
    return {
        "title": "How do I change the billing address on my invoices?",
        "body": "The old address still shows on every invoice I download.",
        "category": category_page.pk,
        "tags": "billing, invoices",
        **overrides,
    }


def test_anonymous_visitors_are_sent_to_log_in_before_asking(client):
    response = client.get(reverse("forum:ask"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/questions/ask/" in response["Location"]


def test_anonymous_visitors_posting_a_question_are_sent_to_log_in_and_nothing_is_saved(client):
    response = client.post(reverse("forum:ask"), _data(CategoryFactory()))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Question.objects.exists()


def test_the_ask_form_preselects_the_category_named_in_the_query_string(client, member):
    CategoryFactory()
    category = CategoryFactory()

    response = client.get(reverse("forum:ask") + f"?category={category.pk}")

    assert f'<option value="{category.pk}" selected>' in response.content.decode()


def test_asking_a_question_saves_it_and_redirects_to_it(client, member):
    category = CategoryFactory()

    response = client.post(reverse("forum:ask"), _data(category))

    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert question.author == member
    assert sorted(question.tags.names()) == ["billing", "invoices"]


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("title", {"title": "Too short"}),
        ("body", {"body": "Too short."}),
        ("tags", {"tags": "one two three four five six"}),
        ("category", {"category": 999_999}),
    ],
    ids=["title too short", "body too short", "more than five tags", "unknown category"],
)
def test_bad_input_is_a_form_error_with_status_400_and_nothing_is_saved(
    client, member, field, overrides
):
    response = client.post(reverse("forum:ask"), _data(CategoryFactory(), **overrides))

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Question.objects.exists()


def test_the_form_shows_the_same_message_as_the_action(client, member):
    response = client.post(reverse("forum:ask"), _data(CategoryFactory(), title="Too short"))

    assert "The title must be at least 15 characters long." in response.content.decode()


def test_a_rate_limited_member_gets_429_with_retry_after(client, member, settings):
    settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, "ask": (0, 3600)}

    response = client.post(reverse("forum:ask"), _data(CategoryFactory()))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not Question.objects.exists()


def test_the_ask_form_preselects_no_category_and_requires_one(client):
    CategoryFactory(title="Billing")
    router = CategoryFactory(title="Router")
    client.force_login(UserFactory())

    html = client.get(reverse("forum:ask")).content.decode()
    assert '<option value="" selected>Choose a category</option>' in html
    assert "selected>Billing" not in html
    html = client.get(reverse("forum:ask") + f"?category={router.pk}").content.decode()
    assert f'<option value="{router.pk}" selected>Router</option>' in html

    response = client.post(
        reverse("forum:ask"),
        {"title": "How do I open port 443 on my router?", "body": "Details " * 5, "category": ""},
    )
    assert response.status_code == 400
    assert not Question.objects.exists()
