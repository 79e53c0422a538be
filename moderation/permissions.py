"""Who may read what moderation keeps. Pure predicates."""

from accounts.permissions import is_member


def can_read_audit_log(user) -> bool:
    """Staff and superusers: the log shows every member's and moderator's actions."""
    return is_member(user) and (user.is_staff or user.is_superuser)
