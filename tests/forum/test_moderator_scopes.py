"""Scoping moderators to categories is an action with an audit event, in the Wagtail
admin too (forum/actions/scopes.py, docs/moderation-actions.md)."""

import pytest
from django.urls import reverse

from accounts.models import User
from core.models import Event
from forum import actions, permissions
from forum.errors import NotAllowed
from forum.models import CategoryModerator
from tests.factories import CategoryFactory, ModeratorFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

VERB = "moderator.scopes_changed"


def test_scoping_records_the_moderators_categories_before_and_after():
    staff, moderator = StaffFactory(), ModeratorFactory()
    first, second = CategoryFactory(), CategoryFactory()
    actions.scope_moderator(staff, moderator, first)

    actions.scope_moderator(staff, moderator, second)

    event = Event.objects.filter(verb=VERB).latest("pk")
    assert event.actor == staff and event.subject_id == moderator.pk
    assert event.payload["before"] == {"categories": [first.pk]}
    assert event.payload["after"] == {"categories": sorted([first.pk, second.pk])}


def test_scoping_again_records_nothing():
    staff, moderator, category = StaffFactory(), ModeratorFactory(), CategoryFactory()
    actions.scope_moderator(staff, moderator, category)

    actions.scope_moderator(staff, moderator, category)

    assert Event.objects.filter(verb=VERB).count() == 1


def test_unscoping_the_last_category_makes_the_moderator_moderate_everywhere_again():
    staff, moderator = StaffFactory(), ModeratorFactory()
    category, elsewhere = CategoryFactory(), CategoryFactory()
    scope = actions.scope_moderator(staff, moderator, category)
    assert not permissions.moderates(moderator, elsewhere)

    actions.unscope_moderator(staff, scope)

    assert permissions.moderates(User.objects.get(pk=moderator.pk), elsewhere)
    event = Event.objects.filter(verb=VERB).latest("pk")
    assert event.payload["before"] == {"categories": [category.pk]}
    assert event.payload["after"] == {"categories": []}


@pytest.mark.parametrize("role", ["member", "moderator"])
def test_only_staff_scope_moderators(role):
    actor = {"member": UserFactory, "moderator": ModeratorFactory}[role]()

    with pytest.raises(NotAllowed):
        actions.scope_moderator(actor, ModeratorFactory(), CategoryFactory())

    assert not CategoryModerator.objects.exists()
    assert not Event.objects.filter(verb=VERB).exists()


# --- The Wagtail admin ------------------------------------------------------------------


@pytest.fixture
def admin(client):
    staff = StaffFactory(is_superuser=True)
    client.force_login(staff)
    return staff


def test_adding_a_scope_in_the_admin_is_in_the_audit_log(client, admin):
    moderator, category = ModeratorFactory(), CategoryFactory()

    response = client.post(
        reverse("wagtailsnippets_forum_categorymoderator:add"),
        {"user": moderator.pk, "category": category.pk},
    )

    assert response.status_code == 302
    assert CategoryModerator.objects.filter(user=moderator, category=category).exists()
    event = Event.objects.get(verb=VERB)
    assert event.actor == admin and event.payload["after"] == {"categories": [category.pk]}


def test_changing_a_scope_in_the_admin_is_in_the_audit_log(client, admin):
    moderator, category, other = ModeratorFactory(), CategoryFactory(), CategoryFactory()
    scope = actions.scope_moderator(admin, moderator, category)

    response = client.post(
        reverse("wagtailsnippets_forum_categorymoderator:edit", args=[scope.pk]),
        {"user": moderator.pk, "category": other.pk},
    )

    assert response.status_code == 302
    event = Event.objects.filter(verb=VERB).latest("pk")
    assert event.payload["before"] == {"categories": [category.pk]}
    assert event.payload["after"] == {"categories": [other.pk]}


def test_deleting_a_scope_in_the_admin_is_in_the_audit_log(client, admin):
    moderator, category = ModeratorFactory(), CategoryFactory()
    scope = actions.scope_moderator(admin, moderator, category)

    response = client.post(
        reverse("wagtailsnippets_forum_categorymoderator:delete", args=[scope.pk])
    )

    assert response.status_code == 302
    assert not CategoryModerator.objects.exists()
    event = Event.objects.filter(verb=VERB).latest("pk")
    assert event.payload["after"] == {"categories": []}


def test_a_duplicate_scope_in_the_admin_is_a_form_error(client, admin):
    moderator, category, other = ModeratorFactory(), CategoryFactory(), CategoryFactory()
    actions.scope_moderator(admin, moderator, category)
    scope = actions.scope_moderator(admin, moderator, other)

    response = client.post(
        reverse("wagtailsnippets_forum_categorymoderator:edit", args=[scope.pk]),
        {"user": moderator.pk, "category": category.pk},
    )

    assert response.status_code == 200
    assert CategoryModerator.objects.filter(user=moderator).count() == 2
