"""Wagtail admin: deleting a user anonymises them through accounts.actions.delete_account.

Wagtail's own user delete (the user's "Delete" page and the bulk "Delete" action in the
user listing) would hard-delete the row, taking the member's questions, answers, votes
and reputation ledger with it. These hooks take over the confirmed deletion, call the
one write function instead, and say so; the confirmation pages stay Wagtail's.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.utils import get_valid_next_url_from_request

from accounts import actions
from forum.errors import DomainError


def _delete(request: HttpRequest, members) -> int:
    """delete_account for each member; refusals become error messages. The count done."""
    deleted = 0
    for member in members:
        try:
            actions.delete_account(request.user, member)
        except DomainError as error:
            messages.error(request, f"{member}: {error.message}")
        else:
            deleted += 1
    if deleted:
        messages.success(
            request,
            ngettext(
                "%(count)d account deleted; its posts now show “deleted user”.",
                "%(count)d accounts deleted; their posts now show “deleted user”.",
                deleted,
            )
            % {"count": deleted},
        )
    return deleted


@hooks.register("before_delete_user")
def delete_user_keeping_posts(request: HttpRequest, user) -> HttpResponse | None:
    """Wagtail's user delete view runs this on GET (the confirmation page, left alone)
    and on POST (the deletion, done here instead)."""
    if request.method != "POST":
        return None
    _delete(request, [user])
    return redirect(get_valid_next_url_from_request(request) or "wagtailusers_users:index")


@hooks.register("before_bulk_action")
def bulk_delete_users_keeping_posts(request: HttpRequest, action_type: str, objects, action):
    if action_type != "delete" or action.model is not get_user_model():
        return None
    _delete(request, objects)
    return redirect(action.next_url)
