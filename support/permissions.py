"""Who may escalate and who works the staff queue. Pure predicates."""

from accounts.permissions import is_member, is_moderator
from forum.permissions import can_see_post


def is_support_staff(user) -> bool:
    """Staff work the queue: assign, change status, read it."""
    return is_member(user) and user.is_staff


def can_escalate(user, question) -> bool:
    """The asker or a moderator (staff included) escalates a thread they can see."""
    if not is_member(user) or not can_see_post(user, question):
        return False
    return question.author_id == user.pk or is_moderator(user)


def can_work_escalations(user) -> bool:
    return is_support_staff(user)
