"""Django admin (/django-admin/): the periodic jobs' state, read-only, so staff see a job
that keeps failing (its last error) or is running (started_at) beside the task results
django-tasks-db lists. Pending and failed event deliveries are in the audit log's
"Reactions still pending" filter (moderation), webhook deliveries on each endpoint's page."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.models import PeriodicRun


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ["name", "last_run_at", "started_at", "failing", "last_error"]
    ordering = ["name"]

    @admin.display(boolean=True, description=_("failing"))
    def failing(self, run: PeriodicRun) -> bool:
        return bool(run.last_error)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
