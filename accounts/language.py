"""A member's language preference, applied when they log in and when they save it.

The preference becomes Django's language cookie, which LocaleMiddleware reads on every
request. So, from most to least important: the member's saved choice (applied at each
log-in and each save), a choice made with the footer's language switcher since then
(this browser only, until the next log-in), then the browser's Accept-Language.
`MemberLanguageMiddleware` writes the cookie on the way out, since signal receivers and
actions have no response to write it on.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

# The cookie outlives the browser session, as a "remember me" log-in does; Django's
# default (LANGUAGE_COOKIE_AGE = None) would drop it when the browser closes.
YEAR = 365 * 24 * 60 * 60


def remember(request: HttpRequest, language: str) -> None:
    """Use `language` from now on in this browser (blank: the browser's own choice)."""
    request.member_language = language
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language


def apply_on_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """django.contrib.auth's user_logged_in receiver: every log-in, whichever page or
    API it came through (allauth's pages and app API, a social provider, a passkey)."""
    language = getattr(user, "language", "")
    if request is not None and language:
        remember(request, language)


class MemberLanguageMiddleware:
    """Writes the language cookie that `remember` asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        language = getattr(request, "member_language", None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE or YEAR,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        elif language == "":
            response.delete_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
