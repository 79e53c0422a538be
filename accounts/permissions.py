"""Who is who, and who may change or read which account. Pure predicates, no queries
beyond the user's permissions (which Django caches on the user for the request).

The role predicates (`is_member`, `is_moderator`) live here, with the user they ask
about; forum.permissions and every other app build on them.
"""

from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import DomainError, NotAllowed, NotSignedIn


def is_member(user) -> bool:
    """Signed in with an active account."""
    return bool(user and user.is_authenticated and user.is_active)


def is_moderator(user) -> bool:
    """A member who moderates: staff, superusers and the Moderators group (not while
    suspended)."""
    return is_member(user) and user.is_moderator


def is_suspended(user) -> bool:
    """A signed-in member whose suspension hasn't ended (it ends by date, no job needed)."""
    return is_member(user) and user.is_suspended


def may_write(user) -> bool:
    """The one gate for every write a member makes (post, vote, flag, edit): signed in,
    active and not suspended. forum.permissions.write_refusal says why not, and the API's
    authentication refuses unsafe methods with it (accounts/api.py)."""
    return is_member(user) and not user.is_suspended


def can_edit_profile(user, member: User) -> bool:
    """The member themself; a moderator (to clear an abusive name, bio or picture) for
    anyone who isn't staff; a superuser for anyone."""
    if not is_member(user):
        return False
    if user.pk == member.pk or user.is_superuser:
        return True
    return is_moderator(user) and not (member.is_staff or member.is_superuser)


def can_delete_account(user, member: User) -> bool:
    """The member themself, or a superuser acting on an erasure request."""
    return is_member(user) and (user.pk == member.pk or user.is_superuser)


def can_export_account_data(user, member: User) -> bool:
    """The member themself, or a superuser answering an access request."""
    return is_member(user) and (user.pk == member.pk or user.is_superuser)


def can_suspend_member(user, member: User) -> bool:
    """Staff and moderators (the Moderators group, scoped or not: a suspension is
    site-wide) suspend and reinstate others: staff anyone but superusers (a superuser
    anyone else), a moderator only members who are neither staff nor moderators."""
    if not is_moderator(user) or user.pk == member.pk:
        return False
    if user.is_superuser:
        return True
    if member.is_superuser:
        return False
    if user.is_staff:
        return True
    return not (member.is_staff or member.has_perm("forum.moderate_forum"))


def suspension_refusal(user, member: User, *, lifting: bool = False) -> DomainError | None:
    """Why `user` may not suspend `member` (or lift the suspension), or None: the one
    check accounts.actions and the API's permission-first gate ask."""
    if not is_member(user):
        return NotSignedIn()
    if can_suspend_member(user, member):
        return None
    if lifting:
        return NotAllowed(_("Only staff and moderators can reinstate members."))
    return NotAllowed(
        _("Only staff and moderators can suspend members, and not themselves or staff.")
    )
