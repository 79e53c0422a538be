"""Who may read what moderation keeps. Pure predicates."""


def can_read_audit_log(user) -> bool:
    """Staff and superusers: the log shows every member's and moderator's actions."""
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))
