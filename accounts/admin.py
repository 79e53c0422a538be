"""Django admin for members. Reputation is shown, never edited: it is a cache of the ledger.

Fields that have an action are shown, not edited: the profile (display name, bio,
picture, language) goes through accounts.actions.update_profile and set_avatar on the
member's settings page, and suspension through the "Suspend" and "Reinstate" actions
(accounts.actions.suspend_member, reinstate_member), so each change is an event in the
audit log whichever door it came through.

Deleting a member goes through accounts.actions.delete_account (the "Delete accounts,
keeping their posts" action), never through the admin's own delete, which would either
fail on the member's posts or take them along.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import actions
from accounts.models import User
from core.errors import DomainError

#: The reason the admins' bulk "suspend" gives (they have no form to ask for one); the
#: site's and the API's suspension asks for a reason and an end date.
ADMIN_SUSPENSION_REASON = "Suspended by staff from the admin."


def suspend_from_admin(actor, member):
    """Suspend for good with ADMIN_SUSPENSION_REASON (the admins' bulk actions)."""
    return actions.suspend_member(actor, member, reason=ADMIN_SUSPENSION_REASON)


def act_on_members(request, members, action, success=None) -> int:
    """`action(request.user, member)` for each member; each refusal becomes an error
    message naming the member, and `success(count)`, if given, one success message.
    Returns how many succeeded. Both admins (Django's and Wagtail's,
    accounts/wagtail_hooks.py) use it for every per-member action."""
    done = 0
    for member in members:
        try:
            action(request.user, member)
        except DomainError as error:
            messages.error(request, f"{member}: {error.message}")
        else:
            done += 1
    if done and success is not None:
        messages.success(request, success(done))
    return done


def delete_accounts_with_messages(request, members) -> int:
    """delete_account for each member, as request.user (see act_on_members)."""
    return act_on_members(
        request,
        members,
        actions.delete_account,
        lambda count: (
            ngettext(
                "%(count)d account deleted; its posts now show “deleted user”.",
                "%(count)d accounts deleted; their posts now show “deleted user”.",
                count,
            )
            % {"count": count}
        ),
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "display_name",
        "email",
        "reputation",
        "is_staff",
        "is_active",
        "date_joined",
    ]
    search_fields = ["username", "display_name", "email", "first_name", "last_name"]
    readonly_fields = [
        "reputation",
        "last_login",
        "date_joined",
        "display_name",
        "bio",
        "avatar",
        "language",
        "is_active",
    ]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "display_name",
                    "first_name",
                    "last_name",
                    "email",
                    "bio",
                    "avatar",
                    "language",
                ]
            },
        ),
        (_("Reputation"), {"fields": ["reputation"]}),
        (
            _("Permissions"),
            {
                "fields": [
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ]
            },
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    actions = ["suspend_members", "reinstate_members", "delete_accounts_keeping_posts"]

    def get_actions(self, request):
        found = super().get_actions(request)
        found.pop("delete_selected", None)
        if not request.user.is_superuser:
            found.pop("delete_accounts_keeping_posts", None)
        return found

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    # Unreachable while has_delete_permission says no; should anyone turn it on, the
    # admin's own delete still keeps the posts rather than cascading them away.
    def delete_model(self, request, obj) -> None:
        actions.delete_account(request.user, obj)

    def delete_queryset(self, request, queryset) -> None:
        for member in queryset:
            actions.delete_account(request.user, member)

    @admin.action(description=_("Suspend the selected members"))
    def suspend_members(self, request, queryset):
        self._each(request, queryset, suspend_from_admin, _("%(count)d member(s) suspended."))

    @admin.action(description=_("Reinstate the selected members"))
    def reinstate_members(self, request, queryset):
        self._each(
            request, queryset, actions.reinstate_member, _("%(count)d member(s) reinstated.")
        )

    def _each(self, request, queryset, action, done_message) -> None:
        act_on_members(request, queryset, action, lambda count: done_message % {"count": count})

    @admin.action(description=_("Delete accounts, keeping their posts (erasure request)"))
    def delete_accounts_keeping_posts(self, request, queryset):
        delete_accounts_with_messages(request, queryset)
