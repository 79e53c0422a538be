"""Wagtail admin wiring for the staff reports: three entries in the Reports menu."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from reports import admin_views, permissions


class _ReportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return permissions.can_read_reports(request.user)


_admin_urls = [
    path("responsiveness/", admin_views.ResponsivenessReport.as_view(), name="responsiveness"),
    path("self-service/", admin_views.SelfServiceReport.as_view(), name="self_service"),
    path("community/", admin_views.CommunityReport.as_view(), name="community"),
]


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("staff-reports/", include((_admin_urls, "reports"), namespace="reports"))]


@hooks.register("register_reports_menu_item")
def register_responsiveness():
    return _ReportMenuItem(
        _("Responsiveness"), reverse("reports:responsiveness"), icon_name="time", order=100
    )


@hooks.register("register_reports_menu_item")
def register_self_service():
    return _ReportMenuItem(
        _("Self-service"), reverse("reports:self_service"), icon_name="help", order=110
    )


@hooks.register("register_reports_menu_item")
def register_community():
    return _ReportMenuItem(
        _("Community"), reverse("reports:community"), icon_name="group", order=120
    )
