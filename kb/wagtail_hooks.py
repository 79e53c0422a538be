"""Wagtail admin wiring: the knowledge-base reports (in the Reports menu), their buttons'
URLs, and the "Articles" listing with helpfulness columns."""

from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from kb import admin_views, permissions


class _KnowledgeBaseMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return permissions.can_manage_knowledge_base(request.user)


_admin_urls = [
    path("source-changed/", admin_views.SourceChangedReportView.as_view(), name="source_changed"),
    path(
        "source-changed/results/",
        admin_views.SourceChangedReportView.as_view(results_only=True),
        name="source_changed_results",
    ),
    path("candidates/", admin_views.PromotionCandidatesReportView.as_view(), name="candidates"),
    path(
        "candidates/results/",
        admin_views.PromotionCandidatesReportView.as_view(results_only=True),
        name="candidates_results",
    ),
    path("least-helpful/", admin_views.LeastHelpfulReportView.as_view(), name="least_helpful"),
    path(
        "least-helpful/results/",
        admin_views.LeastHelpfulReportView.as_view(results_only=True),
        name="least_helpful_results",
    ),
    path(
        "promote/<int:question_id>/",
        admin_views.promote_question_admin_view,
        name="promote",
    ),
    path(
        "articles/<int:article_id>/reviewed/",
        admin_views.mark_reviewed_admin_view,
        name="mark_reviewed",
    ),
]


@hooks.register("register_admin_urls")
def register_kb_admin_urls():
    return [path("kb/", include((_admin_urls, "kb_admin"), namespace="kb_admin"))]


@hooks.register("register_admin_viewset")
def register_article_listing():
    return admin_views.ArticleListingViewSet()


@hooks.register("register_reports_menu_item")
def register_source_changed_report():
    return _KnowledgeBaseMenuItem(
        _("Knowledge base: source changed"),
        reverse("kb_admin:source_changed"),
        name="kb-source-changed",
        icon_name="warning",
        order=1300,
    )


@hooks.register("register_reports_menu_item")
def register_candidates_report():
    return _KnowledgeBaseMenuItem(
        _("Knowledge base: promotion candidates"),
        reverse("kb_admin:candidates"),
        name="kb-candidates",
        icon_name="doc-full-inverse",
        order=1310,
    )


@hooks.register("register_reports_menu_item")
def register_least_helpful_report():
    return _KnowledgeBaseMenuItem(
        _("Knowledge base: least helpful"),
        reverse("kb_admin:least_helpful"),
        name="kb-least-helpful",
        icon_name="arrow-down",
        order=1320,
    )


@hooks.register("insert_global_admin_css")
def kb_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("kb/admin.css"))
