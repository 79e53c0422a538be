"""Who is who, and who may change or read which account. Pure predicates, no queries
beyond the user's permissions (which Django caches on the user for the request).

The role predicates (`is_member`, `is_moderator`) live here, with the user they ask
about; forum.permissions and every other app build on them.
"""

from accounts.models import User


def is_member(user) -> bool:
    """Signed in with an active account."""
    return bool(user and user.is_authenticated and user.is_active)


def is_moderator(user) -> bool:
    """A member who moderates: staff, superusers and the Moderators group."""
    return is_member(user) and user.is_moderator


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
    """Staff, for anyone but themselves and superusers (a superuser for anyone else)."""
    if not (is_member(user) and user.is_staff) or user.pk == member.pk:
        return False
    return user.is_superuser or not member.is_superuser
