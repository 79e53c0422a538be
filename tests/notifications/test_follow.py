"""Following and unfollowing questions, tags and categories: the actions, their refusals,
their events, and the buttons (plain forms and htmx)."""

import pytest
from taggit.models import Tag

from core.models import Event
from forum import actions as forum_actions
from forum.errors import InvalidInput, NotAllowed, NotSignedIn, RateLimited
from notifications import actions
from notifications.models import Follow, Preferences
from tests.factories import CategoryFactory, ModeratorFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_following_a_question_records_the_follow_and_its_event():
    member, question = UserFactory(), QuestionFactory()

    actions.follow(member, question=question)

    assert Follow.objects.filter(member=member, question=question).exists()
    event = Event.objects.get(verb="member.followed")
    assert (event.actor_id, event.question_id) == (member.pk, question.pk)


def test_following_twice_is_a_no_op():
    member, question = UserFactory(), QuestionFactory()
    actions.follow(member, question=question)

    actions.follow(member, question=question)

    assert Follow.objects.count() == 1
    assert Event.objects.filter(verb="member.followed").count() == 1


def test_following_a_tag_and_a_category():
    member, category = UserFactory(), CategoryFactory()
    tag = Tag.objects.create(name="wifi", slug="wifi")

    actions.follow(member, tag=tag)
    actions.follow(member, category=category)

    assert set(Follow.objects.values_list("tag_name", "category_id")) == {
        ("wifi", None),
        ("", category.pk),
    }


def test_unfollowing_removes_the_follow_and_records_its_event():
    member, question = UserFactory(), QuestionFactory()
    actions.follow(member, question=question)

    actions.unfollow(member, question=question)

    assert not Follow.objects.exists()
    assert Event.objects.filter(verb="member.unfollowed").count() == 1


def test_unfollowing_what_you_do_not_follow_is_a_no_op():
    actions.unfollow(UserFactory(), question=QuestionFactory())

    assert not Event.objects.filter(verb="member.unfollowed").exists()


def test_a_visitor_who_is_not_signed_in_cannot_follow():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotSignedIn):
        actions.follow(AnonymousUser(), question=QuestionFactory())


def test_a_member_cannot_follow_a_deleted_question():
    question = QuestionFactory()
    forum_actions.delete_question(question.author, question)

    with pytest.raises(NotAllowed):
        actions.follow(UserFactory(), question=question)


def test_a_moderator_may_follow_a_deleted_question():
    question = QuestionFactory()
    forum_actions.delete_question(question.author, question)

    actions.follow(ModeratorFactory(), question=question)

    assert Follow.objects.count() == 1


def test_following_needs_exactly_one_target():
    with pytest.raises(InvalidInput):
        actions.follow(UserFactory(), question=QuestionFactory(), category=CategoryFactory())
    with pytest.raises(InvalidInput):
        actions.follow(UserFactory())


def test_following_is_rate_limited(settings):
    settings.TANYA_RATE_LIMITS = {**settings.TANYA_RATE_LIMITS, "follow": (2, 3600)}
    member = UserFactory()
    for question in QuestionFactory.create_batch(2):
        actions.follow(member, question=question)

    with pytest.raises(RateLimited):
        actions.follow(member, question=QuestionFactory())


def test_the_preference_is_saved_with_its_event():
    member = UserFactory()

    actions.update_preferences(member, follow_on_participate=False)

    assert Preferences.objects.get(member=member).follow_on_participate is False
    assert Event.objects.filter(verb="member.notification_preferences_updated").count() == 1


# --- The buttons and the settings page ------------------------------------------------------


def test_the_question_page_shows_a_follow_button_that_follows(client):
    member, question = UserFactory(), QuestionFactory()
    client.force_login(member)

    page = client.get(question.get_absolute_url())
    assert f'action="/follow/question/{question.pk}/"' in page.content.decode()
    response = client.post(f"/follow/question/{question.pk}/", HTTP_REFERER="http://testserver/")

    assert response.status_code == 302
    assert Follow.objects.filter(member=member, question=question).exists()
    page = client.get(question.get_absolute_url())
    assert f'action="/unfollow/question/{question.pk}/"' in page.content.decode()


def test_the_follow_button_swaps_itself_under_htmx(client):
    member, question = UserFactory(), QuestionFactory()
    client.force_login(member)

    response = client.post(f"/follow/question/{question.pk}/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert f'action="/unfollow/question/{question.pk}/"' in response.content.decode()
    assert 'aria-pressed="true"' in response.content.decode()


def test_a_visitor_sees_no_follow_button_and_is_sent_to_log_in(client):
    question = QuestionFactory()

    assert "/follow/question/" not in client.get(question.get_absolute_url()).content.decode()
    response = client.post(f"/follow/question/{question.pk}/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_follow_button_needs_csrf(client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(UserFactory())

    response = csrf_client.post(f"/follow/question/{QuestionFactory().pk}/")

    assert response.status_code == 403


def test_tag_and_category_pages_follow_too(client):
    member, category = UserFactory(), CategoryFactory()
    QuestionFactory(category=category).tags.add("wifi")
    client.force_login(member)

    assert 'action="/follow/tag/wifi/"' in client.get("/tags/wifi/").content.decode()
    assert f'action="/follow/category/{category.pk}/"' in client.get(category.url).content.decode()
    client.post("/follow/tag/wifi/")
    client.post(f"/follow/category/{category.pk}/")

    assert Follow.objects.filter(member=member).count() == 2


def test_the_settings_page_turns_following_on_participation_off(client):
    member = UserFactory()
    client.force_login(member)

    assert client.get("/notifications/settings/").status_code == 200
    response = client.post("/notifications/settings/", {})

    assert response.status_code == 302
    assert Preferences.objects.get(member=member).follow_on_participate is False
