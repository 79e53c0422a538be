"""Two guards on how staff sign in.

`AdminLoginMiddleware` sends the Wagtail and Django admin login pages to allauth's, so
the one way in is the one with MFA, passkeys and rate limits. `StaffMFAMiddleware`
holds staff and moderators without a second factor on allauth's pages until they set
one up, when TANYA_REQUIRE_MFA_FOR_STAFF is on.
"""

from functools import cache

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

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
