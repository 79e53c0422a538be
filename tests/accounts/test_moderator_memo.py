"""`User.is_moderator` remembers the permission's answer for as long as Django's own
permission cache on the instance lives (accounts/models.py), and never longer."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.factories import ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_moderators_group_makes_a_moderator_and_asking_again_costs_nothing():
    moderator = User.objects.get(pk=ModeratorFactory().pk)
    assert moderator.is_moderator

    with CaptureQueriesContext(connection) as queries:
        assert all(moderator.is_moderator for _ in range(50))
    assert len(queries) == 0


def test_a_member_is_not_a_moderator_until_django_forgets_its_permission_cache():
    member = User.objects.get(pk=UserFactory().pk)
    assert not member.is_moderator

    member.groups.add(Group.objects.get(name="Moderators"))
    assert not member.is_moderator  # Django's permission cache, not a memo of our own
    del member._perm_cache
    del member._user_perm_cache, member._group_perm_cache

    assert member.is_moderator


def test_becoming_a_superuser_on_the_same_instance_is_seen_at_once():
    member = User.objects.get(pk=UserFactory().pk)
    assert not member.is_moderator

    member.is_superuser = True

    assert member.is_moderator


def test_a_suspension_or_deactivation_still_ends_moderation_at_once():
    moderator = User.objects.get(pk=ModeratorFactory().pk)
    assert moderator.is_moderator

    moderator.is_active = False
    assert not moderator.is_moderator
