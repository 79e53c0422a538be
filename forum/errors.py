"""Domain errors: a stable machine-readable code, an HTTP status and a human message.

Every write function raises one of these for a refused permission or a broken rule; the
web views, the API and the admin each map them in one place.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status = 400
    message = _("That can't be done.")

    def __init__(self, message: str | None = None, *, field: str | None = None):
        self.message = message or self.message
        self.field = field  # lets a form view attach the error to one input
        super().__init__(str(self.message))


class NotAllowed(DomainError):
    code, status, message = "not_allowed", 403, _("You can't do that.")


class NotSignedIn(DomainError):
    code, status, message = "not_signed_in", 401, _("Please log in first.")


class NotEnoughReputation(DomainError):
    code, status = "not_enough_reputation", 403
    message = _("You need more reputation to do that.")


class InvalidInput(DomainError):
    code, status, message = "invalid", 422, _("Please correct the highlighted field.")


class QuestionLocked(DomainError):
    code, status, message = "question_locked", 409, _("This question is locked by a moderator.")


class QuestionClosed(DomainError):
    code, status, message = "question_closed", 409, _("This question is closed to new answers.")


class PostDeleted(DomainError):
    code, status, message = "post_deleted", 409, _("This post has been deleted.")


class OwnPost(DomainError):
    code, status, message = "own_post", 403, _("You can't vote on your own post.")


class AnswerNotInQuestion(DomainError):
    code, status = "answer_not_in_question", 400
    message = _("That answer belongs to another question.")


class NothingAccepted(DomainError):
    code, status, message = "nothing_accepted", 409, _("No answer has been accepted yet.")


class RateLimited(DomainError):
    code, status = "rate_limited", 429
    message = _("You're doing that too often. Please wait a little and try again.")

    def __init__(self, message: str | None = None, *, retry_after: int = 60):
        self.retry_after = retry_after
        super().__init__(message)
