"""The member's own account settings. The public profile and the data download show
forum posts, so they are the forum's views (forum/views.py) at the same URLs.

Sign-up, log-in, email addresses, passwords, MFA and connected accounts are allauth's
pages (under /accounts/); the settings page links to each. Thin views: parse with a
form, call one function in accounts/actions.py, pick a response; core/web.py turns domain
errors into form errors (400, or 429 when rate-limited), as STYLE.md section 6 says.
"""

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import actions, language
from accounts.forms import DeleteAccountForm, ProfileForm
from accounts.models import User
from core import web
from core.language import translated_path


def _save_profile(request: HttpRequest, form: ProfileForm) -> User:
    """One action per change the form asks for. The picture goes first: it is the input
    most likely to be refused, and a refusal then leaves everything as it was."""
    member, data = request.user, form.cleaned_data
    if data["avatar"]:
        member = actions.set_avatar(request.user, member, data["avatar"])
    elif data["remove_avatar"]:
        member = actions.remove_avatar(request.user, member)
    return actions.update_profile(
        request.user,
        member,
        display_name=data["display_name"],
        bio=data["bio"],
        language=data["language"],
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    """The member's display name, picture, bio and language, with links to allauth's pages
    for email addresses, password, two-factor authentication and connected accounts."""
    member = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid() and web.submit(form, _save_profile, request, form):
            language.remember(request, form.cleaned_data["language"])
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:settings")
        member.refresh_from_db()
    else:
        form = ProfileForm(
            initial={
                "display_name": member.display_name,
                "bio": member.bio,
                "language": member.language,
            }
        )
    return web.render_form(request, "accounts/settings.html", {"form": form, "member": member})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account_view(request: HttpRequest) -> HttpResponse:
    """Confirm with the password (or, without one, the username), then anonymise the
    account, log out and go home."""
    member = request.user
    if request.method == "POST":
        # A password check is a guess: allauth's reauthentication limit caps the tries.
        if not ratelimit.consume(request, action="reauthenticate", user=member):
            return ratelimit.respond_429(request)
        form = DeleteAccountForm(request.POST, member=member)
        if form.is_valid() and web.submit(form, actions.delete_account, member, member):
            logout(request)
            messages.success(
                request, _("Your account is deleted. Your posts stay, by “deleted user”.")
            )
            return redirect("/")
    else:
        form = DeleteAccountForm(member=member)
    return web.render_form(request, "accounts/delete.html", {"form": form, "member": member})


@require_http_methods(["POST"])
def switch_language_view(request: HttpRequest) -> HttpResponse:
    """The footer's language switcher: remember the language in this browser (as Django's
    set_language did) and go to the same page in it: a Wagtail page's translation when it
    has one, else the same address (core.language.translated_path, docs/i18n.md). A
    member's saved preference is changed on the settings page, not here."""
    code = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if code not in dict(settings.LANGUAGES):
        return redirect(next_url)
    target = translated_path(request, next_url, code)
    language.remember(request, code)
    return redirect(target)
