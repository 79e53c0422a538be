"""The knowledge base in the Wagtail admin: three reports, two buttons and the articles'
listing with their helpfulness (registered in wagtail_hooks.py).

The reports only read (kb.queries). The buttons post to `promote_question_admin_view`
and `mark_reviewed_admin_view`, which call kb.actions and turn a refusal into an error
message. Publishing an article is Wagtail's own editor and workflow.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import ExpressionWrapper, F, FloatField
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import BaseColumn, Column, DateColumn, NumberColumn, TitleColumn
from wagtail.admin.views.pages.listing import IndexView as PageIndexView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.pages import PageListingViewSet

from core.errors import DomainError
from forum.models import Question
from kb import actions, permissions, queries
from kb.models import ArticlePage


def _edit_url(article_id: int) -> str:
    return reverse("wagtailadmin_pages:edit", args=[article_id])


class _TemplateColumn(BaseColumn):
    """A column whose cell is a kb template given the row as `instance` (and, for the
    cells with a button, the CSRF token the standalone cell template can't see)."""

    def __init__(self, name, template_name: str, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = template_name

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["csrf_token"] = get_token(parent_context["request"])
        return context


class _KnowledgeBaseReport(ReportView):
    """Reports for people who may manage the knowledge base (kb.permissions)."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not permissions.can_manage_knowledge_base(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


# --- Source changed ---------------------------------------------------------------------


class SourceChangedReportView(_KnowledgeBaseReport):
    page_title = gettext_lazy("Knowledge base: source changed")
    header_icon = "warning"
    index_url_name = "kb_admin:source_changed"
    index_results_url_name = "kb_admin:source_changed_results"
    default_ordering = "-stale_since"
    columns = [
        TitleColumn(
            "title",
            label=gettext_lazy("Article"),
            accessor="article.title",
            get_url=lambda review: _edit_url(review.article_id),
        ),
        Column("reason", label=gettext_lazy("What changed"), accessor="stale_reason"),
        DateColumn("stale_since", label=gettext_lazy("Changed"), sort_key="stale_since"),
        DateColumn(
            "last_reviewed_at", label=gettext_lazy("Last reviewed"), sort_key="last_reviewed_at"
        ),
        _TemplateColumn(
            "diff", "kb/admin/diff_cell.html", label=gettext_lazy("Since the last review")
        ),
        _TemplateColumn("review", "kb/admin/review_cell.html", label=""),
    ]

    def get_base_queryset(self):
        return queries.stale_articles()

    def decorate_paginated_queryset(self, object_list):
        return queries.attach_source_diffs(list(object_list))


# --- Promotion candidates ---------------------------------------------------------------


class PromotionCandidatesReportView(_KnowledgeBaseReport):
    page_title = gettext_lazy("Knowledge base: promotion candidates")
    header_icon = "doc-full-inverse"
    index_url_name = "kb_admin:candidates"
    index_results_url_name = "kb_admin:candidates_results"
    default_ordering = "-score"
    columns = [
        TitleColumn(
            "title",
            label=gettext_lazy("Question"),
            get_url=lambda question: question.get_absolute_url(),
        ),
        Column("category", label=gettext_lazy("Category"), accessor="category.title"),
        Column(
            "answered_by",
            label=gettext_lazy("Accepted answer by"),
            accessor="accepted_answer.author.name",
        ),
        NumberColumn("score", label=gettext_lazy("Votes"), sort_key="score"),
        NumberColumn("view_count", label=gettext_lazy("Views"), sort_key="view_count"),
        NumberColumn("answer_count", label=gettext_lazy("Answers"), sort_key="answer_count"),
        DateColumn("accepted_at", label=gettext_lazy("Solved"), sort_key="accepted_at"),
        _TemplateColumn("promote", "kb/admin/promote_cell.html", label=""),
    ]

    def get_base_queryset(self):
        return queries.promotion_candidates()

    def order_queryset(self, queryset):
        # A stable order under pagination: ties broken by the newest question.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "-pk")


# --- Least helpful ----------------------------------------------------------------------


class LeastHelpfulReportView(_KnowledgeBaseReport):
    page_title = gettext_lazy("Knowledge base: least helpful articles")
    header_icon = "arrow-down"
    index_url_name = "kb_admin:least_helpful"
    index_results_url_name = "kb_admin:least_helpful_results"
    default_ordering = "helpful_share"
    columns = [
        TitleColumn(
            "title", label=gettext_lazy("Article"), get_url=lambda article: _edit_url(article.pk)
        ),
        NumberColumn("helpful_yes", label=gettext_lazy("Helpful"), sort_key="helpful_yes"),
        NumberColumn("helpful_no", label=gettext_lazy("Not helpful"), sort_key="helpful_no"),
        _TemplateColumn(
            "helpful_share",
            "kb/admin/share_cell.html",
            label=gettext_lazy("Helpful share"),
            sort_key="helpful_share",
        ),
        _TemplateColumn(
            "comments", "kb/admin/comments_cell.html", label=gettext_lazy("Latest comments")
        ),
    ]

    def get_base_queryset(self):
        share = ExpressionWrapper(
            F("helpful_yes") * 1.0 / F("helpful_total"), output_field=FloatField()
        )
        return queries.least_helpful_articles().annotate(helpful_share=share)

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "-helpful_no", "pk")

    def decorate_paginated_queryset(self, object_list):
        return queries.attach_latest_comments(list(object_list))


# --- Buttons ----------------------------------------------------------------------------


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
def promote_question_admin_view(request: HttpRequest, question_id: int) -> HttpResponse:
    """The candidates report's Promote button: opens the new (or existing) draft."""
    question = get_object_or_404(Question, pk=question_id)
    try:
        article = actions.promote_question(request.user, question)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_next_url(request, reverse("kb_admin:candidates")))
    messages.success(
        request,
        _("“%(title)s” is a draft in the knowledge base. Edit it, then publish it.")
        % {"title": article.title},
    )
    return redirect(_edit_url(article.pk))


@require_POST
def mark_reviewed_admin_view(request: HttpRequest, article_id: int) -> HttpResponse:
    """The source-changed report's "Mark reviewed" button."""
    article = get_object_or_404(ArticlePage.objects.defer_streamfields(), pk=article_id)
    try:
        actions.mark_reviewed(request.user, article)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("“%(title)s” is marked as reviewed.") % {"title": article.title}
        )
    return redirect(_next_url(request, reverse("kb_admin:source_changed")))


# --- The articles' listing --------------------------------------------------------------


class ArticleIndexView(PageIndexView):
    """Wagtail's flat page listing for articles, with their helpfulness votes."""

    def annotate_queryset(self, pages):
        return super().annotate_queryset(queries.with_helpfulness(pages))


class ArticleListingViewSet(PageListingViewSet):
    model = ArticlePage
    index_view_class = ArticleIndexView
    icon = "doc-full"
    menu_label = gettext_lazy("Articles")
    menu_order = 160
    add_to_admin_menu = True
    name = "kb_articles"
    columns = [
        *PageIndexView.base_columns,
        NumberColumn(
            "helpful_yes", label=gettext_lazy("Helpful"), sort_key="helpful_yes", width="8%"
        ),
        NumberColumn(
            "helpful_no", label=gettext_lazy("Not helpful"), sort_key="helpful_no", width="8%"
        ),
    ]
