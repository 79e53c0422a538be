"""The moderator actions (forum/actions/moderation.py): who may, what each records, and
what closing, pinning, moving and merging do to the forum (docs/moderation-actions.md)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from core.models import Event
from forum import actions, permissions, queries
from forum.errors import DomainError, NotAllowed, NotSignedIn
from forum.models import (
    Answer,
    CategoryModerator,
    Comment,
    Question,
    QuestionState,
    ReputationEntry,
    Revision,
    Visibility,
    Vote,
)
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)
from tests.forum import ledger

pytestmark = pytest.mark.django_db

BODY = "A body long enough to be a question body, with some words in it."


@pytest.fixture
def world():
    """A question in a category, a second category to move to, an original to merge
    into, and one of each role."""
    home, target, elsewhere = CategoryFactory(), CategoryFactory(), CategoryFactory()
    question = QuestionFactory(category=home)
    original = QuestionFactory(category=home)
    scoped_in = ModeratorFactory()
    CategoryModerator.objects.create(user=scoped_in, category=home)
    CategoryModerator.objects.create(user=scoped_in, category=target)
    scoped_out = ModeratorFactory()
    CategoryModerator.objects.create(user=scoped_out, category=elsewhere)
    return {
        "question": question,
        "original": original,
        "target": target,
        "roles": {
            "anonymous": AnonymousUser(),
            "member": UserFactory(trusted=True),
            "asker": question.author,
            "moderator": ModeratorFactory(),
            "scoped moderator in scope": scoped_in,
            "scoped moderator out of scope": scoped_out,
            "staff": StaffFactory(),
        },
    }


def _closed(question):
    Question.objects.filter(pk=question.pk).update(state="closed", close_reason="off_topic")


def _locked(question):
    Question.objects.filter(pk=question.pk).update(state="locked")


def _pinned(question):
    Question.objects.filter(pk=question.pk).update(pinned_at=timezone.now())


def _nothing(question):
    pass


#: name -> (arrange the question, act(actor, world), the verb recorded)
ACTIONS = {
    "close": (
        _nothing,
        lambda actor, w: actions.close_question(actor, w["question"], reason="off_topic"),
        "question.closed",
    ),
    "close as duplicate": (
        _nothing,
        lambda actor, w: actions.close_question(
            actor, w["question"], reason="duplicate", duplicate_of=w["original"]
        ),
        "question.closed",
    ),
    "reopen": (
        _closed,
        lambda actor, w: actions.reopen_question(actor, w["question"]),
        "question.reopened",
    ),
    "lock": (
        _nothing,
        lambda actor, w: actions.lock_question(actor, w["question"]),
        "question.locked",
    ),
    "unlock": (
        _locked,
        lambda actor, w: actions.unlock_question(actor, w["question"]),
        "question.unlocked",
    ),
    "pin": (
        _nothing,
        lambda actor, w: actions.pin_question(actor, w["question"]),
        "question.pinned",
    ),
    "unpin": (
        _pinned,
        lambda actor, w: actions.unpin_question(actor, w["question"]),
        "question.unpinned",
    ),
    "move": (
        _nothing,
        lambda actor, w: actions.move_question(actor, w["question"], w["target"]),
        "question.moved",
    ),
    "merge": (
        _nothing,
        lambda actor, w: actions.merge_question(actor, w["question"], w["original"]),
        "question.merged",
    ),
    "edit with a reason": (
        _nothing,
        lambda actor, w: actions.moderator_edit_question(
            actor,
            w["question"],
            reason="removed a phone number",
            title="A tidier title for this question",
            body=BODY,
            tags=[],
        ),
        "question.edited",
    ),
}
ALLOWED = {"moderator", "scoped moderator in scope", "staff"}
ROLES = [
    "anonymous",
    "member",
    "asker",
    "moderator",
    "scoped moderator in scope",
    "scoped moderator out of scope",
    "staff",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ACTIONS)
def test_each_moderator_action_is_for_moderators_of_the_category_and_staff(world, name, role):
    arrange, act, verb = ACTIONS[name]
    arrange(world["question"])
    world["question"].refresh_from_db()
    actor = world["roles"][role]

    if role in ALLOWED:
        act(actor, world)
        event = Event.objects.get()
        assert (event.verb, event.actor_id) == (verb, actor.pk)
        assert "before" in event.payload and "after" in event.payload
        assert event.payload["before"] != event.payload["after"]
    else:
        expected = NotSignedIn if role == "anonymous" else NotAllowed
        with pytest.raises(expected) as refusal:
            act(actor, world)
        assert refusal.value.status == (401 if role == "anonymous" else 403)
        assert not Event.objects.exists()


@pytest.mark.parametrize("name", ACTIONS)
def test_repeating_a_moderator_action_records_nothing_more(world, name):
    arrange, act, _verb = ACTIONS[name]
    arrange(world["question"])
    world["question"].refresh_from_db()
    moderator = world["roles"]["moderator"]
    act(moderator, world)
    world["question"].refresh_from_db()
    world["original"].refresh_from_db()

    act(moderator, world)

    assert Event.objects.count() == 1


def test_a_suspended_moderator_moderates_nothing(world):
    moderator = world["roles"]["moderator"]
    moderator.suspended_at = timezone.now()
    moderator.suspension_reason = "a break"
    moderator.save()

    with pytest.raises(DomainError) as refusal:
        actions.lock_question(moderator, world["question"])

    assert refusal.value.code == "member_suspended"
    assert not permissions.moderates(moderator, world["question"])


# --- What each records --------------------------------------------------------------------


def test_closing_as_a_duplicate_records_the_reason_target_and_note(world):
    question, original = world["question"], world["original"]

    actions.close_question(
        world["roles"]["staff"], question, reason="duplicate", duplicate_of=original, note="same"
    )

    question.refresh_from_db()
    assert (question.state, question.close_reason, question.duplicate_of_id) == (
        "closed",
        "duplicate",
        original.pk,
    )
    payload = Event.objects.get().payload
    assert payload["before"] == {"state": "open", "close_reason": "", "duplicate_of": None}
    assert payload["after"] == {
        "state": "closed",
        "close_reason": "duplicate",
        "duplicate_of": original.pk,
    }
    assert payload["reason"] == "same"


def test_a_duplicate_needs_another_visible_question(world):
    question, staff = world["question"], world["roles"]["staff"]

    for target in (None, question, QuestionFactory(deleted=True)):
        with pytest.raises(actions.InvalidInput) as refusal:
            actions.close_question(staff, question, reason="duplicate", duplicate_of=target)
        assert refusal.value.field == "duplicate_of"
    with pytest.raises(actions.InvalidInput):
        actions.close_question(staff, question, reason="because")
    assert not Event.objects.exists()


def test_reopening_clears_the_reason_and_target(world):
    question, staff = world["question"], world["roles"]["staff"]
    actions.close_question(staff, question, reason="duplicate", duplicate_of=world["original"])

    actions.reopen_question(staff, question, note="not the same after all")

    question.refresh_from_db()
    assert (question.state, question.close_reason, question.duplicate_of_id) == ("open", "", None)
    assert Event.objects.last().payload["after"]["close_reason"] == ""


def test_unlocking_a_question_closed_before_goes_back_to_closed(world):
    question, staff = world["question"], world["roles"]["staff"]
    actions.close_question(staff, question, reason="needs_detail")
    actions.lock_question(staff, question)

    actions.unlock_question(staff, question)

    question.refresh_from_db()
    assert (question.state, question.close_reason) == ("closed", "needs_detail")
    assert Event.objects.last().verb == "question.unlocked"


def test_the_older_state_change_records_the_same_verbs(world):
    question, staff = world["question"], world["roles"]["staff"]

    actions.set_question_state(staff, question, QuestionState.LOCKED)
    actions.set_question_state(staff, question, QuestionState.OPEN)

    assert list(Event.objects.order_by("pk").values_list("verb", flat=True)) == [
        "question.locked",
        "question.unlocked",
    ]


def test_moving_records_both_categories_and_drops_the_pin(world):
    question, staff, target = world["question"], world["roles"]["staff"], world["target"]
    actions.pin_question(staff, question)

    actions.move_question(staff, question, target)

    question.refresh_from_db()
    assert (question.category_id, question.pinned_at) == (target.pk, None)
    payload = Event.objects.last().payload
    assert payload["before"]["category"] != payload["after"]["category"] == target.pk


def test_a_scoped_moderator_cannot_move_a_question_out_of_their_categories(world):
    scoped = ModeratorFactory()
    CategoryModerator.objects.create(user=scoped, category=world["question"].category)

    with pytest.raises(NotAllowed):
        actions.move_question(scoped, world["question"], world["target"])

    assert Question.objects.get(pk=world["question"].pk).category_id != world["target"].pk


def test_a_moderator_edit_needs_a_reason_and_the_history_shows_it(world, client):
    question, moderator = world["question"], world["roles"]["moderator"]
    with pytest.raises(actions.InvalidInput):
        actions.moderator_edit_question(
            moderator, question, reason=" ", title=question.title, body=BODY, tags=[]
        )

    actions.moderator_edit_question(
        moderator,
        question,
        reason="removed a phone number",
        title="A tidier title for this question",
        body=BODY,
        tags=[],
    )

    assert Revision.objects.get(question=question).summary == "removed a phone number"
    assert Event.objects.get().payload["reason"] == "removed a phone number"
    page = client.get(f"/questions/{question.pk}/revisions/")
    assert "removed a phone number" in page.content.decode()


def test_a_moderator_edit_of_an_answer_keeps_its_reason_on_the_revision():
    answer = AnswerFactory()
    moderator = ModeratorFactory()

    actions.moderator_edit_answer(moderator, answer, reason="fixed a link", body=BODY)

    assert Revision.objects.get(answer=answer).summary == "fixed a link"
    with pytest.raises(NotAllowed):
        actions.moderator_edit_answer(UserFactory(trusted=True), answer, reason="x", body=BODY)


# --- Scopes ---------------------------------------------------------------------------------


def test_moderates_is_everywhere_unless_scoped():
    home, other = CategoryFactory(), CategoryFactory()
    question = QuestionFactory(category=home)
    answer = AnswerFactory(question=question)
    comment = CommentFactory(answer=answer)
    everywhere, scoped = ModeratorFactory(), ModeratorFactory()
    CategoryModerator.objects.create(user=scoped, category=other)
    staff = StaffFactory()
    CategoryModerator.objects.create(user=staff, category=other)  # staff are never scoped

    for target in (question, answer, comment, home):
        assert permissions.moderates(everywhere, target)
        assert permissions.moderates(staff, target)
        assert not permissions.moderates(scoped, target)
        assert not permissions.moderates(UserFactory(), target)
    assert permissions.moderates(scoped, other)


def test_a_scoped_moderator_deletes_and_restores_only_in_their_categories():
    scoped = ModeratorFactory()
    inside, outside = QuestionFactory(), QuestionFactory()
    CategoryModerator.objects.create(user=scoped, category=inside.category)

    actions.delete_question(scoped, inside)
    actions.restore_question(scoped, inside)
    with pytest.raises(NotAllowed):
        actions.delete_question(scoped, outside)


# --- Pinning --------------------------------------------------------------------------------


def test_pinned_questions_head_their_category_page_and_the_list_pages_on(client, settings):
    settings.TANYA_PAGE_SIZE = 2
    category = CategoryFactory()
    staff = StaffFactory()
    questions = [QuestionFactory(category=category, title=f"Question number {n}") for n in range(5)]
    actions.pin_question(staff, questions[0])
    actions.pin_question(staff, questions[1])

    pinned = queries.pinned_questions(category)
    first = queries.question_list(category=category, sort="newest", size=2, without_pinned=True)
    second = queries.question_list(
        category=category, sort="newest", size=2, without_pinned=True, cursor=first.next_cursor
    )

    assert [q.pk for q in pinned] == [questions[1].pk, questions[0].pk]
    listed = [q.pk for q in first.items + second.items]
    assert listed == [questions[4].pk, questions[3].pk, questions[2].pk]
    assert second.next_cursor is None
    page = client.get(category.url).content.decode()
    assert page.index("Question number 1") < page.index("Question number 4")
    assert "Pinned by moderators" in page
    later = client.get(f"{category.url}?sort=newest&cursor={first.next_cursor}").content.decode()
    assert "Pinned by moderators" not in later


def test_the_api_lists_a_categorys_pinned_questions_too(client):
    category = CategoryFactory()
    question = QuestionFactory(category=category)
    actions.pin_question(StaffFactory(), question)

    items = client.get(f"/api/v1/questions/?category={category.pk}").json()["items"]

    assert [item["id"] for item in items] == [question.pk]


def test_a_hidden_question_cannot_be_pinned():
    with pytest.raises(DomainError):
        actions.pin_question(StaffFactory(), QuestionFactory(hidden=True))


# --- Merging --------------------------------------------------------------------------------


def _reputations():
    from accounts.models import User

    return dict(User.objects.values_list("pk", "reputation"))


@pytest.fixture
def duplicate_thread():
    """A duplicate with votes on itself and on its two answers, one accepted, comments
    under both; an original with one answer of its own."""
    category = CategoryFactory()
    original = QuestionFactory(category=category, title="How do I reset the router?")
    AnswerFactory(question=original)
    duplicate = QuestionFactory(category=category, title="Router reset, how?")
    first, second = AnswerFactory(question=duplicate), AnswerFactory(question=duplicate)
    voters = [ledger.member(500) for _ in range(3)]
    for voter in voters:
        actions.cast_vote(voter, first, 1)
        actions.cast_vote(voter, duplicate, 1)
    actions.cast_vote(voters[0], second, -1)
    actions.accept_answer(duplicate.author, duplicate, first)
    CommentFactory(question=duplicate)
    CommentFactory(answer=second)
    Event.objects.all().delete()
    return {"original": original, "duplicate": duplicate, "answers": [first, second]}


def test_merging_moves_answers_and_comments_and_keeps_votes_and_reputation(duplicate_thread):
    original, duplicate = duplicate_thread["original"], duplicate_thread["duplicate"]
    first, second = duplicate_thread["answers"]
    moderator = ModeratorFactory()
    reputations, votes = _reputations(), set(Vote.objects.values_list("pk", "value"))
    entries = set(ReputationEntry.objects.values_list("pk", "amount", "user_id"))

    actions.merge_question(moderator, duplicate, original, note="same router")

    original.refresh_from_db()
    duplicate.refresh_from_db()
    assert set(Answer.objects.filter(question=original)) >= {first, second}
    assert original.answer_count == 3
    assert Comment.objects.filter(question=duplicate).count() == 0
    assert Comment.objects.filter(question=original).count() == 1
    assert set(Vote.objects.values_list("pk", "value")) == votes
    assert _reputations() == reputations
    assert set(ReputationEntry.objects.values_list("pk", "amount", "user_id")) == entries
    call_command("reputation_recompute", "--check")  # raises when anyone drifted
    # the acceptance moves along, since the original had none
    assert original.accepted_answer_id == first.pk
    assert duplicate.accepted_answer_id is None
    assert duplicate.answer_count == 0
    assert (duplicate.merged_into_id, duplicate.duplicate_of_id) == (original.pk, original.pk)
    assert duplicate.visibility == Visibility.DELETED
    event = Event.objects.get()
    assert (event.verb, event.subject_id, event.question_id) == (
        "question.merged",
        duplicate.pk,
        original.pk,
    )
    assert event.payload["after"]["merged_into"] == original.pk
    assert event.payload["before"]["merged_into"] is None
    assert sorted(event.payload["answers"]) == sorted([first.pk, second.pk])


def test_after_a_merge_unaccepting_on_the_original_reverses_the_moved_bonus(duplicate_thread):
    original, duplicate = duplicate_thread["original"], duplicate_thread["duplicate"]
    first = duplicate_thread["answers"][0]
    before = first.author.__class__.objects.get(pk=first.author_id).reputation
    actions.merge_question(StaffFactory(), duplicate, original)
    original.refresh_from_db()

    actions.unaccept_answer(StaffFactory(), original)

    after = first.author.__class__.objects.get(pk=first.author_id).reputation
    assert after == before - 15
    call_command("reputation_recompute", "--check")


def test_merging_into_a_solved_original_withdraws_the_duplicates_acceptance(duplicate_thread):
    original, duplicate = duplicate_thread["original"], duplicate_thread["duplicate"]
    own = Answer.objects.get(question=original)
    actions.accept_answer(original.author, original, own)

    actions.merge_question(StaffFactory(), duplicate, original)

    original.refresh_from_db()
    assert original.accepted_answer_id == own.pk
    assert Question.objects.get(pk=duplicate.pk).accepted_answer_id is None
    call_command("reputation_recompute", "--check")


def test_the_merged_questions_url_redirects_permanently_to_the_original(duplicate_thread, client):
    original, duplicate = duplicate_thread["original"], duplicate_thread["duplicate"]
    old_url = duplicate.get_absolute_url()
    actions.merge_question(StaffFactory(), duplicate, original)

    for viewer in (None, UserFactory(), ModeratorFactory()):
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        response = client.get(old_url)
        assert response.status_code == 301
        assert response["Location"] == original.get_absolute_url()
        short = client.get(f"/questions/{duplicate.pk}/")
        assert (short.status_code, short["Location"]) == (301, original.get_absolute_url())


def test_a_merged_question_cannot_be_restored_or_merged_again(duplicate_thread):
    original, duplicate = duplicate_thread["original"], duplicate_thread["duplicate"]
    staff = StaffFactory()
    actions.merge_question(staff, duplicate, original)

    with pytest.raises(NotAllowed):
        actions.restore_question(staff, Question.objects.get(pk=duplicate.pk))
    with pytest.raises(DomainError) as refusal:
        actions.merge_question(staff, Question.objects.get(pk=duplicate.pk), QuestionFactory())
    assert refusal.value.status == 409
    with pytest.raises(actions.InvalidInput):
        actions.merge_question(staff, original, original)


# --- The question page --------------------------------------------------------------------


def test_a_duplicates_page_links_to_its_original(world, client):
    question, original = world["question"], world["original"]
    actions.close_question(
        world["roles"]["staff"], question, reason="duplicate", duplicate_of=original
    )

    page = client.get(question.get_absolute_url()).content.decode()

    assert "closed as a duplicate of" in page
    assert f'href="{original.get_absolute_url()}"' in page


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("off_topic", "off-topic"),
        ("resolved_elsewhere", "resolved elsewhere"),
        ("needs_detail", "more detail"),
    ],
)
def test_each_close_reason_is_shown_on_the_page(world, client, reason, words):
    actions.close_question(world["roles"]["staff"], world["question"], reason=reason)

    assert words in client.get(world["question"].get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_moderator_tools_show_exactly_for_moderators_of_the_category(world, client, role):
    actor = world["roles"][role]
    if role != "anonymous":
        client.force_login(actor)

    page = client.get(world["question"].get_absolute_url()).content.decode()

    assert ('id="moderator-tools"' in page) == (role in ALLOWED)


# --- The web doors: the role matrix is tests/moderation/test_role_matrix.py ----------------


def test_a_moderator_edit_on_the_site_asks_for_the_reason(world, client):
    question = world["question"]
    client.force_login(world["roles"]["moderator"])
    form = {"title": "A tidier title for this question", "body": BODY, "tags": "", "summary": ""}
    form["category"] = question.category_id

    refused = client.post(f"/questions/{question.pk}/edit/", form)
    form["summary"] = "removed a phone number"
    saved = client.post(f"/questions/{question.pk}/edit/", form)

    assert refused.status_code == 400
    assert saved.status_code == 302
    assert Revision.objects.filter(question=question).get().summary == "removed a phone number"


def test_a_bad_duplicate_target_on_the_site_is_a_message_not_a_500(world, client):
    client.force_login(world["roles"]["moderator"])

    response = client.post(
        f"/questions/{world['question'].pk}/close/",
        {"reason": "duplicate", "duplicate_of": "no such thing"},
        follow=True,
    )

    assert response.status_code == 200
    assert "other question" in response.content.decode()
    assert Question.objects.get(pk=world["question"].pk).state == "open"


def test_the_newest_pin_comes_first():
    category = CategoryFactory()
    older, newer = QuestionFactory(category=category), QuestionFactory(category=category)
    Question.objects.filter(pk=older.pk).update(pinned_at=timezone.now() - timedelta(days=1))
    Question.objects.filter(pk=newer.pk).update(pinned_at=timezone.now())

    assert [q.pk for q in queries.pinned_questions(category)] == [newer.pk, older.pk]


def test_staff_scope_moderators_in_the_wagtail_admin(client):
    from django.urls import reverse

    scoped, category = ModeratorFactory(), CategoryFactory()
    client.force_login(StaffFactory(is_superuser=True))
    url = reverse("wagtailsnippets_forum_categorymoderator:add")

    response = client.post(url, {"user": scoped.pk, "category": category.pk})

    assert response.status_code == 302
    assert CategoryModerator.objects.filter(user=scoped, category=category).exists()
    listing = client.get(reverse("wagtailsnippets_forum_categorymoderator:list"))
    assert scoped.username in listing.content.decode()
