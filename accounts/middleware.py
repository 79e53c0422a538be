"""Guards on how people sign in.

`LoginLockoutMiddleware` turns allauth's "too many failed login attempts" (a form error
on the site, a 400 in the headless API) into a 429 with Retry-After, like every other
rate limit.

`AdminLoginMiddleware` sends the Wagtail and Django admin login pages to allauth's, so
the one way in is the one with MFA, passkeys and rate limits. `StaffMFAMiddleware`
holds staff and moderators without a second factor on allauth's pages until they set
one up, when TANYA_REQUIRE_MFA_FOR_STAFF is on.
"""

import json
from functools import cache

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from accounts.adapters import LOCKED_OUT_ATTR
from accounts.queries import needs_mfa_setup

# Views a member who must set up MFA may still reach: allauth's own (log out, email
# addresses, password, MFA itself, the headless API the site's JavaScript could use),
# the language switcher, and media files in development.
_ALLOWED_VIEW_MODULES = ("allauth.", "django.views.i18n", "django.views.static")


@cache
def _admin_logins() -> dict[str, str]:
    """Each admin's login path, and where to go after logging in when nothing says."""
    return {
        reverse("wagtailadmin_login"): reverse("wagtailadmin_home"),
        reverse("admin:login"): reverse("admin:index"),
    }


class AdminLoginMiddleware:
    """/admin/login/ and /django-admin/login/ log in with a password alone, skipping
    allauth's MFA stage and rate limits; send visitors to allauth's login instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        home = _admin_logins().get(request.path_info)
        if home is None:
            return self.get_response(request)
        if request.user.is_authenticated:
            # Signed in but not let into the admin: sending them to log in again would
            # bounce between allauth and the admin for ever.
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or home, reverse("account_login"))


def _may_pass(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    view = getattr(match.func, "view_class", match.func)
    return view.__module__.startswith(_ALLOWED_VIEW_MODULES)


def _is_api(request: HttpRequest) -> bool:
    try:
        return "api" in resolve(request.path_info).namespaces
    except Resolver404:
        return False


class StaffMFAMiddleware:
    """Staff and moderators without TOTP or WebAuthn go to the two-factor page first.

    Checked on every request, not only at log-in, so it also catches a member promoted
    while signed in and one who removes their last authenticator. The JSON API answers
    403 with code "mfa_required" instead of redirecting.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not needs_mfa_setup(request.user) or _may_pass(request):
            return self.get_response(request)
        message = _("Staff and moderators must set up two-factor authentication first.")
        if _is_api(request):
            return JsonResponse({"code": "mfa_required", "message": message}, status=403)
        target = reverse("mfa_index")
        if request.htmx:
            return HttpResponseClientRedirect(target)
        messages.warning(request, message)
        return redirect(target)


class LoginLockoutMiddleware:
    """A login refused by the failed-login limit (accounts.adapters marks the request) is
    answered 429 with Retry-After: the site's login page still shows its form and the
    message, the headless API its JSON error (with "status": 429)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        retry_after = getattr(request, LOCKED_OUT_ATTR, None)
        if retry_after is None or response.status_code not in (200, 400):
            return response
        response.status_code = 429
        response.reason_phrase = "Too Many Requests"
        response["Retry-After"] = str(retry_after)
        if response.get("Content-Type", "").startswith("application/json"):
            body = json.loads(response.content)
            if isinstance(body, dict) and "status" in body:
                body["status"] = 429
                response.content = json.dumps(body)
        return response
