"""Pure predicates: who may do what. No side effects, no queries beyond the user's perms.

Reputation thresholds come from settings.TANYA_PRIVILEGES; staff and moderators bypass them.
"""

from django.conf import settings

from accounts.permissions import is_member, is_moderator
from forum.models import Answer, Comment, Question


def _privilege(name: str) -> int:
    return settings.TANYA_PRIVILEGES[name]


def has_reputation(user, privilege: str) -> bool:
    return is_moderator(user) or (is_member(user) and user.reputation >= _privilege(privilege))


def can_view_question(user, question: Question) -> bool:
    return question.deleted_at is None or is_moderator(user)


def can_ask_question(user) -> bool:
    return is_member(user)


def can_answer_question(user, question: Question) -> bool:
    return is_member(user) and question.deleted_at is None


def can_vote_up(user) -> bool:
    return has_reputation(user, "VOTE_UP")


def can_vote_down(user) -> bool:
    return has_reputation(user, "VOTE_DOWN")


def can_comment_on(user, post: Question | Answer) -> bool:
    if not is_member(user):
        return False
    if post.author_id == user.pk:
        return True
    if isinstance(post, Answer) and post.question.author_id == user.pk:
        return True  # the asker can always reply under answers to their own question
    return has_reputation(user, "COMMENT")


def can_edit_post(user, post: Question | Answer) -> bool:
    if not is_member(user):
        return False
    return post.author_id == user.pk or has_reputation(user, "EDIT_OTHERS")


def can_delete_post(user, post: Question | Answer) -> bool:
    return is_member(user) and (post.author_id == user.pk or is_moderator(user))


def can_restore_post(user, post: Question | Answer) -> bool:
    return is_moderator(user)


def can_delete_comment(user, comment: Comment) -> bool:
    return is_member(user) and (comment.author_id == user.pk or is_moderator(user))


def can_accept_answer(user, question: Question) -> bool:
    return is_member(user) and (question.author_id == user.pk or is_moderator(user))


def can_verify_answer(user, question: Question) -> bool:
    return is_moderator(user)


def can_change_state(user, question: Question) -> bool:
    return is_moderator(user)


def can_view_revisions(user, post: Question | Answer) -> bool:
    return post.deleted_at is None or is_moderator(user)
