"""Who may flag, review and read what moderation keeps. Pure predicates, no queries
beyond the user's permissions."""

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.permissions import can_suspend_member, is_member, is_moderator
from core.errors import DomainError, NotAllowed
from forum.errors import NotEnoughReputation, PostDeleted
from forum.permissions import moderates, write_refusal

__all__ = ["can_suspend_member"]


def can_read_audit_log(user) -> bool:
    """Staff and superusers: the log shows every member's and moderator's actions."""
    return is_member(user) and (user.is_staff or user.is_superuser)


def can_review(user) -> bool:
    """Moderators and staff work the review queue."""
    return is_moderator(user)


def can_review_post(user, post) -> bool:
    """A moderator resolves the review of a post they moderate (a moderator scoped to
    categories, only there: forum.permissions.moderates). Needs the post's question."""
    return moderates(user, post)


def may_flag(user) -> bool:
    """A member from settings.TANYA_FLAG_REPUTATION, or a moderator: whether to offer
    the Flag button at all."""
    return is_moderator(user) or (
        is_member(user) and user.reputation >= settings.TANYA_FLAG_REPUTATION
    )


def flag_refusal(user, post) -> DomainError | None:
    """A member with enough reputation, who may write (not suspended), flags someone
    else's visible post."""
    if refusal := write_refusal(user):
        return refusal
    if not may_flag(user):
        return NotEnoughReputation(
            _("You need %(count)d reputation to flag posts.")
            % {"count": settings.TANYA_FLAG_REPUTATION}
        )
    if post.author_id == user.pk:
        return NotAllowed(_("You can't flag your own post."))
    if not post.is_visible:
        return PostDeleted()
    return None


def flag_weight(user, post) -> float:
    """How much a flag counts towards hiding a post: 1, growing to 2 with the flagger's
    reputation (1 + reputation/1000, at most 2); the flag of a moderator of the post
    (forum.permissions.moderates) is enough on its own."""
    if moderates(user, post):
        return float(settings.TANYA_FLAG_HIDE_WEIGHT)
    return 1.0 + min(user.reputation / 1000, 1.0)
