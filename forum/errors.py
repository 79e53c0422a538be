"""The forum's domain errors, deriving from core.errors.DomainError.

The generic ones (NotAllowed, NotSignedIn, InvalidInput, RateLimited) live in core and are
re-exported here, so forum code keeps importing every refusal it raises from one place.
Other apps import the generic errors from core.errors.
"""

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError, InvalidInput, NotAllowed, NotSignedIn, RateLimited

__all__ = [
    "AnswerNotInQuestion",
    "DomainError",
    "DuplicatePost",
    "InvalidInput",
    "LooksLikeSpam",
    "NotAllowed",
    "NotEnoughReputation",
    "NotSignedIn",
    "NothingAccepted",
    "OwnPost",
    "PostDeleted",
    "QuestionClosed",
    "QuestionLocked",
    "RateLimited",
    "TooManyLinks",
    "WrongVisibility",
]


class NotEnoughReputation(DomainError):
    code, status = "not_enough_reputation", 403
    message = _("You need more reputation to do that.")


class QuestionLocked(DomainError):
    code, status, message = "question_locked", 409, _("This question is locked by a moderator.")


class QuestionClosed(DomainError):
    code, status, message = "question_closed", 409, _("This question is closed to new answers.")


class PostDeleted(DomainError):
    code, status, message = "post_deleted", 409, _("This post has been deleted.")


class WrongVisibility(DomainError):
    """A moderator's move that doesn't start where the post is (unhide a held post, approve
    a hidden one): a conflict with its state, not a question of who may."""

    code, status = "wrong_visibility", 409
    message = _("That post is not in review.")


class OwnPost(DomainError):
    code, status, message = "own_post", 403, _("You can't vote on your own post.")


class AnswerNotInQuestion(DomainError):
    code, status = "answer_not_in_question", 400
    message = _("That answer belongs to another question.")


class NothingAccepted(DomainError):
    code, status, message = "nothing_accepted", 409, _("No answer has been accepted yet.")


class TooManyLinks(DomainError):
    code, status = "too_many_links", 422
    message = _("New members can include only a few links in a post.")


class DuplicatePost(DomainError):
    code, status = "duplicate_post", 409
    message = _("You posted exactly this a moment ago. Please don't post the same text twice.")


class LooksLikeSpam(DomainError):
    code, status = "looks_like_spam", 422
    message = _("This post looks like spam, so it was not published.")
