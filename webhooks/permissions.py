"""Who manages webhooks: staff with the model's permissions (superusers have them all)."""

from accounts.permissions import is_member


def can_manage_webhooks(user) -> bool:
    return is_member(user) and user.is_staff and user.has_perm("webhooks.change_endpoint")
