"""Who is calling the API, members' public profiles, and the caller's own account (/me/).

A request is signed in by allauth's `X-Session-Token` header (apps sign in at
/_allauth/app/v1/auth/login and get the token back) or by the site's session cookie (the
site's own JavaScript; CSRF-checked on unsafe methods). Reads also accept nobody at all.

Every router uses `member_auth` for writes and `public_auth` (with `PUBLIC_SECURITY` in
its OpenAPI) for reads. The authenticated member is always on `request.user`. Staff and
moderators held to TANYA_REQUIRE_MFA_FOR_STAFF get 403 "mfa_required" from either scheme.

The members' endpoints (/users/{username}/, /me/) show forum counts and history, so they
are the forum's (forum/member_api.py); accounts imports nothing from the forum.
"""

from collections.abc import Callable

from allauth.headless.contrib.ninja.security import XSessionTokenAuth
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie
from ninja.utils import check_csrf

from accounts.errors import MemberSuspended, MfaRequired
from accounts.models import User
from accounts.permissions import may_write
from accounts.queries import needs_mfa_setup
from core.errors import DomainError

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CsrfFailed(DomainError):
    code, status = "csrf_failed", 403
    message = _("CSRF check failed: send the csrftoken cookie's value in an X-CSRFToken header.")


def _hold_back_suspended(request: HttpRequest, user: User) -> None:
    """A suspended member reads through the API but writes nothing: every unsafe method
    is refused here, 403 "member_suspended", whichever endpoint (accounts.permissions.
    may_write, the same gate every forum action asks). The user row is read per request,
    so a suspension stops an already issued token at once."""
    if request.method not in _SAFE_METHODS and not may_write(user):
        raise MemberSuspended.of(user)


def _hold_back_without_mfa(user: User) -> None:
    """TANYA_REQUIRE_MFA_FOR_STAFF for the API: staff and moderators without a second
    factor get 403 "mfa_required" on every call, reads included, as the web holds them on
    the two-factor page. allauth's own endpoints (where they add one) aren't the API's.

    StaffMFAMiddleware can't see token users: allauth reads the X-Session-Token only here.
    """
    if needs_mfa_setup(user):
        raise MfaRequired()


class SessionTokenAuth(XSessionTokenAuth):
    """allauth's X-Session-Token header (the "app" client's session).

    A token that names no live session is refused (401) rather than read as anonymous, so
    an app learns that its session ended instead of quietly seeing a signed-out forum.
    """

    openapi_in = "header"
    openapi_name = "X-Session-Token"
    then: Callable[[HttpRequest], None] | None = None  # see member_auth_then

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
        _hold_back_without_mfa(user)
        _hold_back_suspended(request, user)
        if self.then is not None:
            self.then(request)
        return user


class SessionCookieAuth(APIKeyCookie):
    """Django's session cookie, with the CSRF check on unsafe methods.

    Only a signed-in session needs the check: without one there is nothing to forge, and
    the request goes on to be refused as anonymous (401) rather than as forged (403).
    """

    param_name = settings.SESSION_COOKIE_NAME
    then: Callable[[HttpRequest], None] | None = None  # see member_auth_then

    def __call__(self, request: HttpRequest) -> User | None:
        return self.authenticate(request, None)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if not request.user.is_authenticated:
            return None
        if request.method not in _SAFE_METHODS and check_csrf(request) is not None:
            raise CsrfFailed()
        # StaffMFAMiddleware already answers these requests; this keeps the API safe if
        # it is ever mounted where the middleware doesn't look.
        _hold_back_without_mfa(request.user)
        _hold_back_suspended(request, request.user)
        if self.then is not None:
            self.then(request)
        return request.user


def anonymous(request: HttpRequest) -> AnonymousUser:
    """The last resort for reads: nobody in particular. Not a security scheme."""
    return AnonymousUser()


session_token_auth = SessionTokenAuth()
session_cookie_auth = SessionCookieAuth()

#: Writes: a member, by token or by session.
member_auth = [session_token_auth, session_cookie_auth]


def member_auth_then(check: Callable[[HttpRequest], None]) -> list:
    """`member_auth`, then `check(request)` for the signed-in member, before django-ninja
    parses the body: a permission check (raising a DomainError, 403) that must come
    before input validation (422), so a member who may not act learns nothing about the
    schema. The same security schemes in the OpenAPI."""
    token, cookie = SessionTokenAuth(), SessionCookieAuth()
    token.then = cookie.then = check
    return [token, cookie]


#: Reads: a member if credentials came, anybody otherwise.
public_auth = [session_token_auth, session_cookie_auth, anonymous]
#: OpenAPI for `public_auth`: the schemes are optional ({} is "no credentials").
PUBLIC_SECURITY = {"security": [{}]}
