"""Spam defence on new posts: link limits, the held first post with a link, the honeypot,
duplicate bodies, and new members' stricter limits (docs/spam.md)."""

import pytest
from django.urls import reverse

from core.errors import RateLimited
from core.models import Event
from core.spam import HOLD, Verdict
from forum import actions
from forum.errors import DuplicatePost, LooksLikeSpam, TooManyLinks
from forum.models import Answer, Comment, Question, Visibility
from tests.api.conftest import ApiClient
from tests.factories import CategoryFactory, ModeratorFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

TITLE = "The router drops the connection every evening"
LINKED = "Try the firmware from https://example.com/fw and reboot the router twice."
TWO_LINKS = "See https://example.com/a and www.example.org/b for the two fixes I tried."
THREE_LINKS = "See https://a.example, http://b.example and www.c.example for the details."
PLAIN = "Unplug the router for thirty seconds, then plug it back in and wait."


@pytest.fixture(autouse=True)
def _defences_on(settings):
    """The suite's settings switch these off; here they have their defaults."""
    settings.TANYA_NEW_MEMBER_REPUTATION = 10
    settings.TANYA_NEW_MEMBER_MAX_LINKS = 2
    settings.TANYA_DUPLICATE_WINDOW = 3600


@pytest.fixture
def category():
    return CategoryFactory()


@pytest.fixture
def newcomer():
    return UserFactory(reputation=1)


@pytest.fixture
def regular():
    return UserFactory(reputation=500)


def _ask(author, category, body=PLAIN, title=TITLE):
    return actions.ask_question(author, title=title, body=body, category=category)


# --- Link limits --------------------------------------------------------------------------


def test_a_new_member_may_not_post_more_links_than_the_limit(newcomer, category):
    with pytest.raises(TooManyLinks) as refused:
        _ask(newcomer, category, body=THREE_LINKS)

    assert refused.value.status == 422
    assert refused.value.field == "body"
    assert "at most 2 links" in str(refused.value.message)
    assert not Question.objects.exists()


def test_an_established_member_may_post_many_links(regular, category):
    question = _ask(regular, category, body=THREE_LINKS)

    assert question.is_visible


def test_the_link_limit_is_a_setting(settings, newcomer, category):
    settings.TANYA_NEW_MEMBER_MAX_LINKS = 0
    settings.TANYA_SPAM_CHECK = "tests.moderation.test_spam.allow_everything"

    with pytest.raises(TooManyLinks):
        _ask(newcomer, category, body=LINKED)


def test_a_new_member_may_not_edit_links_in_past_the_limit(newcomer, category):
    question = _ask(newcomer, category)

    with pytest.raises(TooManyLinks):
        actions.edit_question(newcomer, question, title=TITLE, body=THREE_LINKS, tags="")

    assert Question.objects.get(pk=question.pk).body == PLAIN


def test_too_many_links_in_an_answer_is_a_422_in_the_api_and_nothing_is_saved(newcomer):
    question = QuestionFactory()

    response = ApiClient(newcomer).post(f"/questions/{question.pk}/answers/", {"body": THREE_LINKS})

    assert response.status_code == 422
    assert response.json()["code"] == "too_many_links"
    assert response.json()["errors"][0]["loc"] == ["body", "body"]
    assert not Answer.objects.exists()


def test_too_many_links_on_the_ask_form_is_a_form_error(client, newcomer, category):
    client.force_login(newcomer)
    data = {"title": TITLE, "body": THREE_LINKS, "category": category.pk, "tags": ""}

    response = client.post(reverse("forum:ask"), data)

    assert response.status_code == 400
    assert "at most 2 links" in response.content.decode()
    assert not Question.objects.exists()


# --- The pluggable check and held posts --------------------------------------------------


def allow_everything(submission):
    return Verdict()


def refuse_everything(submission):
    return Verdict("refuse", "test")


def hold_everything(submission):
    return Verdict(HOLD, "held_by_test")


def test_a_new_members_first_post_with_a_link_is_held(newcomer, category):
    question = _ask(newcomer, category, body=LINKED)

    assert question.visibility == Visibility.HELD
    event = Event.objects.get(verb="question.asked")
    assert event.payload["held"] is True
    assert event.payload["spam_reason"] == "new_member_first_link"


def test_a_new_members_post_without_a_link_is_published(newcomer, category):
    assert _ask(newcomer, category).is_visible
    assert "held" not in Event.objects.get(verb="question.asked").payload


def test_once_a_post_with_a_link_is_approved_the_next_ones_are_not_held(newcomer, category):
    first = _ask(newcomer, category, body=LINKED)
    Question.objects.filter(pk=first.pk).update(visibility=Visibility.VISIBLE)  # approved

    second = _ask(newcomer, category, body=TWO_LINKS, title="The router drops it in the morning")

    assert second.is_visible


def test_while_the_first_waits_later_posts_with_links_wait_too(newcomer, category):
    _ask(newcomer, category, body=LINKED)
    question = QuestionFactory()

    answer = actions.post_answer(newcomer, question, body=TWO_LINKS)

    assert answer.visibility == Visibility.HELD


def test_a_held_answer_does_not_count_and_does_not_bump_the_thread(newcomer):
    question = QuestionFactory()
    before = Question.objects.get(pk=question.pk).last_activity_at

    answer = actions.post_answer(newcomer, question, body=LINKED)

    question.refresh_from_db()
    assert answer.is_held
    assert question.answer_count == 0
    assert question.last_activity_at == before
    assert Event.objects.get(verb="answer.posted").payload["held"] is True


def test_a_held_comment_is_created_held(settings, newcomer):
    settings.TANYA_SPAM_CHECK = "tests.moderation.test_spam.hold_everything"
    question = QuestionFactory(author=newcomer)

    comment = actions.post_comment(newcomer, question, body="Also www.example.com helped")

    assert comment.visibility == Visibility.HELD
    assert Event.objects.get(verb="comment.posted").payload["spam_reason"] == "held_by_test"


def test_the_check_is_the_function_the_setting_names(settings, regular, category):
    settings.TANYA_SPAM_CHECK = "tests.moderation.test_spam.refuse_everything"

    with pytest.raises(LooksLikeSpam):
        _ask(regular, category)

    assert not Question.objects.exists()


def test_a_refusing_check_is_a_422_in_the_api(settings, regular):
    settings.TANYA_SPAM_CHECK = "tests.moderation.test_spam.refuse_everything"
    question = QuestionFactory()

    response = ApiClient(regular).post(f"/questions/{question.pk}/answers/", {"body": PLAIN})

    assert response.status_code == 422
    assert response.json()["code"] == "looks_like_spam"
    assert not Answer.objects.exists()


def test_moderators_are_never_new_members(category):
    moderator = ModeratorFactory(reputation=1)

    assert _ask(moderator, category, body=THREE_LINKS).is_visible


# --- Duplicate bodies --------------------------------------------------------------------


def test_the_same_body_twice_within_the_window_is_refused_across_questions(regular):
    first, second = QuestionFactory(), QuestionFactory()
    actions.post_answer(regular, first, body=PLAIN)

    with pytest.raises(DuplicatePost) as refused:
        actions.post_answer(regular, second, body=PLAIN)

    assert refused.value.status == 409
    assert Answer.objects.count() == 1


def test_a_question_body_repeated_as_an_answer_is_refused(regular, category):
    _ask(regular, category)

    with pytest.raises(DuplicatePost):
        actions.post_answer(regular, QuestionFactory(), body=PLAIN)


def test_another_member_may_post_the_same_words(regular):
    question = QuestionFactory()
    actions.post_answer(regular, question, body=PLAIN)

    assert actions.post_answer(UserFactory(reputation=500), question, body=PLAIN).is_visible


def test_a_duplicate_outside_the_window_is_allowed(regular):
    question = QuestionFactory()
    answer = actions.post_answer(regular, question, body=PLAIN)
    Answer.objects.filter(pk=answer.pk).update(created_at=answer.created_at.replace(year=2020))

    assert actions.post_answer(regular, QuestionFactory(), body=PLAIN).is_visible


def test_a_duplicate_is_a_409_in_the_api(regular):
    first, second = QuestionFactory(), QuestionFactory()
    api = ApiClient(regular)
    assert api.post(f"/questions/{first.pk}/answers/", {"body": PLAIN}).status_code == 201

    response = api.post(f"/questions/{second.pk}/answers/", {"body": PLAIN})

    assert response.status_code == 409
    assert response.json()["code"] == "duplicate_post"
    assert Answer.objects.count() == 1


def test_a_duplicate_on_the_answer_form_is_a_form_error(client, regular):
    first, second = QuestionFactory(), QuestionFactory()
    client.force_login(regular)
    client.post(reverse("forum:answer", args=[first.pk]), {"body": PLAIN})

    response = client.post(reverse("forum:answer", args=[second.pk]), {"body": PLAIN})

    assert response.status_code == 400
    assert "same text twice" in response.content.decode()
    assert Answer.objects.count() == 1


# --- The honeypot ------------------------------------------------------------------------


def test_the_honeypot_is_hidden_from_people_but_present(client, regular, category):
    client.force_login(regular)

    html = client.get(reverse("forum:ask")).content.decode()

    assert 'name="website"' in html
    field = html[html.index('<span class="hp"') :]
    field = field[: field.index("</span>")]
    assert 'aria-hidden="true"' in field
    assert 'tabindex="-1"' in field
    assert 'autocomplete="off"' in field
    assert "style=" not in field


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("ask", {"title": TITLE, "body": PLAIN, "tags": ""}),
        ("answer", {"body": PLAIN}),
        ("comment_question", {"body": "Which router model is it?"}),
    ],
)
def test_a_filled_in_honeypot_is_refused_and_nothing_is_saved(client, regular, category, url, data):
    question = QuestionFactory(author=regular)
    client.force_login(regular)
    args = [] if url == "ask" else [question.pk]
    data = {**data, "category": category.pk, "website": "http://spam.example"}

    response = client.post(reverse(f"forum:{url}", args=args), data, follow=True)

    # A form page re-renders with 400; a comment goes back to its thread with the message.
    assert response.redirect_chain if url.startswith("comment") else response.status_code == 400
    assert "could not be sent" in response.content.decode()
    assert Question.objects.count() == 1
    assert not Answer.objects.exists()
    assert not Comment.objects.exists()


def test_the_signup_form_has_the_honeypot_and_refuses_a_filled_one(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert 'name="website"' in html and 'class="hp"' in html

    response = client.post(
        reverse("account_signup"),
        {
            "username": "spambot",
            "email": "bot@example.com",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
            "website": "http://spam.example",
        },
    )

    assert "could not be sent" in response.content.decode()
    assert not UserFactory._meta.model.objects.filter(username="spambot").exists()


# --- New members' limits -----------------------------------------------------------------


def test_new_members_have_stricter_limits_than_others(settings, newcomer, regular):
    settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, "answer": (5, 3600)}
    settings.TANYA_NEW_MEMBER_RATE_LIMITS = {"answer": (2, 3600)}
    question = QuestionFactory()
    for n in range(2):
        actions.post_answer(newcomer, question, body=f"{PLAIN} Attempt number {n}.")
        actions.post_answer(regular, question, body=f"{PLAIN} Attempt number {n}.")

    with pytest.raises(RateLimited):
        actions.post_answer(newcomer, question, body=f"{PLAIN} Attempt number 3.")
    assert actions.post_answer(regular, question, body=f"{PLAIN} Attempt number 3.")


def test_a_new_member_past_the_limit_gets_a_429_with_retry_after(settings, newcomer):
    settings.TANYA_NEW_MEMBER_RATE_LIMITS = {"answer": (1, 3600)}
    question = QuestionFactory()
    api = ApiClient(newcomer)
    assert api.post(f"/questions/{question.pk}/answers/", {"body": PLAIN}).status_code == 201

    response = api.post(f"/questions/{question.pk}/answers/", {"body": PLAIN + " Again."})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_a_spam_burst_from_a_new_account_is_stopped(settings, newcomer, category):
    """The issue's "done when": ten link-filled questions in a row from a brand-new account
    publish nothing. The first waits for review, the repeat is refused, one with too many
    links is refused, and the new member's hourly limit stops the rest."""
    settings.TANYA_NEW_MEMBER_RATE_LIMITS = {"ask": (3, 3600)}
    outcomes = []
    for n in range(10):
        body = THREE_LINKS if n == 2 else (LINKED if n < 2 else f"{LINKED} Offer {n}.")
        try:
            question = _ask(newcomer, category, body=body, title=f"{TITLE} deal {n}")
        except (DuplicatePost, TooManyLinks, RateLimited) as refusal:
            outcomes.append(refusal.code)
        else:
            outcomes.append(question.visibility)

    assert outcomes[:2] == [Visibility.HELD, "duplicate_post"]
    assert "too_many_links" in outcomes
    assert set(outcomes[3:]) <= {Visibility.HELD, "rate_limited"}
    assert outcomes.count("rate_limited") >= 6
    assert not Question.objects.visible_to(None).filter(author=newcomer).exists()
