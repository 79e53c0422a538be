"""Who is calling the API, and members' public profiles.

A request is signed in by allauth's `X-Session-Token` header (apps sign in at
/_allauth/app/v1/auth/login and get the token back) or by the site's session cookie (the
site's own JavaScript; CSRF-checked on unsafe methods). Reads also accept nobody at all.

Every router uses `member_auth` for writes and `public_auth` (with `PUBLIC_SECURITY` in
its OpenAPI) for reads. The authenticated member is always on `request.user`.
"""

from datetime import datetime

from allauth.headless.contrib.ninja.security import XSessionTokenAuth
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Path, Router, Schema
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf

from accounts.models import User
from config.schemas import error_responses
from forum import queries
from forum.errors import DomainError

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CsrfFailed(DomainError):
    code, status = "csrf_failed", 403
    message = _("CSRF check failed: send the csrftoken cookie's value in an X-CSRFToken header.")


class SessionTokenAuth(XSessionTokenAuth):
    """allauth's X-Session-Token header (the "app" client's session).

    A token that names no live session is refused (401) rather than read as anonymous, so
    an app learns that its session ended instead of quietly seeing a signed-out forum.
    """

    openapi_in = "header"
    openapi_name = "X-Session-Token"

    def __call__(self, request: HttpRequest) -> User | None:
        token = self.get_session_token(request)
        if not token:
            return None
        # A session key is short and printable; anything else can't name a session, and a
        # NUL would make PostgreSQL refuse the lookup outright.
        if len(token) > 256 or not token.isprintable():
            raise AuthenticationError()
        user = super().__call__(request)
        if user is None:
            raise AuthenticationError()
        request.user = user
        return user


class SessionCookieAuth(APIKeyCookie):
    """Django's session cookie, with the CSRF check on unsafe methods.

    Only a signed-in session needs the check: without one there is nothing to forge, and
    the request goes on to be refused as anonymous (401) rather than as forged (403).
    """

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> User | None:
        return self.authenticate(request, None)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if not request.user.is_authenticated:
            return None
        if request.method not in _SAFE_METHODS and check_csrf(request) is not None:
            raise CsrfFailed()
        return request.user


def anonymous(request: HttpRequest) -> AnonymousUser:
    """The last resort for reads: nobody in particular. Not a security scheme."""
    return AnonymousUser()


session_token_auth = SessionTokenAuth()
session_cookie_auth = SessionCookieAuth()

#: Writes: a member, by token or by session.
member_auth = [session_token_auth, session_cookie_auth]
#: Reads: a member if credentials came, anybody otherwise.
public_auth = [session_token_auth, session_cookie_auth, anonymous]
#: OpenAPI for `public_auth`: the schemes are optional ({} is "no credentials").
PUBLIC_SECURITY = {"security": [{}]}


# --- Profiles ---------------------------------------------------------------------------

router = Router(tags=["members"])


class ProfileOut(Schema):
    """A member's public face. Never the email address."""

    username: str
    display_name: str
    reputation: int
    member_since: datetime
    question_count: int
    answer_count: int
    accepted_count: int
    is_staff: bool
    is_moderator: bool

    @staticmethod
    def resolve_display_name(user: User) -> str:
        return user.name

    @staticmethod
    def resolve_member_since(user: User) -> datetime:
        return user.date_joined


Username = Path(..., max_length=150, pattern=r"^[\w.@+-]+$")


@router.get(
    "/users/{username}/",
    response={200: ProfileOut, **error_responses(401, 404, 422)},
    auth=public_auth,
    openapi_extra=PUBLIC_SECURITY,
)
def member_profile_endpoint(request: HttpRequest, username: str = Username):
    return queries.member_profile(username)
