"""Pure predicates: who may do what. No side effects, no queries beyond the user's perms.

Reputation thresholds come from settings.TANYA_PRIVILEGES; staff and moderators bypass them.
"""

from django.conf import settings

from forum.models import AUTHOR_SEES, Answer, Comment, Question, Visibility


def _privilege(name: str) -> int:
    return settings.TANYA_PRIVILEGES[name]


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_moderator(user) -> bool:
    return is_member(user) and user.is_moderator


def has_reputation(user, privilege: str) -> bool:
    return is_moderator(user) or (is_member(user) and user.reputation >= _privilege(privilege))


def can_see_post(user, post: Question | Answer | Comment) -> bool:
    """Whether `user` may see `post`: the one predicate, saying of one post what
    `PostQuerySet.visible_to` says of many (an answer needs its question loaded, a
    comment its post).

    Visible posts are for everyone; held and hidden ones also for their author (shown
    with a notice) and for moderators and staff (shown with their state); deleted ones
    for moderators and staff only, and deleted comments for nobody.
    """
    if is_moderator(user):
        return not (isinstance(post, Comment) and post.visibility == Visibility.DELETED)
    chain = [post]
    if isinstance(post, Comment):
        chain.append(post.post)
    if isinstance(chain[-1], Answer):
        chain.append(chain[-1].question)
    return all(
        item.visibility == Visibility.VISIBLE
        or (item.visibility in AUTHOR_SEES and is_member(user) and item.author_id == user.pk)
        for item in chain
    )


def can_ask_question(user) -> bool:
    return is_member(user)


def can_answer_question(user, question: Question) -> bool:
    return is_member(user) and question.is_visible


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
    return can_see_post(user, post)
