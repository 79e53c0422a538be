"""Accounts' event verbs (docs/ARCHITECTURE.md, "Events")."""

from django.utils.translation import gettext_lazy as _

from core import events

PROFILE_UPDATED = "member.profile_updated"
AVATAR_CHANGED = "member.avatar_changed"
AVATAR_REMOVED = "member.avatar_removed"
MEMBER_DELETED = "member.deleted"
MEMBER_SUSPENDED = "member.suspended"
MEMBER_REINSTATED = "member.reinstated"

events.declare(
    {
        PROFILE_UPDATED: _("updated a profile"),
        AVATAR_CHANGED: _("changed a profile picture"),
        AVATAR_REMOVED: _("removed a profile picture"),
        MEMBER_DELETED: _("deleted an account"),
        MEMBER_SUSPENDED: _("suspended a member"),
        MEMBER_REINSTATED: _("reinstated a member"),
    }
)
