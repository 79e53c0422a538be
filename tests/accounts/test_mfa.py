"""Two-factor authentication through allauth's real pages: enrolling an authenticator
app, logging in with its code or a recovery code. Codes come from allauth's own TOTP
helper (tests.accounts.helpers.totp_code)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, generate_totp_secret
from django.urls import reverse

from tests.accounts.helpers import PASSWORD, log_in, log_in_and_confirm, totp_code
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _signed_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.fixture
def member_with_totp():
    member = UserFactory()
    secret = generate_totp_secret()
    TOTP.activate(member, secret)
    RecoveryCodes.activate(member)
    return member, secret


def test_a_member_enrols_an_authenticator_app_and_gets_recovery_codes(client):
    member = UserFactory()
    log_in_and_confirm(client, member.username)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    types = set(Authenticator.objects.filter(user=member).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}


def test_enrolment_refuses_a_wrong_code(client):
    member = UserFactory()
    log_in_and_confirm(client, member.username)
    client.get(reverse("mfa_activate_totp"))

    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Authenticator.objects.filter(user=member).exists()


def test_the_totp_page_shows_a_qr_code_named_for_the_site(client):
    member = UserFactory()
    log_in_and_confirm(client, member.username)

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 200
    assert "issuer=Tanya" in response.context["totp_url"]


def test_with_totp_the_password_alone_does_not_log_in(client, member_with_totp):
    member, _ = member_with_totp

    response = log_in(client, member.username)

    assert response["Location"] == reverse("mfa_authenticate")
    assert _signed_in_as(client) is None


def test_the_authenticator_code_completes_the_login(client, member_with_totp):
    member, secret = member_with_totp
    log_in(client, member.username)

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert _signed_in_as(client) == str(member.pk)


def test_a_wrong_authenticator_code_does_not_log_in(client, member_with_totp):
    member, _ = member_with_totp
    log_in(client, member.username)

    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})

    assert response.status_code == 200
    assert _signed_in_as(client) is None


def test_a_recovery_code_completes_the_login_once(client, member_with_totp):
    member, _ = member_with_totp
    code = RecoveryCodes(Authenticator.objects.get(user=member, type="recovery_codes"))
    first = code.get_unused_codes()[0]
    log_in(client, member.username)

    client.post(reverse("mfa_authenticate"), {"code": first})
    assert _signed_in_as(client) == str(member.pk)

    client.post(reverse("account_logout"))
    log_in(client, member.username)
    client.post(reverse("mfa_authenticate"), {"code": first})
    assert _signed_in_as(client) is None


def test_the_admin_login_page_sends_staff_through_allauth_and_its_mfa(client, member_with_totp):
    for admin_login in (reverse("wagtailadmin_login"), reverse("admin:login")):
        response = client.post(admin_login, {"username": "x", "password": "y"})

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_admin_login_page_keeps_where_the_visitor_was_going(client):
    response = client.get(reverse("admin:login"), {"next": "/django-admin/accounts/user/"})

    assert response["Location"] == (reverse("account_login") + "?next=/django-admin/accounts/user/")


def test_a_member_already_logged_in_gets_403_from_the_admin_login_not_a_loop(client):
    client.force_login(UserFactory())

    response = client.get(reverse("wagtailadmin_login"), {"next": "/admin/"})

    assert response.status_code == 403


def test_staff_reach_the_wagtail_admin_after_logging_in_through_allauth(client):
    staff = StaffFactory(is_superuser=True)

    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": staff.username, "password": PASSWORD}
    )

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_login_page_offers_passkey_login(client):
    html = client.get(reverse("account_login")).content.decode()

    assert 'id="passkey_login"' in html


def test_a_member_can_start_adding_a_security_key(client):
    member = UserFactory()
    log_in_and_confirm(client, member.username)

    response = client.get(reverse("mfa_add_webauthn"))

    assert response.status_code == 200
    assert "credential" in response.content.decode()
