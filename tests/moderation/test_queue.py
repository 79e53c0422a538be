"""The review queue: resolving a review (every outcome, by every role), what the flaggers
are told, and the queue's pages on the site and in the Wagtail admin."""

import pytest

from core.errors import InvalidInput, NotAllowed
from core.models import Event
from forum.models import Answer, Question, Visibility
from moderation import actions
from moderation.models import Flag, Outcome, Review
from notifications.models import Kind, Notification
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _flagged(post=None, *, reason="spam", flaggers=1):
    post = post or QuestionFactory()
    flags = [
        actions.flag_post(UserFactory(reputation=15), post, reason=reason) for _ in range(flaggers)
    ]
    return post, flags[0].review


def _held(kind="question"):
    post = {
        "question": lambda: QuestionFactory(held=True),
        "answer": lambda: AnswerFactory(held=True),
        "comment": lambda: CommentFactory(question=QuestionFactory(), held=True),
    }[kind]()
    return post, actions.queue_held_post(post)


def _state(post) -> str:
    return type(post).objects.get(pk=post.pk).visibility


# --- Resolving ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "after"),
    [
        (Outcome.DISMISSED, Visibility.VISIBLE),
        (Outcome.HIDDEN, Visibility.HIDDEN),
        (Outcome.DELETED, Visibility.DELETED),
    ],
)
@pytest.mark.parametrize("role", ["moderator", "staff"])
def test_a_moderator_resolves_a_review_and_it_is_recorded(outcome, after, role):
    post, review = _flagged(flaggers=2)
    actor = ModeratorFactory() if role == "moderator" else StaffFactory()

    actions.resolve_flags(actor, review, outcome, reason="checked")

    review.refresh_from_db()
    assert (review.closed_by_id, review.outcome) == (actor.pk, outcome)
    assert set(Flag.objects.values_list("outcome", flat=True)) == {outcome}
    assert _state(post) == after
    event = Event.objects.get(verb="flag.resolved")
    assert event.actor_id == actor.pk
    assert event.payload["before"] == {"review": "open", "visibility": "visible"}
    assert event.payload["after"] == {"review": outcome, "visibility": after}
    assert len(event.payload["flaggers"]) == 2


@pytest.mark.parametrize("who", ["author", "member", "trusted member"])
def test_members_cannot_resolve_a_review(who):
    post, review = _flagged()
    actor = {
        "author": post.author,
        "member": UserFactory(),
        "trusted member": UserFactory(trusted=True),
    }[who]

    with pytest.raises(NotAllowed):
        actions.resolve_flags(actor, review, Outcome.DELETED)

    assert Review.objects.get(pk=review.pk).is_open
    assert _state(post) == Visibility.VISIBLE
    assert not Event.objects.filter(verb="flag.resolved").exists()


def test_dismissing_shows_again_a_post_its_flags_hid(django_capture_on_commit_callbacks):
    question = QuestionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        flag = actions.flag_post(ModeratorFactory(), question, reason="spam")
    hidden = _state(question)

    actions.resolve_flags(ModeratorFactory(), flag.review, Outcome.DISMISSED)

    assert hidden == Visibility.HIDDEN
    assert _state(question) == Visibility.VISIBLE
    assert Event.objects.filter(verb="post.unhidden").count() == 1


def test_deleting_a_post_its_flags_hid_deletes_it(django_capture_on_commit_callbacks):
    answer = AnswerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        flag = actions.flag_post(ModeratorFactory(), answer, reason="spam")

    actions.resolve_flags(ModeratorFactory(), flag.review, Outcome.DELETED)

    assert _state(answer) == Visibility.DELETED


def test_staff_suspend_the_author_and_the_post_is_hidden():
    post, review = _flagged()

    actions.resolve_flags(StaffFactory(), review, Outcome.SUSPENDED, reason="spammer")

    post.author.refresh_from_db()
    assert post.author.is_suspended
    assert _state(post) == Visibility.HIDDEN
    assert Event.objects.get(verb="member.suspended").payload["reason"] == "spammer"


def test_a_moderator_suspends_a_member_with_a_reason_they_are_shown():
    post, review = _flagged()

    actions.resolve_flags(ModeratorFactory(), review, Outcome.SUSPENDED)

    post.author.refresh_from_db()
    assert post.author.is_suspended and post.author.suspension_reason


def test_a_moderator_cannot_suspend_another_moderator():
    post, review = _flagged(QuestionFactory(author=ModeratorFactory()))

    with pytest.raises(NotAllowed):
        actions.resolve_flags(ModeratorFactory(), review, Outcome.SUSPENDED)

    post.author.refresh_from_db()
    assert not post.author.is_suspended


@pytest.mark.parametrize("kind", ["question", "answer", "comment"])
def test_approving_a_held_post_makes_it_visible(kind):
    post, review = _held(kind)

    actions.resolve_flags(ModeratorFactory(), review, Outcome.APPROVED)

    assert _state(post) == Visibility.VISIBLE
    assert Event.objects.filter(verb="post.approved").count() == 1
    assert not Review.objects.get(pk=review.pk).is_open


def test_approving_a_held_answer_counts_it():
    answer, review = _held("answer")

    actions.resolve_flags(ModeratorFactory(), review, Outcome.APPROVED)

    assert Question.objects.get(pk=answer.question_id).answer_count == 1


def test_rejecting_a_held_post_deletes_it():
    post, review = _held("answer")

    actions.resolve_flags(ModeratorFactory(), review, Outcome.REJECTED)

    assert Answer.objects.get(pk=post.pk).visibility == Visibility.DELETED


def test_a_visible_post_cannot_be_approved_or_rejected():
    _post, review = _flagged()

    with pytest.raises(InvalidInput):
        actions.resolve_flags(ModeratorFactory(), review, Outcome.APPROVED)


def test_a_held_post_cannot_be_dismissed():
    _post, review = _held()

    with pytest.raises(InvalidInput):
        actions.resolve_flags(ModeratorFactory(), review, Outcome.DISMISSED)


def test_an_unknown_outcome_is_refused():
    _post, review = _flagged()

    with pytest.raises(InvalidInput):
        actions.resolve_flags(ModeratorFactory(), review, "banished")


def test_resolving_a_closed_review_again_is_a_no_op():
    _post, review = _flagged()
    moderator = ModeratorFactory()
    actions.resolve_flags(moderator, review, Outcome.DISMISSED)

    actions.resolve_flags(moderator, review, Outcome.DELETED)

    assert Event.objects.filter(verb="flag.resolved").count() == 1
    assert Review.objects.get(pk=review.pk).outcome == Outcome.DISMISSED


# --- The flagger is told --------------------------------------------------------------------


def test_every_flagger_is_told_their_flag_was_resolved(django_capture_on_commit_callbacks):
    post, review = _flagged(flaggers=2, reason="off_topic")
    flaggers = set(Flag.objects.values_list("flagger_id", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        actions.resolve_flags(ModeratorFactory(), review, Outcome.DISMISSED)

    told = Notification.objects.filter(kind=Kind.FLAG_RESOLVED)
    assert set(told.values_list("recipient_id", flat=True)) == flaggers
    assert all(n.url == post.get_absolute_url() for n in told)


def test_a_flagger_who_can_no_longer_see_the_post_is_told_without_a_link_to_it(
    django_capture_on_commit_callbacks,
):
    _post, review = _flagged()

    with django_capture_on_commit_callbacks(execute=True):
        actions.resolve_flags(ModeratorFactory(), review, Outcome.DELETED)

    notification = Notification.objects.get(kind=Kind.FLAG_RESOLVED)
    assert notification.url == "/notifications/"


# --- The queue's pages -----------------------------------------------------------------------

QUEUE = "/moderation/queue/"
ADMIN_QUEUE = "/admin/moderation/queue/"


@pytest.mark.parametrize("role", ["moderator", "staff"])
def test_moderators_and_staff_see_the_queue_oldest_first(client, role):
    first, _r1 = _flagged(QuestionFactory(title="The first flagged question"))
    second, _r2 = _flagged(QuestionFactory(title="The second flagged question"))
    client.force_login(ModeratorFactory() if role == "moderator" else StaffFactory())

    page = client.get(QUEUE).content.decode()

    assert page.index(first.title) < page.index(second.title)


@pytest.mark.parametrize("who", ["member", "trusted member"])
def test_members_cannot_see_the_queue(client, who):
    client.force_login(UserFactory(trusted=(who == "trusted member")))

    assert client.get(QUEUE).status_code == 403
    assert client.get(ADMIN_QUEUE).status_code in (302, 403)


def test_a_visitor_is_sent_to_log_in_from_the_queue(client):
    assert client.get(QUEUE).status_code == 302


def test_the_queue_shows_the_authors_history(client):
    author = UserFactory(reputation=42)
    _earlier, old_review = _flagged(QuestionFactory(author=author), flaggers=2)
    actions.resolve_flags(ModeratorFactory(), old_review, Outcome.DISMISSED)
    _flagged(AnswerFactory(author=author))
    client.force_login(ModeratorFactory())

    response = client.get(QUEUE)

    review = response.context["reviews"][0]
    assert review.earlier_flags == 2
    page = response.content.decode()
    assert "Member since" in page
    assert "<dd>42</dd>" in page


def test_the_queue_filters_by_reason_held_and_category(client):
    spam, _r = _flagged(QuestionFactory(title="A spammy question"), reason="spam")
    rude, _r = _flagged(QuestionFactory(title="A rude question"), reason="abusive")
    held, _r = _held()
    client.force_login(ModeratorFactory())

    by_spam = client.get(QUEUE, {"reason": "spam"}).context["reviews"]
    by_held = client.get(QUEUE, {"reason": "held"}).context["reviews"]
    by_category = client.get(QUEUE, {"category": rude.category_id}).context["reviews"]

    assert [r.question_id for r in by_spam] == [spam.pk]
    assert [r.question_id for r in by_held] == [held.pk]
    assert [r.question_id for r in by_category] == [rude.pk]


def test_the_queue_pages_with_a_cursor(client, settings):
    settings.TANYA_PAGE_SIZE = 2
    questions = [_flagged()[0] for _ in range(3)]
    client.force_login(ModeratorFactory())

    first = client.get(QUEUE).context
    second = client.get(QUEUE, {"cursor": first["page"].next_cursor}).context

    assert [r.question_id for r in first["reviews"]] == [q.pk for q in questions[:2]]
    assert [r.question_id for r in second["reviews"]] == [questions[2].pk]


@pytest.mark.parametrize("size", [2, 10])
def test_the_queue_costs_the_same_at_any_size(client, size, django_assert_num_queries):
    for _ in range(size):
        _flagged(flaggers=2)
    _flagged(AnswerFactory())
    _flagged(CommentFactory(question=QuestionFactory()))
    _held("comment")
    moderator = ModeratorFactory()
    client.force_login(moderator)
    client.get(QUEUE)  # warm the permission and content type caches

    # session, user, permissions, groups, the moderator's category scopes, categories,
    # reviews, flags, earlier flags, and the base page's site, theme settings and
    # notification bell
    with django_assert_num_queries(12):
        response = client.get(QUEUE)

    assert len(response.context["reviews"]) == size + 3


def test_one_click_resolves_without_javascript_and_returns_to_the_queue(client):
    post, review = _flagged()
    client.force_login(ModeratorFactory())

    response = client.post(
        f"/moderation/reviews/{review.pk}/resolve/", {"outcome": "hidden", "next": QUEUE}
    )

    assert response.status_code == 302
    assert response["Location"] == QUEUE
    assert _state(post) == Visibility.HIDDEN


def test_one_click_with_htmx_answers_with_the_resolved_fragment(client):
    _post, review = _flagged()
    client.force_login(ModeratorFactory())

    response = client.post(
        f"/moderation/reviews/{review.pk}/resolve/",
        {"outcome": "dismissed"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "Review closed" in response.content.decode()


def test_a_member_cannot_resolve_on_the_site(client):
    _post, review = _flagged()
    client.force_login(UserFactory(trusted=True))

    response = client.post(f"/moderation/reviews/{review.pk}/resolve/", {"outcome": "deleted"})

    assert response.status_code == 403
    assert Review.objects.get(pk=review.pk).is_open


def test_a_refused_outcome_is_flashed_back_on_the_queue(client):
    _post, review = _flagged()
    client.force_login(ModeratorFactory())

    response = client.post(
        f"/moderation/reviews/{review.pk}/resolve/", {"outcome": "nonsense", "next": QUEUE}
    )

    assert response.status_code == 302
    assert Review.objects.get(pk=review.pk).is_open


def test_the_wagtail_admin_has_the_queue_in_its_menu_and_resolves_through_its_door(client):
    from core.models import Door

    _post, review = _flagged()
    client.force_login(StaffFactory(is_superuser=True))

    menu = client.get("/admin/").content.decode()
    page = client.get(ADMIN_QUEUE)
    client.post(
        f"/admin/moderation/reviews/{review.pk}/resolve/",
        {"outcome": "dismissed", "next": ADMIN_QUEUE},
    )

    assert ADMIN_QUEUE in menu
    assert page.status_code == 200
    assert Event.objects.get(verb="flag.resolved").door == Door.WAGTAIL_ADMIN


# --- The demo -----------------------------------------------------------------------------


def test_the_demo_gives_a_moderator_a_queue_to_clear_and_loading_again_adds_none(client):
    from django.core.management import call_command

    call_command("load_demo", stdout=__import__("io").StringIO())
    flags, reviews = Flag.objects.count(), Review.objects.count()
    call_command("load_demo", stdout=__import__("io").StringIO())

    assert flags >= 1
    assert Review.objects.filter(held=True, closed_at=None).count() == 1
    assert (Flag.objects.count(), Review.objects.count()) == (flags, reviews)
    from accounts.models import User

    client.force_login(User.objects.get(username="budi"))
    queue = client.get(QUEUE)
    for review in queue.context["reviews"]:
        outcome = Outcome.APPROVED if review.post.is_held else Outcome.DISMISSED
        client.post(f"/moderation/reviews/{review.pk}/resolve/", {"outcome": outcome})
    assert not Review.objects.filter(closed_at=None).exists()
