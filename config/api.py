"""The one NinjaAPI: routers from each app, the error handlers, and the per-IP write limit.

Mounted at /api/v1/ (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs). Every
refusal has the body {"code", "message"} (422 adds "errors"), whoever raised it: a domain
error from an action, ninja's input validation, a failed lookup, or authentication.
"""

from collections.abc import Callable
from functools import wraps

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from core import ratelimit
from core.errors import (
    DomainError,
    InvalidInput,
    NotAllowed,
    NotFound,
    NotSignedIn,
    RateLimited,
    TooLarge,
    error_body,
)
from forum import api as forum_api
from forum import member_api
from forum import moderation_api as forum_moderation_api
from kb import api as kb_api
from moderation import api as moderation_api
from notifications import api as notifications_api
from search import api as search_api

api = NinjaAPI(
    title="Tanya",
    version="1",
    urls_namespace="api",
    description=(
        "The forum's JSON API. Sign in at /_allauth/app/v1/auth/login and send the "
        "session token you get back as the X-Session-Token header; the site's own pages "
        "may use the session cookie with an X-CSRFToken header instead. Reads need no "
        "sign-in."
    ),
)

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def check_ip_writes(request: HttpRequest) -> None:
    """Count one API write from the request's IP; RateLimited once the window is spent.

    Sits in front of the per-member limits in the actions, so one address can't make
    writes faster than TANYA_API_IP_WRITES allows whichever accounts it uses, or none.
    """
    ip = get_adapter().get_client_ip(request)
    ratelimit.limit("api-ip", [ip], rate=settings.TANYA_API_IP_WRITES)


def _limit_writes_per_ip(run: Callable) -> Callable:
    # A "view" decorator runs before authentication and parsing, so refused and invalid
    # writes count too; ninja's error handling hasn't started yet, hence on_exception.
    @wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in _SAFE_METHODS:
            try:
                check_ip_writes(request)
            except (RateLimited, PermissionDenied) as error:
                return api.on_exception(request, error)
        return run(request, *args, **kwargs)

    return wrapper


api.add_decorator(_limit_writes_per_ip, mode="view")
api.add_router("/", forum_api.router)
api.add_router("/", member_api.router)
api.add_router("/", forum_moderation_api.router)
api.add_router("/", kb_api.router)
api.add_router("/", search_api.router)
api.add_router("/", notifications_api.router)
api.add_router("/", moderation_api.router)


def _refusal(request: HttpRequest, error: DomainError, **extra) -> HttpResponse:
    response = api.create_response(request, {**error_body(error), **extra}, status=error.status)
    if isinstance(error, RateLimited):
        response["Retry-After"] = str(error.retry_after)
    return response


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    extra = {}
    if error.status == 422 and error.field:
        extra["errors"] = [
            {"loc": ["body", error.field], "message": str(error.message), "type": error.code}
        ]
    return _refusal(request, error, **extra)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors = [
        {
            "loc": _location(item.get("loc", ())),
            "message": str(item.get("msg", "")),
            "type": str(item.get("type", "")),
        }
        for item in error.errors
    ]
    refusal = InvalidInput(_("Please correct the highlighted fields."))
    return _refusal(request, refusal, errors=errors)


def _location(loc: tuple) -> list[str | int]:
    """ninja's ("body", "payload", "title") as ["body", "title"]: `payload` is only our name
    for the body parameter, so clients never see it."""
    parts = [part if isinstance(part, int) else str(part) for part in loc]
    if parts[:2] == ["body", "payload"]:
        del parts[1]
    return parts


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _refusal(request, NotFound(str(error) if error.args else None))


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    return _refusal(request, TooLarge())


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return domain_error(request, NotSignedIn())


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return _refusal(request, NotAllowed(str(error) or None))


_HTTP_CODES = {400: "bad_request", 401: "not_signed_in", 403: "not_allowed", 404: "not_found"}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    # ninja raises these itself; with JSON bodies only, its 400 means one that isn't JSON.
    refusal = DomainError(
        _("The request body is not valid JSON.") if error.status_code == 400 else error.message
    )
    refusal.code = _HTTP_CODES.get(error.status_code, "error")
    refusal.status = error.status_code
    return _refusal(request, refusal)
