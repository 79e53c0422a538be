"""Domain errors: a stable machine-readable code, an HTTP status and a human message.

Every write function raises one of these for a refused permission or a broken rule. Each
app keeps its own errors (forum/errors.py, kb/errors.py, ...) deriving from `DomainError`;
the generic ones every app needs live here. Callers map them in their own layer: the API
in config/api.py, the site through core/web.py, the admin with message_user. All of them
describe a refusal with the one body `error_body` builds.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status = 400
    message = _("That can't be done.")

    def __init__(self, message: str | None = None, *, field: str | None = None):
        self.message = message or self.message
        self.field = field  # lets a form view attach the error to one input
        # Not str(): the message is translated when it is shown (str(error) still gives
        # it). The question page asks forum.permissions for hundreds of refusals per
        # render only to know whether there is one (docs/performance.md).
        super().__init__(self.message)


class NotAllowed(DomainError):
    code, status, message = "not_allowed", 403, _("You can't do that.")


class NotSignedIn(DomainError):
    code, status, message = "not_signed_in", 401, _("Please log in first.")


class InvalidInput(DomainError):
    code, status, message = "invalid", 422, _("Please correct the highlighted field.")


class NotFound(DomainError):
    code, status, message = "not_found", 404, _("Not found.")


class TooLarge(DomainError):
    code, status, message = "too_large", 413, _("The request body is too large.")


class RateLimited(DomainError):
    code, status = "rate_limited", 429
    message = _("You're doing that too often. Please wait a little and try again.")

    def __init__(self, message: str | None = None, *, retry_after: int = 60):
        self.retry_after = retry_after
        super().__init__(message)


def error_body(error: DomainError) -> dict[str, str]:
    """The one body describing a refusal: {"code", "message"}, and "field" when the error
    names the input it is about. The API sends it as JSON; the site's htmx refusals carry
    it in their HX-Trigger header, so a script sees the same code as an API client."""
    body = {"code": error.code, "message": str(error.message)}
    if error.field:
        body["field"] = error.field
    return body
