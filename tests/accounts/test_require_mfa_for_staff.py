"""TANYA_REQUIRE_MFA_FOR_STAFF: staff and moderators without TOTP or WebAuthn are held on
the two-factor page until they set one up (accounts.middleware.StaffMFAMiddleware)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import override_settings
from django.urls import reverse

from accounts.queries import needs_mfa_setup
from tests.factories import ModeratorFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

REQUIRED = override_settings(TANYA_REQUIRE_MFA_FOR_STAFF=True)


def _signed_in(client, user):
    client.force_login(user)
    return client


@REQUIRED
@pytest.mark.parametrize("factory", [StaffFactory, ModeratorFactory])
def test_staff_and_moderators_without_mfa_are_sent_to_set_it_up(client, factory):
    response = _signed_in(client, factory()).get(reverse("forum:questions"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")


@REQUIRED
def test_the_wagtail_admin_is_held_back_too(client):
    response = _signed_in(client, StaffFactory(is_superuser=True)).get("/admin/")

    assert response["Location"] == reverse("mfa_index")


@REQUIRED
def test_staff_with_an_authenticator_app_go_where_they_asked(client):
    staff = StaffFactory()
    TOTP.activate(staff, generate_totp_secret())

    response = _signed_in(client, staff).get(reverse("forum:questions"))

    assert response.status_code == 200


@REQUIRED
def test_members_are_not_asked_for_mfa(client):
    response = _signed_in(client, UserFactory()).get(reverse("forum:questions"))

    assert response.status_code == 200


@REQUIRED
@pytest.mark.parametrize(
    "url_name", ["mfa_index", "mfa_activate_totp", "account_email", "account_reauthenticate"]
)
def test_the_pages_needed_to_set_up_mfa_stay_open(client, url_name):
    response = _signed_in(client, StaffFactory()).get(reverse(url_name))

    assert response.get("Location") != reverse("mfa_index")


@REQUIRED
def test_staff_can_still_log_out(client):
    _signed_in(client, StaffFactory()).post(reverse("account_logout"))

    assert "_auth_user_id" not in client.session


@REQUIRED
def test_the_json_api_refuses_with_a_code_instead_of_redirecting(client):
    response = _signed_in(client, StaffFactory()).get("/api/v1/questions/")

    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"


@REQUIRED
def test_htmx_requests_are_redirected_by_htmx(client):
    response = _signed_in(client, StaffFactory()).get(
        reverse("forum:questions"), headers={"HX-Request": "true"}
    )

    assert response["HX-Redirect"] == reverse("mfa_index")


def test_nothing_is_required_when_the_setting_is_off(client):
    response = _signed_in(client, StaffFactory()).get(reverse("forum:questions"))

    assert response.status_code == 200


@REQUIRED
def test_recovery_codes_alone_are_not_enough():
    from allauth.mfa.models import Authenticator

    staff = StaffFactory()
    Authenticator.objects.create(user=staff, type=Authenticator.Type.RECOVERY_CODES, data={})

    assert needs_mfa_setup(staff)
