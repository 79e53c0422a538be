"""Flagging a post: who may, once per member while it is under review, the weighted
threshold that hides it, and what the flagger and the author are told."""

import pytest
from django.db import IntegrityError, transaction

from core.errors import InvalidInput, NotAllowed, NotSignedIn, RateLimited
from core.models import Event
from forum import actions as forum_actions
from forum.errors import NotEnoughReputation, PostDeleted
from forum.models import Comment, Question, Visibility
from moderation import actions
from moderation.errors import AlreadyFlagged
from moderation.models import Flag, Outcome, Review
from notifications.models import Kind, Notification
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def member(reputation: int = 15):
    return UserFactory(reputation=reputation)


def _post(kind: str, **kwargs):
    if kind == "question":
        return QuestionFactory(**kwargs)
    if kind == "answer":
        return AnswerFactory(**kwargs)
    return CommentFactory(answer=AnswerFactory(), **kwargs)


def _state(post) -> str:
    return type(post).objects.get(pk=post.pk).visibility


@pytest.mark.parametrize("kind", ["question", "answer", "comment"])
def test_a_member_with_enough_reputation_flags_a_post_and_it_is_recorded(kind):
    post = _post(kind)
    flagger = member()

    flag = actions.flag_post(flagger, post, reason="spam")

    assert flag.review.kind == kind
    assert flag.review.post_id == post.pk
    event = Event.objects.get(verb="post.flagged")
    assert (event.actor_id, event.subject_id) == (flagger.pk, post.pk)
    assert event.payload["reason"] == "spam"
    assert event.payload["review"] == flag.review_id


def test_a_member_below_the_threshold_cannot_flag(settings):
    settings.TANYA_FLAG_REPUTATION = 15

    with pytest.raises(NotEnoughReputation):
        actions.flag_post(member(14), QuestionFactory(), reason="spam")

    assert not Flag.objects.exists()
    assert not Event.objects.exists()


def test_a_visitor_cannot_flag():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotSignedIn):
        actions.flag_post(AnonymousUser(), QuestionFactory(), reason="spam")


def test_a_suspended_member_cannot_flag():
    with pytest.raises(NotSignedIn):
        actions.flag_post(
            UserFactory(reputation=500, is_active=False), QuestionFactory(), reason="spam"
        )


@pytest.mark.parametrize("who", ["moderator", "staff"])
def test_moderators_and_staff_flag_whatever_their_reputation(who):
    flagger = ModeratorFactory() if who == "moderator" else StaffFactory()

    actions.flag_post(flagger, QuestionFactory(), reason="off_topic")

    assert Flag.objects.count() == 1


def test_nobody_flags_their_own_post():
    question = QuestionFactory(author=member(500))

    with pytest.raises(NotAllowed):
        actions.flag_post(question.author, question, reason="spam")


@pytest.mark.parametrize("state", [Visibility.HELD, Visibility.HIDDEN, Visibility.DELETED])
def test_a_post_that_is_not_visible_cannot_be_flagged(state):
    with pytest.raises(PostDeleted):
        actions.flag_post(ModeratorFactory(), QuestionFactory(visibility=state), reason="spam")


def test_flagging_the_same_post_twice_is_refused_as_already_flagged():
    question, flagger = QuestionFactory(), member()
    actions.flag_post(flagger, question, reason="spam")

    with pytest.raises(AlreadyFlagged):
        actions.flag_post(flagger, question, reason="abusive")

    assert Flag.objects.count() == 1


def test_the_database_keeps_one_flag_per_member_per_review():
    flag = actions.flag_post(member(), QuestionFactory(), reason="spam")

    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(review=flag.review, flagger=flag.flagger, reason="spam")


def test_the_database_keeps_one_open_review_per_post():
    flag = actions.flag_post(member(), QuestionFactory(), reason="spam")
    review = flag.review

    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            question=review.question,
            thread=review.thread,
            category=review.category,
            author=review.author,
        )


def test_after_a_review_closes_the_same_member_may_flag_again():
    question, flagger = QuestionFactory(), member()
    first = actions.flag_post(flagger, question, reason="off_topic")
    actions.resolve_flags(ModeratorFactory(), first.review, Outcome.DISMISSED)

    second = actions.flag_post(flagger, question, reason="off_topic")

    assert second.review_id != first.review_id


def test_two_members_flagging_a_post_share_one_review():
    question = QuestionFactory()

    first = actions.flag_post(member(), question, reason="spam")
    second = actions.flag_post(member(), question, reason="off_topic")

    assert first.review_id == second.review_id


def test_other_needs_a_note():
    with pytest.raises(InvalidInput) as refused:
        actions.flag_post(member(), QuestionFactory(), reason="other", note="  ")

    assert refused.value.field == "note"


def test_an_unknown_reason_is_refused():
    with pytest.raises(InvalidInput) as refused:
        actions.flag_post(member(), QuestionFactory(), reason="boring")

    assert refused.value.field == "reason"


def test_a_long_note_is_refused():
    with pytest.raises(InvalidInput):
        actions.flag_post(member(), QuestionFactory(), reason="other", note="x" * 501)


def test_flags_are_rate_limited(settings):
    settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, "flag": (2, 3600)}
    flagger = member()
    actions.flag_post(flagger, QuestionFactory(), reason="spam")
    actions.flag_post(flagger, QuestionFactory(), reason="spam")

    with pytest.raises(RateLimited):
        actions.flag_post(flagger, QuestionFactory(), reason="spam")

    assert Flag.objects.count() == 2


# --- The weighted threshold --------------------------------------------------------------


def test_a_flag_weighs_one_growing_with_reputation_to_two():
    question = QuestionFactory()

    low = actions.flag_post(member(15), question, reason="spam")
    mid = actions.flag_post(member(500), question, reason="spam")
    high = actions.flag_post(member(5000), question, reason="spam")

    assert (low.weight, mid.weight, high.weight) == (1.015, 1.5, 2.0)


def test_spam_flags_weighing_the_threshold_hide_the_post(
    settings, django_capture_on_commit_callbacks
):
    settings.TANYA_FLAG_HIDE_WEIGHT = 3
    answer = AnswerFactory()
    Question.objects.filter(pk=answer.question_id).update(answer_count=1)

    with django_capture_on_commit_callbacks(execute=True):
        actions.flag_post(member(15), answer, reason="spam")
        actions.flag_post(member(15), answer, reason="abusive")
    after_two = _state(answer)
    with django_capture_on_commit_callbacks(execute=True):
        actions.flag_post(member(15), answer, reason="spam")

    assert after_two == Visibility.VISIBLE
    assert _state(answer) == Visibility.HIDDEN
    assert Question.objects.get(pk=answer.question_id).answer_count == 0
    hidden = Event.objects.get(verb="post.hidden")
    assert hidden.actor_id is None
    assert hidden.payload["reason"] == "flags"


def test_two_trusted_flaggers_weigh_enough(settings, django_capture_on_commit_callbacks):
    settings.TANYA_FLAG_HIDE_WEIGHT = 3
    question = QuestionFactory()

    with django_capture_on_commit_callbacks(execute=True):
        actions.flag_post(member(1000), question, reason="spam")
        actions.flag_post(member(1000), question, reason="spam")

    assert _state(question) == Visibility.HIDDEN


def test_other_reasons_never_hide_a_post(settings, django_capture_on_commit_callbacks):
    settings.TANYA_FLAG_HIDE_WEIGHT = 3
    question = QuestionFactory()

    with django_capture_on_commit_callbacks(execute=True):
        for reason in ["off_topic", "staff", "off_topic", "off_topic"]:
            actions.flag_post(member(5000), question, reason=reason, note="x")

    assert _state(question) == Visibility.VISIBLE


def test_a_moderators_spam_flag_is_enough(django_capture_on_commit_callbacks):
    comment = CommentFactory(question=QuestionFactory())

    with django_capture_on_commit_callbacks(execute=True):
        actions.flag_post(ModeratorFactory(), comment, reason="spam")

    assert Comment.objects.get(pk=comment.pk).visibility == Visibility.HIDDEN


def test_a_hidden_post_stays_in_the_queue_until_resolved(django_capture_on_commit_callbacks):
    question = QuestionFactory()

    with django_capture_on_commit_callbacks(execute=True):
        flag = actions.flag_post(ModeratorFactory(), question, reason="spam")

    assert Review.objects.get(pk=flag.review_id).is_open


# --- Held posts wait in the queue -------------------------------------------------------


def test_a_post_created_held_gets_an_open_held_review(django_capture_on_commit_callbacks):
    # The spam check creates posts held; then their own event puts them in the queue.
    with django_capture_on_commit_callbacks(execute=True):
        question = forum_actions.ask_question(
            member(1), title="A question held for review", body="x" * 40, category=CategoryFactory()
        )
        Question.objects.filter(pk=question.pk).update(visibility=Visibility.HELD)

    review = Review.objects.get(question=question)
    assert review.held and review.is_open


def test_a_post_held_by_a_moderator_gets_a_held_review(django_capture_on_commit_callbacks):
    answer = AnswerFactory()

    with django_capture_on_commit_callbacks(execute=True):
        forum_actions.hold_post(ModeratorFactory(), answer)

    assert Review.objects.get(answer=answer).held


def test_a_visible_post_gets_no_review_from_its_own_event(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        forum_actions.ask_question(
            member(1), title="An ordinary question", body="x" * 40, category=CategoryFactory()
        )

    assert not Review.objects.exists()


# --- Telling the author ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "action", "kind"),
    [
        (Visibility.VISIBLE, forum_actions.hide_post, Kind.POST_HIDDEN),
        (Visibility.VISIBLE, forum_actions.hold_post, Kind.POST_HELD),
        (Visibility.HIDDEN, forum_actions.unhide_post, Kind.POST_RESTORED),
        (Visibility.HELD, forum_actions.approve_post, Kind.POST_RESTORED),
    ],
)
def test_the_author_is_told_when_their_post_is_held_hidden_or_restored(
    start, action, kind, django_capture_on_commit_callbacks
):
    answer = AnswerFactory(visibility=start)

    with django_capture_on_commit_callbacks(execute=True):
        action(ModeratorFactory(), answer)

    notification = Notification.objects.get(recipient=answer.author)
    assert notification.kind == kind
    assert notification.url.endswith(f"#answer-{answer.pk}")


def test_the_author_is_told_when_flags_hide_their_post(django_capture_on_commit_callbacks):
    question = QuestionFactory()

    with django_capture_on_commit_callbacks(execute=True):
        actions.flag_post(ModeratorFactory(), question, reason="spam")

    assert Notification.objects.get(recipient=question.author).kind == Kind.POST_HIDDEN


# --- The site: the Flag button and the form -------------------------------------------------


def test_the_question_page_offers_flag_buttons_to_a_member_with_enough_reputation(client):
    answer = AnswerFactory()
    comment = CommentFactory(answer=answer)
    client.force_login(member(15))

    page = client.get(answer.question.get_absolute_url()).content.decode()

    assert f"/moderation/flag/question/{answer.question_id}/" in page
    assert f"/moderation/flag/answer/{answer.pk}/" in page
    assert f"/moderation/flag/comment/{comment.pk}/" in page


def test_no_flag_button_below_the_threshold_or_on_ones_own_post(client):
    question = QuestionFactory(author=member(500))
    low = member(1)

    client.force_login(low)
    as_low = client.get(question.get_absolute_url()).content.decode()
    client.force_login(question.author)
    as_author = client.get(question.get_absolute_url()).content.decode()

    assert "/moderation/flag/" not in as_low
    assert "/moderation/flag/" not in as_author


def test_the_flag_page_shows_the_reasons_as_radio_buttons(client):
    question = QuestionFactory()
    client.force_login(member())

    response = client.get(f"/moderation/flag/question/{question.pk}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('type="radio"') == 5
    assert "<legend" in page


def test_flagging_through_the_form_without_javascript_redirects_to_the_post(client):
    answer = AnswerFactory()
    client.force_login(member())

    response = client.post(f"/moderation/flag/answer/{answer.pk}/", {"reason": "spam"})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#answer-{answer.pk}")
    assert Flag.objects.get().reason == "spam"


def test_flagging_through_htmx_answers_with_the_thank_you_fragment(client):
    comment = CommentFactory(question=QuestionFactory())
    client.force_login(member())

    response = client.post(
        f"/moderation/flag/comment/{comment.pk}/", {"reason": "abusive"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_other_without_a_note_is_a_form_error(client):
    question = QuestionFactory()
    client.force_login(member())

    response = client.post(f"/moderation/flag/question/{question.pk}/", {"reason": "other"})

    assert response.status_code == 400
    assert "Please say what is wrong" in response.content.decode()
    assert not Flag.objects.exists()


def test_flagging_twice_on_the_site_is_a_form_error(client):
    question, flagger = QuestionFactory(), member()
    actions.flag_post(flagger, question, reason="spam")
    client.force_login(flagger)

    response = client.post(f"/moderation/flag/question/{question.pk}/", {"reason": "spam"})

    assert response.status_code == 400
    assert "already flagged" in response.content.decode()


def test_the_flag_page_is_refused_below_the_threshold(client):
    client.force_login(member(1))

    response = client.get(f"/moderation/flag/question/{QuestionFactory().pk}/")

    assert response.status_code == 403


def test_the_flag_page_of_a_post_one_cannot_see_is_not_found(client):
    client.force_login(member())

    response = client.get(f"/moderation/flag/question/{QuestionFactory(hidden=True).pk}/")

    assert response.status_code == 404


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(f"/moderation/flag/question/{QuestionFactory().pk}/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_flag_form_speaks_indonesian(client):
    question = QuestionFactory()
    client.force_login(member())

    page = client.get(
        f"/moderation/flag/question/{question.pk}/", HTTP_ACCEPT_LANGUAGE="id"
    ).content.decode()

    assert 'lang="id"' in page


# --- The API ------------------------------------------------------------------------------


def _api(client, path, body):
    return client.post(path, body, content_type="application/json")


@pytest.mark.parametrize("kind", ["question", "answer", "comment"])
def test_the_api_flags_a_post(client, kind):
    post = _post(kind)
    client.force_login(member())

    response = _api(client, f"/api/v1/{kind}s/{post.pk}/flags/", {"reason": "spam"})

    assert response.status_code == 201
    assert response.json()["reason"] == "spam"
    assert Flag.objects.get().review.post_id == post.pk


def test_the_api_refuses_a_member_below_the_threshold_with_403(client):
    client.force_login(member(1))

    response = _api(client, f"/api/v1/questions/{QuestionFactory().pk}/flags/", {"reason": "spam"})

    assert response.status_code == 403
    assert response.json()["code"] == "not_enough_reputation"


def test_the_api_refuses_flagging_ones_own_post_with_403(client):
    question = QuestionFactory(author=member())
    client.force_login(question.author)

    response = _api(client, f"/api/v1/questions/{question.pk}/flags/", {"reason": "spam"})

    assert response.status_code == 403


def test_the_api_answers_409_when_already_flagged(client):
    question, flagger = QuestionFactory(), member()
    actions.flag_post(flagger, question, reason="spam")
    client.force_login(flagger)

    response = _api(client, f"/api/v1/questions/{question.pk}/flags/", {"reason": "spam"})

    assert response.status_code == 409
    assert response.json()["code"] == "already_flagged"


def test_the_api_answers_404_for_a_post_one_cannot_see(client):
    client.force_login(member())
    hidden = AnswerFactory(hidden=True)

    missing = _api(client, "/api/v1/answers/999999/flags/", {"reason": "spam"})
    unseen = _api(client, f"/api/v1/answers/{hidden.pk}/flags/", {"reason": "spam"})

    assert (missing.status_code, unseen.status_code) == (404, 404)


def test_the_api_refuses_other_without_a_note(client):
    client.force_login(member())

    response = _api(client, f"/api/v1/questions/{QuestionFactory().pk}/flags/", {"reason": "other"})

    assert response.status_code == 422
    assert response.json()["field"] == "note"


def test_the_api_refuses_a_body_that_is_not_json_with_400(client):
    client.force_login(member())

    response = client.post(
        f"/api/v1/questions/{QuestionFactory().pk}/flags/", "{", content_type="application/json"
    )

    assert response.status_code == 400


def test_the_api_rate_limits_flags_with_retry_after(client, settings):
    settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, "flag": (1, 3600)}
    client.force_login(member())
    _api(client, f"/api/v1/questions/{QuestionFactory().pk}/flags/", {"reason": "spam"})

    response = _api(client, f"/api/v1/questions/{QuestionFactory().pk}/flags/", {"reason": "spam"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1


def test_the_api_refuses_a_visitor(client):
    response = _api(client, f"/api/v1/questions/{QuestionFactory().pk}/flags/", {"reason": "spam"})

    assert response.status_code == 401
