"""wagtail.users with Tanya's user viewset (accounts/wagtail_users.py). A module of its
own: INSTALLED_APPS imports it before the app registry is ready, so it can't import forms."""

from wagtail.users.apps import WagtailUsersAppConfig


class TanyaUsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "accounts.wagtail_users.MemberViewSet"
