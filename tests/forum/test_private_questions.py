"""A private question is for its asker, moderators and staff only, on every read path:
lists, its page, the API, search, similar questions, the sitemap, structured data and
notifications; its answers and comments inherit it; staff make it public and back.

(There are no feeds: nothing to test there; docs/support.md.)"""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from core.models import Event
from forum import actions
from forum.errors import NotAllowed, NotSignedIn
from forum.models import Answer, Comment, Question
from forum.permissions import can_see_post
from forum.queries import categories_with_stats, question_list
from kb.sitemaps import SolvedQuestionSitemap
from notifications import queries as notification_queries
from search.documents import documents_for_source, question_source
from search.queries import search, similar_questions
from tests.api.conftest import ApiClient
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)
from tests.search.conftest import index
from tests.visibility import VIEWERS, login, viewer_for

pytestmark = pytest.mark.django_db

SEES_PRIVATE = {"author", "moderator", "staff"}
viewers = pytest.mark.parametrize("viewer", VIEWERS)
TITLE = "Invoice shows the wrong billing address"


def _private_solved() -> Question:
    question = QuestionFactory(title=TITLE, is_private=True)
    answer = AnswerFactory(question=question, body="Staff fixed the address on your account.")
    Question.objects.filter(pk=question.pk).update(
        accepted_answer=answer, accepted_by=question.author, accepted_at=timezone.now()
    )
    return Question.objects.get(pk=question.pk)


# --- The rule ----------------------------------------------------------------------------


@viewers
def test_a_private_question_is_seen_by_its_asker_moderators_and_staff_only(viewer):
    question = QuestionFactory(is_private=True)
    user = viewer_for(viewer, question.author)

    in_queryset = Question.objects.visible_to(user).filter(pk=question.pk).exists()

    assert in_queryset == can_see_post(user, question) == (viewer in SEES_PRIVATE)


@viewers
def test_answers_and_comments_of_a_private_question_inherit_its_privacy(viewer):
    question = QuestionFactory(is_private=True)
    answer = AnswerFactory(question=question, author=StaffFactory())
    on_question = CommentFactory(question=question)
    on_answer = CommentFactory(answer=answer)
    user = viewer_for(viewer, question.author)
    expected = viewer in SEES_PRIVATE

    assert Answer.objects.visible_to(user).filter(pk=answer.pk).exists() == expected
    assert can_see_post(user, answer) == expected
    seen = set(Comment.objects.visible_to(user).values_list("pk", flat=True))
    assert (on_question.pk in seen) == (on_answer.pk in seen) == expected
    assert can_see_post(user, on_question) == can_see_post(user, on_answer) == expected


def test_the_author_of_an_answer_does_not_see_it_under_someone_elses_private_question():
    answer = AnswerFactory(question=QuestionFactory(is_private=True))

    assert not Answer.objects.visible_to(answer.author).filter(pk=answer.pk).exists()
    assert not can_see_post(answer.author, answer)


# --- Lists ---------------------------------------------------------------------------------


@viewers
def test_no_list_shows_a_private_question(client, viewer):
    category = CategoryFactory()
    question = QuestionFactory(title=TITLE, category=category, is_private=True)
    login(client, viewer_for(viewer, question.author))

    for url in (reverse("forum:questions"), "/", category.url):
        response = client.get(url)
        assert response.status_code == 200
        assert TITLE not in response.text, url
    assert question not in question_list().items


def test_category_counts_leave_out_private_questions():
    category = CategoryFactory()
    asker, staff = UserFactory(), StaffFactory()
    body = "My invoice shows the wrong address and my account number."
    private = actions.ask_question(
        asker, title="My invoice has the wrong address", body=body, category=category, private=True
    )
    actions.ask_question(
        asker,
        title="What do the router lights mean?",
        body="Which light means what?",
        category=category,
    )

    def counted():
        return next(c for c in categories_with_stats() if c.pk == category.pk).question_count

    assert counted() == 1
    actions.set_question_privacy(staff, private, False)
    assert counted() == 2
    actions.set_question_privacy(staff, private, True)
    assert counted() == 1


def test_a_member_profile_does_not_list_their_private_question(client):
    question = QuestionFactory(title=TITLE, is_private=True)
    login(client, question.author)

    response = client.get(reverse("accounts:profile", args=[question.author.username]))

    assert TITLE not in response.text


# --- Its page -------------------------------------------------------------------------------


@viewers
def test_the_question_page_is_shown_only_to_the_asker_moderators_and_staff(client, viewer):
    question = _private_solved()
    login(client, viewer_for(viewer, question.author))

    page = client.get(question.get_absolute_url())
    short = client.get(reverse("forum:question_short", args=[question.pk]))

    assert page.status_code == (200 if viewer in SEES_PRIVATE else 404)
    assert short.status_code == (301 if viewer in SEES_PRIVATE else 404)


def test_the_page_of_a_private_question_has_noindex_and_no_structured_data(client):
    question = _private_solved()
    login(client, question.author)

    response = client.get(question.get_absolute_url())

    assert '<meta name="robots" content="noindex">' in response.text
    assert "application/ld+json" not in response.text
    assert "This question is private" in response.text


def test_the_structured_data_tag_gives_nothing_for_a_private_question():
    question = _private_solved()

    html = Template("{% load kb_tags %}{% question_jsonld question %}").render(
        Context({"question": question})
    )

    assert html == ""


# --- The API ----------------------------------------------------------------------------------


@viewers
def test_the_api_lists_no_private_question_and_reads_it_only_for_who_may_see_it(viewer):
    question = QuestionFactory(is_private=True)
    AnswerFactory(question=question)
    client = ApiClient(viewer_for(viewer, question.author))

    listed = [item["id"] for item in client.get("/questions/").json()["items"]]
    detail = client.get(f"/questions/{question.pk}/")
    answers = client.get(f"/questions/{question.pk}/answers/")

    assert question.pk not in listed
    expected = 200 if viewer in SEES_PRIVATE else 404
    assert detail.status_code == answers.status_code == expected
    if expected == 200:
        assert detail.json()["is_private"] is True


def test_a_member_asks_privately_through_the_api():
    category = CategoryFactory()
    client = ApiClient(UserFactory())

    response = client.post(
        "/questions/",
        {
            "title": "My card was charged twice this month",
            "body": "The statement shows two charges of the same amount on one day.",
            "category": category.pk,
            "private": True,
        },
    )

    assert response.status_code == 201, response.json()
    assert response.json()["is_private"] is True
    assert Question.objects.get(pk=response.json()["id"]).is_private


def test_the_api_takes_private_as_a_boolean_only():
    category = CategoryFactory()
    client = ApiClient(UserFactory())

    response = client.post(
        "/questions/",
        {
            "title": "My card was charged twice this month",
            "body": "The statement shows two charges of the same amount on one day.",
            "category": category.pk,
            "private": 1,
        },
    )

    assert response.status_code == 422
    assert not Question.objects.exists()


# --- Search, similar questions, sitemap --------------------------------------------------------


def test_a_private_question_has_no_search_documents():
    question = _private_solved()

    assert documents_for_source(question_source(question.pk)) == []


@viewers
def test_search_and_similar_questions_never_offer_a_private_question(client, viewer):
    question = _private_solved()
    Question.objects.filter(pk=question.pk).update(is_private=False)
    index(question)
    Question.objects.filter(pk=question.pk).update(is_private=True)  # the index lags
    user = viewer_for(viewer, question.author)
    login(client, user)

    found = [r.question_id for r in search("invoice billing address", user=user).items]
    offered = [r.question_id for r in similar_questions("invoice billing address", user=user)]
    page = client.get(reverse("search:search"), {"q": "invoice billing address"})

    assert question.pk not in found
    assert question.pk not in offered
    assert TITLE not in page.text


def test_the_sitemap_leaves_out_a_private_question():
    question = _private_solved()

    assert question not in list(SolvedQuestionSitemap().items())


# --- Notifications ----------------------------------------------------------------------------


def test_notifications_about_a_private_thread_reach_only_who_may_see_it(
    django_capture_on_commit_callbacks,
):
    question = QuestionFactory(is_private=True)
    with django_capture_on_commit_callbacks(execute=True):
        answer = actions.post_answer(StaffFactory(), question, body="We refunded the charge.")
    event = Event.objects.get(verb="answer.posted", subject_id=answer.pk)

    assert notification_queries.can_see(question.author, event)
    assert not notification_queries.can_see(UserFactory(), event)
    assert not notification_queries.is_public(notification_queries.content_of(event))


# --- Asking privately -------------------------------------------------------------------------


def test_a_member_asks_privately_on_the_ask_form(client):
    category = CategoryFactory()
    member = UserFactory()
    client.force_login(member)

    response = client.post(
        reverse("forum:ask"),
        {
            "title": "My card was charged twice this month",
            "body": "The statement shows two charges of the same amount on one day.",
            "category": category.pk,
            "tags": "",
            "private": "on",
        },
    )

    question = Question.objects.get()
    assert response.status_code == 302
    assert question.is_private
    assert Event.objects.get(verb="question.asked").payload["private"] is True


def test_the_ask_form_offers_the_private_checkbox(client):
    client.force_login(UserFactory())

    response = client.get(reverse("forum:ask"))

    assert 'name="private"' in response.text


def test_a_question_is_public_unless_asked_privately():
    question = actions.ask_question(
        UserFactory(),
        title="How do I export my invoices?",
        body="I need every invoice of last year as one file.",
        category=CategoryFactory(),
    )

    assert not question.is_private


# --- Making it public and private again --------------------------------------------------------


def test_staff_make_a_question_private_and_public_again_and_search_follows(
    django_capture_on_commit_callbacks,
):
    staff = StaffFactory()
    question = _private_solved()
    question = actions.set_question_privacy(staff, question, False)
    index(question)
    assert documents_for_source(question_source(question.pk))

    with django_capture_on_commit_callbacks(execute=True):
        actions.set_question_privacy(staff, question, True)

    assert not Question.objects.visible_to(None).filter(pk=question.pk).exists()
    assert search("invoice billing address").items == []
    assert question not in list(SolvedQuestionSitemap().items())

    with django_capture_on_commit_callbacks(execute=True):
        actions.set_question_privacy(staff, question, False)

    assert Question.objects.visible_to(None).filter(pk=question.pk).exists()
    assert [r.question_id for r in search("invoice billing address").items] == [question.pk]
    assert question in list(SolvedQuestionSitemap().items())
    changes = Event.objects.filter(verb="question.privacy_changed").order_by("pk")
    assert [e.payload for e in changes] == [
        {"before": {"is_private": True}, "after": {"is_private": False}},
        {"before": {"is_private": False}, "after": {"is_private": True}},
        {"before": {"is_private": True}, "after": {"is_private": False}},
    ]
    assert {e.actor_id for e in changes} == {staff.pk}


def test_a_moderator_may_change_privacy():
    question = QuestionFactory()

    actions.set_question_privacy(ModeratorFactory(), question, True)

    assert Question.objects.get(pk=question.pk).is_private


def test_setting_the_privacy_it_already_has_records_nothing():
    question = QuestionFactory(is_private=True)

    actions.set_question_privacy(StaffFactory(), question, True)

    assert not Event.objects.filter(verb="question.privacy_changed").exists()


@pytest.mark.parametrize("who", ["asker", "other member"])
def test_members_may_not_change_privacy(who):
    question = QuestionFactory(is_private=True)
    actor = question.author if who == "asker" else UserFactory()

    with pytest.raises(NotAllowed):
        actions.set_question_privacy(actor, question, False)

    assert Question.objects.get(pk=question.pk).is_private


def test_a_visitor_may_not_change_privacy():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotSignedIn):
        actions.set_question_privacy(AnonymousUser(), QuestionFactory(), True)


def test_the_privacy_button_works_for_staff_and_refuses_members(client):
    question = QuestionFactory()
    url = reverse("forum:set_privacy", args=[question.pk])

    client.force_login(UserFactory())
    client.post(url, {"private": "on"})
    assert not Question.objects.get(pk=question.pk).is_private

    client.force_login(StaffFactory())
    page = client.get(question.get_absolute_url())
    assert url in page.text
    response = client.post(url, {"private": "on"})
    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).is_private
    client.post(url, {})
    assert not Question.objects.get(pk=question.pk).is_private


def test_a_private_question_cannot_go_into_the_knowledge_base():
    from kb.actions import promote_question

    question = _private_solved()

    with pytest.raises(NotAllowed, match="private"):
        promote_question(StaffFactory(is_superuser=True), question)
