"""The Community menu of the Wagtail admin, and the Django admin's ledger and members."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import actions
from forum.errors import InvalidInput
from forum.models import Question, QuestionState
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("wagtail_search_index")]

QUESTIONS = "/admin/snippets/forum/question/"
ANSWERS = "/admin/snippets/forum/answer/"


@pytest.fixture
def moderator():
    return ModeratorFactory()


@pytest.fixture
def admin_client(client, moderator):
    client.force_login(moderator)
    return client


def _edit_url(post) -> str:
    return reverse(post.snippet_viewset.get_url_name("edit"), args=[post.pk])


def _delete_url(post) -> str:
    return reverse(post.snippet_viewset.get_url_name("delete"), args=[post.pk])


def _bulk_url(post, action: str) -> str:
    url = reverse("wagtail_bulk_action", args=["forum", post._meta.model_name, action])
    return f"{url}?id={post.pk}"


def _question_form(question: Question, **changes) -> dict:
    data = {
        "title": question.title,
        "body": question.body,
        "tags": ", ".join(question.tags.names()),
        "category": question.category_id,
        "state": question.state,
        "summary": "",
    }
    return {**data, **changes}


def _asked(**kwargs) -> Question:
    defaults = {
        "title": "How do I change my payment method?",
        "body": "I want to pay by credit card instead of bank transfer.",
        "category": CategoryFactory(),
        "tags": "billing",
    }
    return actions.ask_question(UserFactory(), **{**defaults, **kwargs})


# --- Who gets in ------------------------------------------------------------------------


LISTINGS = [
    QUESTIONS,
    f"{QUESTIONS}?q=payment",
    f"{QUESTIONS}?state=open&solved=false&deleted=false&created_at_from=2020-01-01",
    f"{QUESTIONS}?q=payment&tag=billing&solved=false",
    ANSWERS,
    f"{ANSWERS}?q=transfer&accepted=false&deleted=true",
]


@pytest.mark.parametrize("url", LISTINGS)
@pytest.mark.parametrize("make_user", [ModeratorFactory, lambda: StaffFactory(is_superuser=True)])
def test_staff_and_moderators_can_list_search_and_filter_posts(client, make_user, url):
    AnswerFactory(question=_asked())
    client.force_login(make_user())

    response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("url", [QUESTIONS, f"{QUESTIONS}?q=payment", ANSWERS])
def test_members_are_sent_to_the_admin_login(client, url):
    client.force_login(UserFactory(trusted=True))

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_members_cannot_post_to_the_edit_view(client):
    question = _asked()
    client.force_login(UserFactory(trusted=True))

    client.post(_edit_url(question), _question_form(question, title="A title a member rewrote"))

    question.refresh_from_db()
    assert question.title == "How do I change my payment method?"


def _listing_queries(client, url: str) -> int:
    client.get(url)  # warm per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [QUESTIONS, ANSWERS])
def test_the_listings_cost_the_same_queries_at_any_size(admin_client, url):
    # Compared with itself rather than pinned: the admin menu around the listing costs
    # queries that other apps' menu items add to.
    category = CategoryFactory()
    AnswerFactory(question=QuestionFactory(category=category))
    one = _listing_queries(admin_client, url)
    for question in QuestionFactory.create_batch(7, category=category):
        AnswerFactory(question=question, author=UserFactory())

    assert _listing_queries(admin_client, url) == one


# --- Search -----------------------------------------------------------------------------


def test_admin_search_finds_a_question_asked_on_the_site_by_a_word_in_its_body(admin_client):
    asked = _asked()
    QuestionFactory(title="Where is the router's reset button hidden?")

    response = admin_client.get(QUESTIONS, {"q": "credit"})

    titles = [q.title for q in response.context["object_list"]]
    assert titles == [asked.title]


def test_admin_search_matches_the_start_of_a_title_word(admin_client):
    asked = _asked()

    response = admin_client.get(QUESTIONS, {"q": "paym"})

    assert list(response.context["object_list"]) == [asked]


def test_admin_search_survives_a_stray_double_quote(admin_client):
    asked = _asked()

    response = admin_client.get(QUESTIONS, {"q": '"payment'})

    assert list(response.context["object_list"]) == [asked]


def test_admin_search_combines_with_filters_the_search_index_does_not_know(admin_client):
    tagged = _asked(tags="billing")
    _asked(title="How do I change my payment card details?", tags="cards")

    response = admin_client.get(QUESTIONS, {"q": "payment", "tag": "billing", "solved": "false"})

    assert list(response.context["object_list"]) == [tagged]


# --- Editing goes through the actions ---------------------------------------------------


def test_saving_a_question_records_a_revision_and_renders_the_body(admin_client, moderator):
    question = _asked()

    response = admin_client.post(
        _edit_url(question),
        _question_form(question, body="Pay by **card** instead of bank transfer, please."),
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert "<strong>card</strong>" in question.body_html
    latest = question.revisions.last()
    assert (latest.number, latest.editor) == (2, moderator)


def test_saving_a_question_changes_its_state_and_tags(admin_client):
    question = _asked()

    admin_client.post(
        _edit_url(question),
        _question_form(question, state=QuestionState.CLOSED, tags="billing, invoices"),
    )

    question.refresh_from_db()
    assert question.state == QuestionState.CLOSED
    assert sorted(question.tags.names()) == ["billing", "invoices"]


def test_saving_a_question_can_move_it_to_another_category(admin_client):
    question = _asked()
    other = CategoryFactory(title="Cloud Hosting")

    admin_client.post(_edit_url(question), _question_form(question, category=other.pk))

    question.refresh_from_db()
    assert question.category == other
    assert question.revisions.count() == 2


def test_a_too_short_title_shows_a_form_error_and_changes_nothing(admin_client):
    question = _asked()

    response = admin_client.post(
        _edit_url(question),
        _question_form(question, title="Too short", state=QuestionState.CLOSED),
    )

    assert response.status_code == 200
    assert "at least 15 characters" in str(response.context["form"].errors["title"])
    question.refresh_from_db()
    assert (question.title, question.state) == ("How do I change my payment method?", "open")
    assert question.revisions.count() == 1


def test_a_refusal_after_the_edit_rolls_the_edit_back(admin_client, monkeypatch):
    question = _asked()

    def refuse(*args, **kwargs):
        raise InvalidInput("No state changes today.", field="state")

    monkeypatch.setattr(actions, "set_question_state", refuse)

    response = admin_client.post(
        _edit_url(question), _question_form(question, title="How do I switch to paying by card?")
    )

    assert "No state changes today." in str(response.context["form"].errors["state"])
    question.refresh_from_db()
    assert question.title == "How do I change my payment method?"
    assert question.revisions.count() == 1


def test_saving_an_answer_records_a_revision(admin_client, moderator):
    question = _asked()
    answer = actions.post_answer(
        UserFactory(), question, body="Open Billing, then Payment methods."
    )

    response = admin_client.post(
        _edit_url(answer), {"body": "Open **Billing**, then Payment methods.", "summary": "bold"}
    )

    assert response.status_code == 302
    answer.refresh_from_db()
    assert "<strong>Billing</strong>" in answer.body_html
    assert [(r.number, r.editor, r.summary) for r in answer.revisions.all()][-1] == (
        2,
        moderator,
        "bold",
    )


def test_the_admin_has_no_add_view_for_posts(admin_client):
    response = admin_client.get(f"{QUESTIONS}add/")

    assert response.status_code == 302
    assert Question.objects.count() == 0


# --- Deleting is the soft delete --------------------------------------------------------


def test_deleting_a_question_in_the_admin_hides_it_and_keeps_the_row(admin_client, moderator):
    question = _asked()

    response = admin_client.post(_delete_url(question))

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.deleted_at is not None
    assert question.deleted_by == moderator


def test_deleting_an_upvoted_answer_takes_its_reputation_back(admin_client):
    answer = actions.post_answer(UserFactory(), _asked(), body="Open Billing, then Payments.")
    actions.cast_vote(ModeratorFactory(), answer, 1)

    admin_client.post(_delete_url(answer))

    answer.refresh_from_db()
    answer.author.refresh_from_db()
    assert answer.deleted_at is not None
    assert answer.author.reputation == 1


def test_the_bulk_delete_is_the_soft_delete_too(admin_client):
    question = _asked()

    admin_client.post(_bulk_url(question, "delete"))

    question.refresh_from_db()
    assert question.deleted_at is not None


def test_restoring_from_the_admin_brings_a_question_back(admin_client, moderator):
    question = actions.delete_question(moderator, _asked())

    admin_client.post(_bulk_url(question, "restore"))

    question.refresh_from_db()
    assert question.deleted_at is None


def test_a_deleted_question_offers_restore_instead_of_delete(admin_client, moderator):
    question = actions.delete_question(moderator, _asked())

    response = admin_client.get(QUESTIONS)

    html = response.content.decode()
    assert _bulk_url(question, "restore") in html.replace("&amp;", "&")
    assert _delete_url(question) not in html


def test_editing_a_deleted_question_is_refused_with_a_message(admin_client, moderator):
    question = actions.delete_question(moderator, _asked())

    response = admin_client.post(
        _edit_url(question), _question_form(question, title="How do I switch to paying by card?")
    )

    assert "deleted" in str(response.context["form"].non_field_errors())
    question.refresh_from_db()
    assert question.title == "How do I change my payment method?"


# --- Django admin -----------------------------------------------------------------------


def test_the_django_admin_lists_members_and_the_ledger_read_only(client):
    answer = actions.post_answer(UserFactory(), _asked(), body="Open Billing, then Payments.")
    actions.cast_vote(ModeratorFactory(), answer, 1)
    client.force_login(StaffFactory(is_superuser=True))

    assert client.get("/django-admin/accounts/user/").status_code == 200
    assert client.get(f"/django-admin/accounts/user/{answer.author_id}/change/").status_code == 200
    assert client.get("/django-admin/forum/reputationentry/").status_code == 200
    assert client.get("/django-admin/forum/reputationentry/add/").status_code == 403


def test_the_django_admin_does_not_offer_posts_or_votes(client):
    client.force_login(StaffFactory(is_superuser=True))

    for model in ("question", "answer", "vote"):
        assert client.get(f"/django-admin/forum/{model}/").status_code == 404
