"""TANYA_REQUIRE_MFA_FOR_STAFF holds apps to it too: staff and moderators signed in with
an X-Session-Token but without a second factor get 403 "mfa_required" from the API."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client, override_settings

from tests.api.conftest import ApiClient, session_token
from tests.factories import ModeratorFactory, QuestionFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

REQUIRED = override_settings(TANYA_REQUIRE_MFA_FOR_STAFF=True)


@REQUIRED
@pytest.mark.parametrize("factory", [StaffFactory, ModeratorFactory])
def test_staff_and_moderators_without_mfa_are_refused_reads(factory):
    response = ApiClient(factory()).get("/questions/")

    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"
    assert "two-factor" in response.json()["message"]


@REQUIRED
def test_staff_without_mfa_are_refused_writes_before_anything_is_written():
    question = QuestionFactory()

    response = ApiClient(StaffFactory()).post(
        f"/questions/{question.pk}/answers/", {"body": "Restart the router and wait a minute."}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"
    assert question.answers.count() == 0


@REQUIRED
def test_staff_without_mfa_cannot_read_their_own_profile_either():
    assert ApiClient(StaffFactory()).get("/me/").json()["code"] == "mfa_required"


@REQUIRED
def test_staff_with_an_authenticator_app_use_the_api():
    staff = StaffFactory()
    TOTP.activate(staff, generate_totp_secret())

    assert ApiClient(staff).get("/questions/").status_code == 200


@REQUIRED
def test_members_need_no_second_factor():
    assert ApiClient(UserFactory()).get("/questions/").status_code == 200


def test_nothing_is_required_when_the_setting_is_off():
    assert ApiClient(StaffFactory()).get("/questions/").status_code == 200


@REQUIRED
def test_the_headless_api_where_apps_add_an_authenticator_stays_open():
    staff = StaffFactory()
    client = Client(headers={"X-Session-Token": session_token(staff)})

    response = client.get("/_allauth/app/v1/account/authenticators")

    assert response.status_code == 200
    assert response.json()["data"] == []
