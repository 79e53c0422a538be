"""allauth adapters: the few places Tanya's rules reach into allauth's flows."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.http import Http404

from accounts.models import DELETED_USERNAME_PREFIX


@dataclass(frozen=True)
class _Site:
    """What allauth's emails call `current_site`: without django.contrib.sites it would be
    the request's host name twice ("Hello from forum.example.com!")."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def clean_username(self, username: str, shallow: bool = False) -> str:
        """Also refuse "deleted-…": accounts.actions.delete_account renames a deleted
        member's row to "deleted-<id>", which nobody may take or imitate first."""
        if username.lower().startswith(DELETED_USERNAME_PREFIX):
            raise self.validation_error("username_blacklisted")
        return super().clean_username(username, shallow=shallow)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        request = allauth_context.request
        host = request.get_host() if request else urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc
        site = _Site(name=settings.WAGTAIL_SITE_NAME, domain=host)
        super().send_mail(template_prefix, email, {"current_site": site, **context})


class ProviderNotConfigured(SocialApp.DoesNotExist, Http404):
    """No app for a provider: still what allauth catches (SocialApp.DoesNotExist), and a
    404 rather than a 500 where it doesn't (/accounts/github/login/ with no GitHub app)."""


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_app(self, request, provider, client_id=None):
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist as error:
            raise ProviderNotConfigured(f"No sign-in app is configured for {provider}.") from error
