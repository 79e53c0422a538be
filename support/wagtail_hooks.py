"""The staff queue in the Wagtail admin menu (it is the site's page, /support/queue/)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from support import permissions


class _QueueMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return permissions.can_work_escalations(request.user)


@hooks.register("register_admin_menu_item")
def register_staff_queue():
    return _QueueMenuItem(_("Staff queue"), reverse("support:queue"), icon_name="help", order=250)
