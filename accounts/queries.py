"""Reads about accounts shared by the settings pages, the middleware and the API."""

from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.errors import NotAllowed, NotSignedIn
from accounts.models import User
from accounts.permissions import is_member, is_moderator

EXPORT_FORMAT = "tanya-account-export/1"


def needs_mfa_setup(user) -> bool:
    """True when TANYA_REQUIRE_MFA_FOR_STAFF is on and `user` is staff or a moderator
    with neither an authenticator app (TOTP) nor a security key or passkey (WebAuthn).

    Recovery codes alone don't count: they only exist beside one of the two. One query
    for staff and moderators (their authenticators), none for anyone else once their
    permissions are loaded.
    """
    if not settings.TANYA_REQUIRE_MFA_FOR_STAFF or not is_moderator(user):
        return False
    return not is_mfa_enabled(user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_account_data(actor: User, member: User) -> dict:
    """The account part of a member's data export, as a JSON-ready dict: profile, email
    addresses, connected accounts and MFA methods (never their secrets).

    forum.member_queries.export_member_data adds the member's posts, votes and reputation
    history; the download and the API serve that. Only the member themself, or a
    superuser answering their request, may read it. A fixed number of queries.
    """
    if not is_member(actor):
        raise NotSignedIn()
    if not permissions.can_export_account_data(actor, member):
        raise NotAllowed(_("You can only download your own data."))

    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "username": member.username,
            "display_name": member.display_name,
            "bio": member.bio,
            "language": member.language,
            "avatar_url": member.avatar.url if member.avatar else None,
            "profile_url": member.get_absolute_url(),
            "date_joined": _when(member.date_joined),
            "last_login": _when(member.last_login),
            "reputation": member.reputation,
            "first_name": member.first_name,
            "last_name": member.last_name,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=member).order_by("email")
        ],
        "connected_accounts": [
            {
                "provider": account.provider,
                "uid": account.uid,
                "connected_at": _when(account.date_joined),
                "last_login": _when(account.last_login),
            }
            for account in SocialAccount.objects.filter(user=member).order_by("pk")
        ],
        "mfa": [
            {
                "type": authenticator.type,
                "created_at": _when(authenticator.created_at),
                "last_used_at": _when(authenticator.last_used_at),
            }
            for authenticator in Authenticator.objects.filter(user=member).order_by("pk")
        ],
    }
