"""Django admin (/django-admin/): the reputation ledger, read-only.

Questions, answers and votes are not registered here: their writes live in forum.actions,
and the Wagtail admin's Community menu is where staff and moderators edit posts through
them. The ledger is append-only, so this listing can't add, change or delete entries.
"""

from django.contrib import admin

from forum.models import ReputationEntry


@admin.register(ReputationEntry)
class ReputationEntryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "user",
        "amount",
        "reason",
        "cause",
        "question",
        "answer",
        "actor",
    ]
    list_filter = ["reason", "cause", "created_at"]
    list_select_related = ["user", "actor", "question", "answer__question"]
    search_fields = ["user__username", "user__display_name"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
