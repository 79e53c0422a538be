"""Each event notifies exactly the right people: followers, authors, the asker; never the
actor, never someone who can't see the content, and once however often it is delivered."""

from datetime import timedelta

import pytest
from django.db import transaction

from core import events
from core.models import Event
from forum import actions
from notifications import actions as notify_actions
from notifications.models import Follow, Kind, Notification, Preferences
from notifications.subscribers import notify_new_answer
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

from .conftest import BODY

pytestmark = pytest.mark.django_db


def _told(kind=None) -> set[tuple[int, str]]:
    rows = Notification.objects.all()
    if kind is not None:
        rows = rows.filter(kind=kind)
    return set(rows.values_list("recipient_id", "kind"))


def test_the_asker_follows_their_own_question(asked):
    question = asked()

    assert Follow.objects.filter(member=question.author, question=question).exists()


def test_a_new_answer_notifies_every_follower_but_not_its_author(asked, run):
    question = asked()
    follower, answerer = UserFactory(), UserFactory()
    Follow.objects.create(member=follower, question=question)

    answer = run(actions.post_answer, answerer, question, body=BODY)

    assert _told() == {(question.author.pk, Kind.ANSWER), (follower.pk, Kind.ANSWER)}
    notification = Notification.objects.get(recipient=question.author)
    assert notification.url == f"{question.get_absolute_url()}#answer-{answer.pk}"
    assert notification.question_id == question.pk


def test_answering_follows_the_question(asked, run):
    question = asked()
    answerer = UserFactory()

    run(actions.post_answer, answerer, question, body=BODY)

    assert Follow.objects.filter(member=answerer, question=question).exists()


def test_answering_does_not_follow_when_the_preference_is_off(asked, run):
    question = asked()
    answerer = UserFactory()
    Preferences.objects.create(member=answerer, follow_on_participate=False)

    run(actions.post_answer, answerer, question, body=BODY)

    assert not Follow.objects.filter(member=answerer, question=question).exists()


def test_a_comment_notifies_followers_and_the_posts_author_with_its_anchor(asked, run):
    question = asked()
    answer = AnswerFactory(question=question)  # its author does not follow the question
    commenter = UserFactory(reputation=200)

    comment = run(actions.post_comment, commenter, answer, body="Which firmware version is it?")

    assert _told() == {(question.author.pk, Kind.COMMENT), (answer.author.pk, Kind.COMMENT)}
    urls = set(Notification.objects.values_list("url", flat=True))
    assert urls == {f"{question.get_absolute_url()}#comment-{comment.pk}"}
    assert Follow.objects.filter(member=commenter, question=question).exists()


def test_commenting_on_your_own_question_notifies_nobody_but_the_followers(asked, run):
    question = asked()

    run(actions.post_comment, question.author, question, body="Forgot to say: it is a TP-Link.")

    assert _told() == set()


def test_the_answers_author_hears_that_the_asker_accepted_it(asked, run):
    question = asked()
    answer = AnswerFactory(question=question)

    run(actions.accept_answer, question.author, question, answer)

    assert _told() == {(answer.author.pk, Kind.ACCEPTED)}


def test_staff_accepting_tells_the_author_it_is_verified_and_the_asker_too(asked, run):
    question = asked()
    answer = AnswerFactory(question=question)

    run(actions.accept_answer, StaffFactory(), question, answer)

    assert _told() == {
        (answer.author.pk, Kind.VERIFIED),
        (question.author.pk, Kind.SOLVED_BY_STAFF),
    }


def test_staff_verifying_the_askers_choice_tells_the_author_and_the_asker(asked, run):
    question = asked()
    answer = AnswerFactory(question=question)
    run(actions.accept_answer, question.author, question, answer)
    Notification.objects.all().delete()

    run(actions.verify_answer, StaffFactory(), question)

    assert _told() == {
        (answer.author.pk, Kind.VERIFIED),
        (question.author.pk, Kind.SOLVED_BY_STAFF),
    }


def test_promotion_to_the_knowledge_base_tells_the_accepted_answers_author(asked, run):
    question = asked()
    answer = AnswerFactory(question=question)
    run(actions.accept_answer, question.author, question, answer)
    Notification.objects.all().delete()
    staff = StaffFactory()

    def promote():
        with transaction.atomic():
            events.record(staff, "article.promoted", None, question=question)

    run(promote)

    assert _told() == {(answer.author.pk, Kind.PROMOTED)}
    assert Notification.objects.get().url.endswith(f"#answer-{answer.pk}")


def test_a_new_question_tells_the_followers_of_its_tag_and_category(asked):
    category = CategoryFactory()
    by_tag, by_category, both, bystander = UserFactory.create_batch(4)
    Follow.objects.create(member=by_tag, tag_name="wifi")
    Follow.objects.create(member=by_category, category=category)
    Follow.objects.create(member=both, tag_name="wifi")
    Follow.objects.create(member=both, category=category)
    Follow.objects.create(member=bystander, tag_name="printers")
    asker = UserFactory()
    Follow.objects.create(member=asker, category=category)

    asked(asker, category=category, tags="wifi")

    assert _told() == {
        (by_tag.pk, Kind.NEW_QUESTION),
        (by_category.pk, Kind.NEW_QUESTION),
        (both.pk, Kind.NEW_QUESTION),
    }


def test_nobody_hears_of_an_answer_deleted_before_delivery_but_moderators(asked):
    question = asked()
    moderator = ModeratorFactory()
    Follow.objects.create(member=moderator, question=question)
    answer = actions.post_answer(UserFactory(), question, body=BODY)  # not delivered yet
    actions.delete_answer(answer.author, answer)

    events.catch_up(grace=timedelta(0))

    assert _told(Kind.ANSWER) == {(moderator.pk, Kind.ANSWER)}


def test_nobody_but_moderators_hears_of_activity_on_a_deleted_question(asked):
    question = asked()
    follower, moderator = UserFactory(), ModeratorFactory()
    Follow.objects.create(member=follower, question=question)
    Follow.objects.create(member=moderator, question=question)
    actions.post_answer(UserFactory(), question, body=BODY)
    actions.delete_question(ModeratorFactory(), question)

    events.catch_up(grace=timedelta(0))

    assert _told(Kind.ANSWER) == {(moderator.pk, Kind.ANSWER)}


def test_a_suspended_member_is_not_notified(asked, run):
    question = asked()
    question.author.is_active = False
    question.author.save()

    run(actions.post_answer, UserFactory(), question, body=BODY)

    assert _told() == set()


def test_delivering_an_event_twice_notifies_once(asked, run):
    question = asked()
    run(actions.post_answer, UserFactory(), question, body=BODY)
    event = Event.objects.get(verb="answer.posted")

    notify_new_answer(event)
    notify_new_answer(event)

    assert Notification.objects.count() == 1


def test_notifying_writes_one_insert_however_many_followers(asked, django_assert_max_num_queries):
    question = asked()
    followers = UserFactory.create_batch(30)
    Follow.objects.bulk_create([Follow(member=m, question=question) for m in followers])
    with transaction.atomic():
        answer = AnswerFactory(question=question)
        event = events.record(answer.author, "answer.posted", answer, question=question)

    # 6 to notify, 3 to queue the emails (preferences, the new rows, one insert)
    with django_assert_max_num_queries(9):
        notify_new_answer(event)

    assert Notification.objects.count() == 31


def test_notify_never_tells_the_actor():
    question = QuestionFactory()
    with transaction.atomic():
        event = events.record(question.author, "answer.posted", question, question=question)

    notify_actions.notify(event, Kind.ANSWER, [question.author.pk], url="/")

    assert Notification.objects.count() == 0
