"""Pure predicates: who may do what. No side effects, no queries beyond the user's perms.

Reputation thresholds come from settings.TANYA_PRIVILEGES; staff and moderators bypass them.

Each write the question page offers has a `<verb>_refusal(user, ...)` that returns the
domain error the action raises, or None when it may go ahead; the action raises that
refusal, and `can_<verb>_...` (what templates ask, through forum_tags) is "no refusal",
so a button shows exactly when its action would succeed. Only the rules that depend on
what the caller sends (a vote's value, an answer's question) stay in the action. A
refusal is None, not an error, when repeating a completed action is a no-op, so the
action can return quietly; the `can_` predicate then says False (there is nothing to do).
"""

from django.conf import settings
from django.utils.translation import gettext as _

from accounts.errors import MemberSuspended
from accounts.permissions import is_member, is_moderator, is_suspended, may_write
from forum.errors import (
    DomainError,
    NotAllowed,
    NotEnoughReputation,
    NothingAccepted,
    NotSignedIn,
    OwnPost,
    PostDeleted,
    QuestionClosed,
    QuestionLocked,
    WrongVisibility,
)
from forum.models import (
    AUTHOR_SEES,
    Answer,
    CategoryModerator,
    CategoryPage,
    Comment,
    Question,
    Visibility,
    Vote,
)

__all__ = ["is_member", "is_moderator", "is_suspended", "may_write"]


def _privilege(name: str) -> int:
    return settings.TANYA_PRIVILEGES[name]


def has_reputation(user, privilege: str) -> bool:
    return is_moderator(user) or (is_member(user) and user.reputation >= _privilege(privilege))


def _is_author(user, post) -> bool:
    return is_member(user) and post.author_id == user.pk


def _question_of(post: Question | Answer) -> Question:
    return post if isinstance(post, Question) else post.question


# --- Writing at all and moderating ----------------------------------------------------


def write_refusal(user) -> DomainError | None:
    """Why `user` may not write at all: not signed in, or suspended (with until when and
    why). Every refusal below starts here, so every forum write, and every button, obeys
    the same `accounts.permissions.may_write`."""
    if not is_member(user):
        return NotSignedIn()
    if not may_write(user):
        return MemberSuspended.of(user)
    return None


SCOPE_CACHE = "_tanya_moderated_category_ids"


def moderated_category_ids(user) -> frozenset[int]:
    """The categories a moderator is scoped to (empty: everywhere). One query per user
    object, remembered on it like Django's permission cache."""
    if not hasattr(user, SCOPE_CACHE):
        ids = CategoryModerator.objects.filter(user_id=user.pk).values_list(
            "category_id", flat=True
        )
        setattr(user, SCOPE_CACHE, frozenset(ids))
    return getattr(user, SCOPE_CACHE)


def moderation_scope(user) -> frozenset[int] | None:
    """Where a moderator moderates: None for everywhere (staff, superusers, unscoped
    members of the Moderators group), else the ids of their categories. Ask only of a
    moderator (`is_moderator`)."""
    if user.is_staff or user.is_superuser:
        return None
    return moderated_category_ids(user) or None


def moderates(user, target) -> bool:
    """Whether `user` moderates `target`: a question, answer or comment (by its question's
    category) or a category. Staff and superusers moderate everywhere; a member of the
    Moderators group everywhere unless scoped to categories (forum.CategoryModerator),
    then only there. The one predicate every moderator action and button asks."""
    if not is_moderator(user):
        return False
    scopes = moderation_scope(user)
    if scopes is None:
        return True
    if isinstance(target, CategoryPage):
        category_id = target.pk
    else:
        if isinstance(target, Comment):
            target = target.post
        category_id = _question_of(target).category_id
    return category_id in scopes


# --- Seeing -----------------------------------------------------------------------------


def can_see_post(user, post: Question | Answer | Comment) -> bool:
    """Whether `user` may see `post`: the one predicate, saying of one post what
    `PostQuerySet.visible_to` says of many (an answer needs its question loaded, a
    comment its post).

    Visible posts are for everyone; held and hidden ones also for their author (shown
    with a notice) and for moderators and staff (shown with their state); deleted ones
    for moderators and staff only, and deleted comments for nobody. A private question,
    its answers and its comments are for its asker, moderators and staff only. "Moderators"
    means those who moderate the post (`moderates`): a moderator scoped to categories
    reads every other category as a member does.
    """
    if moderates(user, post):
        return not (isinstance(post, Comment) and post.visibility == Visibility.DELETED)
    chain = [post]
    if isinstance(post, Comment):
        chain.append(post.post)
    if isinstance(chain[-1], Answer):
        chain.append(chain[-1].question)
    if chain[-1].is_private and not _is_author(user, chain[-1]):
        return False
    return all(
        item.visibility == Visibility.VISIBLE
        or (item.visibility in AUTHOR_SEES and _is_author(user, item))
        for item in chain
    )


def can_view_revisions(user, post: Question | Answer) -> bool:
    return can_see_post(user, post)


# --- Asking, answering, editing ---------------------------------------------------------


def can_ask_question(user) -> bool:
    return write_refusal(user) is None


def _open_for_posts_refusal(user, question: Question) -> DomainError | None:
    if not question.is_visible:
        return PostDeleted()
    if question.is_locked and not moderates(user, question):
        return QuestionLocked()
    return None


def answer_question_refusal(user, question: Question) -> DomainError | None:
    if refusal := write_refusal(user):
        return refusal
    if refusal := _open_for_posts_refusal(user, question):
        return refusal
    if question.is_closed:
        return QuestionClosed()
    return None


def can_answer_question(user, question: Question) -> bool:
    return answer_question_refusal(user, question) is None


def edit_post_refusal(user, post: Question | Answer) -> DomainError | None:
    """The author, or anyone with the edit privilege, edits a visible post on a question
    that isn't locked (moderators edit locked ones)."""
    if refusal := write_refusal(user):
        return refusal
    if not (post.author_id == user.pk or has_reputation(user, "EDIT_OTHERS")):
        return NotAllowed(_("You can edit only your own posts until you earn more reputation."))
    if refusal := _open_for_posts_refusal(user, _question_of(post)):
        return refusal
    if not post.is_visible:
        return PostDeleted()
    return None


def can_edit_post(user, post: Question | Answer) -> bool:
    return edit_post_refusal(user, post) is None


# --- Deleting and restoring -------------------------------------------------------------


def delete_post_refusal(user, post: Question | Answer) -> DomainError | None:
    """The author or a moderator deletes a visible post. An answer's question must be
    visible too (a deleted question's grants come back as a whole on restore)."""
    if refusal := write_refusal(user):
        return refusal
    if not (post.author_id == user.pk or moderates(user, post)):
        return NotAllowed()
    if post.is_deleted:
        return None  # deleting again is a no-op
    if not post.is_visible:
        return PostDeleted()
    question = _question_of(post)
    if isinstance(post, Answer) and not question.is_visible:
        return PostDeleted()
    if question.is_locked and not moderates(user, question):
        return QuestionLocked()
    return None


def can_delete_post(user, post: Question | Answer) -> bool:
    return not post.is_deleted and delete_post_refusal(user, post) is None


def restore_post_refusal(user, post: Question | Answer) -> DomainError | None:
    """A moderator restores a deleted post; an answer only while its question is visible.
    A question merged into another stays where the merge put it."""
    if refusal := write_refusal(user):
        return refusal
    if not moderates(user, post):
        return NotAllowed()
    if not post.is_deleted:
        return None  # nothing to restore: a no-op
    if isinstance(post, Question) and post.is_merged:
        return NotAllowed(_("This question was merged into another; it can't be restored."))
    if isinstance(post, Answer) and not post.question.is_visible:
        return PostDeleted()
    return None


def can_restore_post(user, post: Question | Answer) -> bool:
    return post.is_deleted and restore_post_refusal(user, post) is None


# --- Comments ---------------------------------------------------------------------------


def _may_comment_by_reputation(user, post: Question | Answer) -> bool:
    if post.author_id == user.pk:
        return True
    if isinstance(post, Answer) and post.question.author_id == user.pk:
        return True  # the asker can always reply under answers to their own question
    return has_reputation(user, "COMMENT")


def comment_refusal(user, post: Question | Answer) -> DomainError | None:
    """A member comments on a visible post of an open or closed question: always on
    their own posts (and answers to their own question), elsewhere from the privilege."""
    if refusal := write_refusal(user):
        return refusal
    if isinstance(post, Answer) and not post.is_visible:
        return PostDeleted()
    if refusal := _open_for_posts_refusal(user, _question_of(post)):
        return refusal
    if not _may_comment_by_reputation(user, post):
        return NotEnoughReputation(
            _("You need %(count)d reputation to comment on other people's posts.")
            % {"count": _privilege("COMMENT")}
        )
    return None


def can_comment_on(user, post: Question | Answer) -> bool:
    return comment_refusal(user, post) is None


def delete_comment_refusal(user, comment: Comment) -> DomainError | None:
    """The comment's author or a moderator removes a comment they can see (not one under
    a post that is no longer visible to them); again is a no-op. Needs the comment's post
    loaded."""
    if refusal := write_refusal(user):
        return refusal
    if not (comment.author_id == user.pk or moderates(user, comment)):
        return NotAllowed()
    if comment.is_deleted:
        return None  # deleting again is a no-op
    if not can_see_post(user, comment):
        return PostDeleted()
    return None


def can_delete_comment(user, comment: Comment) -> bool:
    return not comment.is_deleted and delete_comment_refusal(user, comment) is None


# --- Votes ------------------------------------------------------------------------------


def can_vote_up(user) -> bool:
    return has_reputation(user, "VOTE_UP")


def can_vote_down(user) -> bool:
    return has_reputation(user, "VOTE_DOWN")


def vote_refusal(user, post: Question | Answer, value: int = Vote.NONE) -> DomainError | None:
    """A member votes on someone else's visible post on an unlocked question; up and
    down need their privileges, a retraction (0) nothing more."""
    if refusal := write_refusal(user):
        return refusal
    question = _question_of(post)
    if not (question.is_visible and post.is_visible):
        return PostDeleted()
    if question.is_locked:
        return QuestionLocked()
    if post.author_id == user.pk:
        return OwnPost()
    if value == Vote.UP and not can_vote_up(user):
        return NotEnoughReputation(
            _("You need %(count)d reputation to vote up.") % {"count": _privilege("VOTE_UP")}
        )
    if value == Vote.DOWN and not can_vote_down(user):
        return NotEnoughReputation(
            _("You need %(count)d reputation to vote down.") % {"count": _privilege("VOTE_DOWN")}
        )
    return None


def can_vote_on(user, post: Question | Answer, value: int = Vote.NONE) -> bool:
    return vote_refusal(user, post, value) is None


# --- Accepting and verifying ------------------------------------------------------------


def _owns_question_or_moderates(user, question: Question) -> bool:
    return is_member(user) and (question.author_id == user.pk or moderates(user, question))


def accept_answer_refusal(
    user, question: Question, answer: Answer | None = None
) -> DomainError | None:
    """The asker, a moderator or staff accepts a visible answer to a visible question
    that isn't locked (moderators accept on locked ones); only they replace a verified
    acceptance. Without `answer`, the rules that hold for any answer."""
    if refusal := write_refusal(user):
        return refusal
    if not _owns_question_or_moderates(user, question):
        return NotAllowed(_("Only the asker or a moderator can accept an answer."))
    if refusal := _open_for_posts_refusal(user, question):
        return refusal
    if answer is None:
        return None
    if not answer.is_visible:
        return PostDeleted()
    if question.accepted_answer_id == answer.pk:
        return None  # accepting again is a no-op (or, for a moderator, a verification)
    if question.verified_by_id is not None and not moderates(user, question):
        return NotAllowed(_("A moderator verified this solution; ask one to change it."))
    return None


def can_accept_answer(user, question: Question, answer: Answer) -> bool:
    return (
        answer.pk != question.accepted_answer_id
        and answer.question_id == question.pk
        and accept_answer_refusal(user, question, answer) is None
    )


def unaccept_answer_refusal(user, question: Question) -> DomainError | None:
    """The asker or a moderator withdraws an acceptance on a visible question that isn't
    locked (moderators on locked ones too); only a moderator a verified one."""
    if refusal := write_refusal(user):
        return refusal
    if not _owns_question_or_moderates(user, question):
        return NotAllowed(_("Only the asker or a moderator can change the accepted answer."))
    if refusal := _open_for_posts_refusal(user, question):
        return refusal
    if question.accepted_answer_id is None:
        return None  # nothing to withdraw: a no-op
    if question.verified_by_id and not moderates(user, question):
        return NotAllowed(_("A moderator verified this solution; ask one to change it."))
    return None


def can_unaccept_answer(user, question: Question) -> bool:
    return (
        question.accepted_answer_id is not None and unaccept_answer_refusal(user, question) is None
    )


def verify_answer_refusal(user, question: Question) -> DomainError | None:
    """Staff or a moderator confirms the accepted answer of a visible question."""
    if refusal := write_refusal(user):
        return refusal
    if not moderates(user, question):
        return NotAllowed()
    if not question.is_visible:
        return PostDeleted()
    if question.accepted_answer_id is None:
        return NothingAccepted()
    return None


def can_verify_answer(user, question: Question) -> bool:
    return not question.is_verified and verify_answer_refusal(user, question) is None


# --- Moderating -------------------------------------------------------------------------


def moderate_refusal(user, target) -> DomainError | None:
    """A moderator of `target` (a post or a category) who may write; else why not."""
    if refusal := write_refusal(user):
        return refusal
    if not moderates(user, target):
        return NotAllowed(_("Only a moderator of this category can do that."))
    return None


def scope_moderators_refusal(user) -> DomainError | None:
    """Staff and superusers scope moderators to categories (forum/actions/scopes.py)."""
    if refusal := write_refusal(user):
        return refusal
    if not (user.is_staff or user.is_superuser):
        return NotAllowed(_("Only staff can change which categories a moderator moderates."))
    return None


def can_change_state(user, question: Question) -> bool:
    return moderate_refusal(user, question) is None


def can_moderate(user, question: Question) -> bool:
    """Whether the question page shows `user` its moderator tools."""
    return moderate_refusal(user, question) is None


def change_privacy_refusal(user, question: Question) -> DomainError | None:
    """Staff and moderators make a question private or public again (the asker chooses
    only when asking)."""
    if refusal := write_refusal(user):
        return refusal
    if not moderates(user, question):
        return NotAllowed(_("Only staff and moderators can change who may see a question."))
    return None


def can_change_privacy(user, question: Question) -> bool:
    return change_privacy_refusal(user, question) is None


# --- Visibility (forum/actions/visibility.py) -------------------------------------------
# Moderators and staff only. A refusal is None when the post is already in the target
# state (repeating is a no-op); the `can_` predicate then says False.


def _visibility_refusal(user, post, allowed_from: tuple[str, ...], target: str):
    if refusal := moderate_refusal(user, post):
        return refusal
    if post.visibility == target:
        return None
    if post.visibility not in allowed_from:
        if post.is_deleted:
            return PostDeleted()
        return WrongVisibility(_where_the_post_is(post))
    return None


def _where_the_post_is(post) -> str:
    """What a moderator is told when a move doesn't start where the post is."""
    if post.is_held:
        return _("This post is waiting for approval: approve or remove it in the review queue.")
    if post.is_hidden:
        return _("This post is hidden: unhide it or remove it in the review queue.")
    return _("This post is visible; it is not in review.")


def hide_post_refusal(user, post: Question | Answer | Comment) -> DomainError | None:
    """A moderator hides a visible post."""
    return _visibility_refusal(user, post, (Visibility.VISIBLE,), Visibility.HIDDEN)


def unhide_post_refusal(user, post: Question | Answer | Comment) -> DomainError | None:
    """A moderator makes a hidden post visible again."""
    return _visibility_refusal(user, post, (Visibility.HIDDEN,), Visibility.VISIBLE)


def hold_post_refusal(user, post: Question | Answer | Comment) -> DomainError | None:
    """A moderator holds a visible post for review."""
    return _visibility_refusal(user, post, (Visibility.VISIBLE,), Visibility.HELD)


def approve_post_refusal(user, post: Question | Answer | Comment) -> DomainError | None:
    """A moderator approves a held post."""
    return _visibility_refusal(user, post, (Visibility.HELD,), Visibility.VISIBLE)


def remove_post_refusal(user, post: Question | Answer | Comment) -> DomainError | None:
    """A moderator deletes a held or hidden post (one under review)."""
    return _visibility_refusal(user, post, AUTHOR_SEES, Visibility.DELETED)


def can_hide_post(user, post) -> bool:
    return post.is_visible and hide_post_refusal(user, post) is None


def can_unhide_post(user, post) -> bool:
    return post.is_hidden and unhide_post_refusal(user, post) is None


def can_approve_post(user, post) -> bool:
    return post.is_held and approve_post_refusal(user, post) is None
