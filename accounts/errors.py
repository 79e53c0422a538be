"""Domain errors for accounts and profiles. All derive from core.errors.DomainError, so
the web views, the API's one handler and the admin map them like every other refusal."""

from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError, InvalidInput, NotAllowed, NotSignedIn

__all__ = [
    "AccountDeleted",
    "DomainError",
    "InvalidInput",
    "MemberSuspended",
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


class MemberSuspended(DomainError):
    """A suspended member tried to write: they may read, not post, vote, flag or edit."""

    code, status = "member_suspended", 403
    message = _("Your account is suspended: you can read, but not post, vote, flag or edit.")
    #: core.web shows this refusal as a page with its own status (403), not a flash.
    shown_as_page = True

    @classmethod
    def of(cls, member) -> "MemberSuspended":
        """The refusal for `member`, saying until when and why."""
        if member.suspended_until is None:
            text = gettext("Your account is suspended indefinitely.")
        else:
            text = gettext("Your account is suspended until %(date)s.") % {
                "date": formats.date_format(
                    timezone.localtime(member.suspended_until), "DATETIME_FORMAT"
                )
            }
        text += " " + gettext("You can read, but not post, vote, flag or edit.")
        if member.suspension_reason:
            text += " " + gettext("Reason: %(reason)s") % {"reason": member.suspension_reason}
        return cls(text)
