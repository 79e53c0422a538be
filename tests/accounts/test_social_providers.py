"""Sign-in providers come from the environment (config.settings.base) or from Social
application rows in the Django admin; none is built in."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config.settings import base

pytestmark = pytest.mark.django_db


def test_no_provider_is_configured_by_default(client):
    html = client.get(reverse("account_login")).content.decode()

    assert "/accounts/github/login/" not in html
    assert "/accounts/google/login/" not in html


def test_a_provider_added_in_the_admin_appears_on_the_login_page(client):
    SocialApp.objects.create(provider="github", name="GitHub", client_id="abc", secret="xyz")

    html = client.get(reverse("account_login")).content.decode()

    assert "/accounts/github/login/" in html


def test_a_company_openid_connect_provider_added_in_the_admin_appears_by_its_id(client):
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="acme",
        name="Acme account",
        client_id="abc",
        secret="xyz",
        settings={"server_url": "https://id.acme.example"},
    )

    html = client.get(reverse("account_login")).content.decode()

    assert "/accounts/oidc/acme/login/" in html
    assert "Acme account" in html


def test_logging_in_with_a_provider_from_the_environment_goes_to_the_provider(client, settings):
    github = {**base.SOCIALACCOUNT_PROVIDERS["github"], "APPS": base._social_app("TEST")}
    settings.SOCIALACCOUNT_PROVIDERS = {**base.SOCIALACCOUNT_PROVIDERS, "github": github}

    response = client.post(reverse("github_login"))

    location = urlsplit(response["Location"])
    assert response.status_code == 302
    assert location.netloc == "github.com"
    assert parse_qs(location.query)["client_id"] == ["test-client"]


@pytest.mark.parametrize("url_name", ["github_login", "google_login", "github_callback"])
def test_an_unconfigured_provider_is_not_found(client, url_name):
    assert client.post(reverse(url_name)).status_code == 404
    assert client.get(reverse(url_name)).status_code in {404, 405}


@pytest.fixture(autouse=True)
def _test_provider_env(monkeypatch):
    monkeypatch.setenv("TEST_CLIENT_ID", "test-client")
    monkeypatch.setenv("TEST_CLIENT_SECRET", "test-secret")


def test_a_provider_needs_both_its_id_and_its_secret(monkeypatch):
    monkeypatch.delenv("TEST_CLIENT_SECRET")

    with pytest.raises(ImproperlyConfigured):
        base._social_app("TEST")


def test_a_provider_without_variables_is_left_to_the_admin(monkeypatch):
    monkeypatch.delenv("TEST_CLIENT_ID")
    monkeypatch.delenv("TEST_CLIENT_SECRET")

    assert base._social_app("TEST") == []


def test_openid_connect_from_the_environment(monkeypatch):
    monkeypatch.setenv("OIDC_CLIENT_ID", "forum")
    monkeypatch.setenv("OIDC_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("OIDC_SERVER_URL", "https://login.acme.example")
    monkeypatch.setenv("OIDC_PROVIDER_ID", "acme")
    monkeypatch.setenv("OIDC_PROVIDER_NAME", "Acme account")

    [app] = base._oidc_app()

    assert app["provider_id"] == "acme"
    assert app["name"] == "Acme account"
    assert app["settings"]["server_url"] == "https://login.acme.example"


@pytest.mark.parametrize(
    ("variable", "value"),
    [("OIDC_SERVER_URL", "http://login.acme.example"), ("OIDC_PROVIDER_ID", "acme/../x")],
)
def test_openid_connect_refuses_an_insecure_server_or_an_odd_id(monkeypatch, variable, value):
    monkeypatch.setenv("OIDC_CLIENT_ID", "forum")
    monkeypatch.setenv("OIDC_CLIENT_SECRET", "s3cret")
    monkeypatch.setenv("OIDC_SERVER_URL", "https://login.acme.example")
    monkeypatch.setenv(variable, value)

    with pytest.raises(ImproperlyConfigured):
        base._oidc_app()
