"""The members and tags directories and the privileges help page: read-only pages, thin
views over forum/directories.py and forum/privileges.py."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from forum import directories, privileges


@require_GET
def member_directory(request: HttpRequest) -> HttpResponse:
    """`/members/`: members by reputation, newest or name, searchable by name."""
    context = directories.directory_page(request, kind="members")
    return render(request, "forum/members.html", context)


@require_GET
def tag_directory(request: HttpRequest) -> HttpResponse:
    """`/tags/`: tags on public questions by popularity or name, searchable by name."""
    context = directories.directory_page(request, kind="tags")
    return render(request, "forum/tags.html", context)


@require_GET
def privileges_page(request: HttpRequest) -> HttpResponse:
    """`/privileges/`: what each reputation threshold allows and how reputation is earned;
    for a member, how far they are from the next one."""
    context = {
        "privileges": privileges.privileges(),
        "earnings": privileges.earnings(),
        "rules": privileges.rules(),
        "progress": privileges.progress(request.user),
    }
    return render(request, "forum/privileges.html", context)
