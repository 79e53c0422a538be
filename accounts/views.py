"""Member pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from forum import queries


@require_GET
def profile(request: HttpRequest, username: str) -> HttpResponse:
    """A member's public profile: reputation and its history, post counts; never the email."""
    member = queries.member_profile(username)
    context = {
        "member": member,
        "history": list(queries.reputation_history(member, limit=30)),
    }
    return render(request, "accounts/profile.html", context)
