"""Wagtail admin: deleting a user anonymises them through accounts.actions.delete_account.

Wagtail's own user delete (the user's "Delete" page and the bulk "Delete" action in the
user listing) would hard-delete the row, taking the member's questions, answers, votes
and reputation ledger with it. These hooks take over the confirmed deletion, call the
one write function instead, and say so; the confirmation pages stay Wagtail's.
"""

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.utils import get_valid_next_url_from_request

from accounts import actions
from accounts.admin import act_on_members, delete_accounts_with_messages, suspend_from_admin


@hooks.register("before_delete_user")
def delete_user_keeping_posts(request: HttpRequest, user) -> HttpResponse | None:
    """Wagtail's user delete view runs this on GET (the confirmation page, left alone)
    and on POST (the deletion, done here instead)."""
    if request.method != "POST":
        return None
    delete_accounts_with_messages(request, [user])
    return redirect(get_valid_next_url_from_request(request) or "wagtailusers_users:index")


@hooks.register("before_bulk_action")
def bulk_set_active_state_through_actions(request: HttpRequest, action_type: str, objects, action):
    """The user listing's "Set active state": suspend or reinstate each member through
    accounts.actions, so each change is an audit-log event (Wagtail would UPDATE is_active)."""
    if action_type != "set_active_state" or action.model is not get_user_model():
        return None
    active = action.cleaned_form.cleaned_data["mark_as_active"]
    change = actions.reinstate_member if active else suspend_from_admin
    act_on_members(request, objects, change)
    return redirect(action.next_url)


@hooks.register("before_bulk_action")
def bulk_delete_users_keeping_posts(request: HttpRequest, action_type: str, objects, action):
    if action_type != "delete" or action.model is not get_user_model():
        return None
    delete_accounts_with_messages(request, objects)
    return redirect(action.next_url)
