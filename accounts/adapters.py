"""allauth adapters: the few places Tanya's rules reach into allauth's flows."""

import ipaddress
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit as allauth_ratelimit
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from accounts.models import DELETED_USERNAME_PREFIX


@dataclass(frozen=True)
class _Site:
    """What allauth's emails call `current_site`: without django.contrib.sites it would be
    the request's host name twice ("Hello from forum.example.com!")."""

    name: str
    domain: str


# The failed-login limit per account is counted per client network, not per account alone:
# an IPv4 /24 or an IPv6 /64, about one home or office.
LOGIN_NETWORK_PREFIX = {4: 24, 6: 64}
# What a request refused by the failed-login limit carries for LoginLockoutMiddleware.
LOCKED_OUT_ATTR = "tanya_login_retry_after"


def client_network(ip: str) -> str:
    """The /24 (IPv4) or /64 (IPv6) network of `ip`; the text itself if it isn't an address."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip or "unknown"
    prefix = LOGIN_NETWORK_PREFIX[address.version]
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """allauth's per-account ("key") failed-login counter, per client network: five
        wrong passwords from an attacker's network lock that network out of the account,
        not its owner on theirs (ACCOUNT_RATE_LIMITS["login_failed"], docs/spam.md)."""
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{client_network(self.get_client_ip(request))}"

    def pre_authenticate(self, request, **credentials) -> None:
        """As allauth's, and a refusal remembers how long until the oldest counted failure
        ages out, so LoginLockoutMiddleware answers 429 with Retry-After."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as error:
            if error.code == "too_many_login_attempts":
                key = self._get_login_attempts_cache_key(request, **credentials)
                setattr(request, LOCKED_OUT_ATTR, _login_retry_after(request, key))
            raise

    def clean_username(self, username: str, shallow: bool = False) -> str:
        """Also refuse "deleted-…": accounts.actions.delete_account renames a deleted
        member's row to "deleted-<id>", which nobody may take or imitate first."""
        if username.lower().startswith(DELETED_USERNAME_PREFIX):
            raise self.validation_error("username_blacklisted")
        return super().clean_username(username, shallow=shallow)

    def save_user(self, request, user, form, commit=True):
        """As allauth's, and the member's language is the one they signed up in, so
        later emails (confirmation resent, password reset) speak it (docs/i18n.md)."""
        if not getattr(user, "language", ""):
            user.language = translation.get_language() or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """In the recipient's language (their preference), not the request's."""
        request = allauth_context.request
        host = request.get_host() if request else urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc
        site = _Site(name=settings.WAGTAIL_SITE_NAME, domain=host)
        user = context.get("user")
        language = getattr(user, "language", "") or translation.get_language()
        with translation.override(language or settings.LANGUAGE_CODE):
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


def _login_retry_after(request, key: str) -> int:
    """Seconds until the failed-login limit that refused lets one more attempt through."""
    now, wait = time.time(), 1
    rates = allauth_ratelimit.get_rates(app="allauth.account", action="login_failed")
    for rate in rates:
        cache_key = allauth_ratelimit.get_cache_key(
            request, app="allauth.account", action="login_failed", rate=rate, key=key
        )
        history = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]
        if len(history) >= rate.amount:  # newest first: the amount-th is the one to age out
            wait = max(wait, int(history[rate.amount - 1] + rate.duration - now) + 1)
    return wait
