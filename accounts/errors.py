"""Domain errors for accounts and profiles. All derive from core.errors.DomainError, so
the web views, the API's one handler and the admin map them like every other refusal."""

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError, InvalidInput, NotAllowed, NotSignedIn

__all__ = [
    "AccountDeleted",
    "DomainError",
    "InvalidInput",
    "MfaRequired",
    "NotAllowed",
    "NotSignedIn",
]


class AccountDeleted(DomainError):
    code, status, message = "account_deleted", 409, _("This account has been deleted.")


class MfaRequired(DomainError):
    """TANYA_REQUIRE_MFA_FOR_STAFF: staff or a moderator who has no second factor yet."""

    code, status = "mfa_required", 403
    message = _(
        "Staff and moderators must set up two-factor authentication first: add an "
        "authenticator app or a security key at /accounts/2fa/."
    )
