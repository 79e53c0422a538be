"""The signed-in member's item in the site header: their picture (or initials) and name
linking to their profile, and a link to their account settings."""

import re

import pytest
from django.urls import reverse

from accounts import actions
from tests.accounts.helpers import picture, upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _account_area(client) -> str:
    html = client.get(reverse("forum:questions")).content.decode()
    return re.search(r'<div class="site-account">(.*?)</div>', html, re.S).group(1)


def test_the_header_shows_the_members_picture_and_name_linking_to_their_profile(client):
    member = UserFactory(display_name="Siti Rahma")
    member = actions.set_avatar(member, member, upload(picture()))
    client.force_login(member)

    area = _account_area(client)

    chip = re.search(r'<a class="member-chip[^"]*" href="([^"]+)"[^>]*>(.*?)</a>', area, re.S)
    assert chip.group(1) == f"/members/{member.username}/"
    assert f'src="{member.avatar.url}"' in chip.group(2)
    assert 'alt=""' in chip.group(2)  # the visible name says who it is
    assert "Siti Rahma" in chip.group(2)


def test_a_member_without_a_picture_gets_their_initials_in_the_header(client):
    client.force_login(UserFactory(display_name="Siti Rahma"))

    area = _account_area(client)

    assert ">SR</text>" in area
    assert "<img" not in area


def test_the_header_links_to_the_account_settings(client):
    client.force_login(UserFactory())

    area = _account_area(client)

    assert f'href="{reverse("accounts:settings")}"' in area
    assert reverse("accounts:settings") == "/settings/"


def test_the_settings_link_is_marked_current_on_the_settings_page(client):
    client.force_login(UserFactory())

    html = client.get(reverse("accounts:settings")).content.decode()

    assert re.search(r'href="/settings/" aria-current="page"', html)


def test_visitors_get_log_in_and_sign_up_instead(client):
    area = _account_area(client)

    assert "/settings/" not in area
    assert reverse("account_login") in area
