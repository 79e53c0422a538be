"""Django admin for members. Reputation is shown, never edited: it is a cache of the ledger."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


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
    readonly_fields = ["reputation", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Profile"), {"fields": ["display_name", "first_name", "last_name", "email"]}),
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
