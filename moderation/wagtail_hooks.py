"""Wagtail admin wiring for moderation: the audit log in the Reports menu, the review
queue in the main menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from moderation import admin_views, permissions, views


class _AuditLogMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return permissions.can_read_audit_log(request.user)


class _ReviewQueueMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return permissions.can_review(request.user)


_admin_urls = [
    path("audit-log/", admin_views.AuditLogView.as_view(), name="audit_log"),
    path(
        "audit-log/results/",
        admin_views.AuditLogView.as_view(results_only=True),
        name="audit_log_results",
    ),
    path("queue/", admin_views.review_queue_view, name="queue"),
    path("reviews/<int:review_id>/resolve/", views.resolve_view, name="resolve"),
]


@hooks.register("register_admin_urls")
def register_moderation_admin_urls():
    return [
        path(
            "moderation/", include((_admin_urls, "moderation_admin"), namespace="moderation_admin")
        )
    ]


@hooks.register("register_reports_menu_item")
def register_audit_log():
    return _AuditLogMenuItem(
        _("Audit log"), reverse("moderation_admin:audit_log"), icon_name="history", order=900
    )


@hooks.register("register_admin_menu_item")
def register_review_queue():
    return _ReviewQueueMenuItem(
        _("Review queue"), reverse("moderation_admin:queue"), icon_name="warning", order=250
    )
