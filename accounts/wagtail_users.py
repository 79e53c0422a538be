"""Wagtail's user editor, without the one field that has an action.

Wagtail's edit form sets `is_active` directly; here suspension goes through
accounts.actions.suspend_member / reinstate_member (the user listing's "Set active
state" bulk action, accounts/wagtail_hooks.py), so it lands in the audit log.
Installed in place of "wagtail.users" through accounts.wagtail_users_app.
"""

from wagtail.users.forms import UserEditForm
from wagtail.users.views.users import UserViewSet


class MemberEditForm(UserEditForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("is_active", None)


class MemberViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return MemberEditForm if for_update else super().get_form_class(for_update)
