"""The failed-login limit per account is per client network: an attacker's wrong
passwords lock their own network out of the account, never the owner on theirs; and a
lockout is a 429 with Retry-After on the site and in the headless API."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import PASSWORD
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.{}"
OWNER = "198.51.100.7"
APP_LOGIN = "/_allauth/app/v1/auth/login"


def _web_login(ip: str, username: str, password: str):
    return Client(REMOTE_ADDR=ip).post(
        reverse("account_login"), {"login": username, "password": password}
    )


def _app_login(ip: str, username: str, password: str):
    return Client(REMOTE_ADDR=ip).post(
        APP_LOGIN, {"username": username, "password": password}, content_type="application/json"
    )


def _attack(username: str, times: int = 5) -> None:
    for n in range(times):  # from several addresses of one network
        _web_login(ATTACKER.format(10 + n), username, "not the password")


@pytest.mark.parametrize("factory", [UserFactory, StaffFactory])
def test_failures_from_one_network_lock_that_network_but_not_the_owners(factory):
    member = factory()
    _attack(member.username)

    from_attacker = _web_login(ATTACKER.format(99), member.username, PASSWORD)
    from_owner = _web_login(OWNER, member.username, PASSWORD)

    assert from_attacker.status_code == 429
    assert int(from_attacker["Retry-After"]) > 0
    assert "Too many failed login attempts" in from_attacker.content.decode()
    assert from_owner.status_code == 302  # logged in


def test_the_owners_network_is_still_limited_on_its_own():
    member = UserFactory()
    for _ in range(5):
        _web_login(OWNER, member.username, "not the password")

    assert _web_login(OWNER, member.username, PASSWORD).status_code == 429


def test_the_headless_api_answers_a_lockout_with_429_and_retry_after():
    member = UserFactory()
    _attack(member.username)

    locked = _app_login(ATTACKER.format(1), member.username, PASSWORD)
    owner = _app_login(OWNER, member.username, PASSWORD)

    assert locked.status_code == 429
    assert locked.json()["status"] == 429
    assert int(locked["Retry-After"]) > 0
    assert owner.status_code == 200
    assert owner.json()["meta"]["is_authenticated"] is True


def test_ipv6_networks_are_counted_per_64():
    member = UserFactory()
    for n in range(5):
        _web_login(f"2001:db8:1:1::{n + 1}", member.username, "not the password")

    assert _web_login("2001:db8:1:1::99", member.username, PASSWORD).status_code == 429
    assert _web_login("2001:db8:1:2::1", member.username, PASSWORD).status_code == 302
