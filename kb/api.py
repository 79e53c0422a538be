"""The knowledge base's JSON API (mounted by config/api.py): published articles for
anyone to read, and promoting a solved question for staff.

Like every write endpoint, promotion fetches the question and calls one action; refusals
are the action's domain errors, answered by the one handler in config/api.py. The reads
use kb.queries, as the pages do: only live, public articles.
"""

from datetime import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema

from accounts.api import PUBLIC_SECURITY, member_auth, public_auth
from core.schemas import MAX_ID, NO_NUL, RETRY_AFTER, error_responses
from forum.models import Question
from kb import actions, queries
from kb.models import ArticlePage

router = Router(tags=["knowledge base"], auth=member_auth)


class PromotedArticleOut(Schema):
    """The article a promotion made (or found: promoting again returns the same one)."""

    id: int
    title: str
    live: bool
    question_id: int
    edit_url: str
    url: str | None

    @staticmethod
    def resolve_question_id(article: ArticlePage) -> int:
        return article.source_question_id

    @staticmethod
    def resolve_edit_url(article: ArticlePage, context: dict) -> str:
        path = reverse("wagtailadmin_pages:edit", args=[article.pk])
        return context["request"].build_absolute_uri(path)

    @staticmethod
    def resolve_url(article: ArticlePage, context: dict) -> str | None:
        return article.get_full_url(context["request"]) if article.live else None


@router.post(
    "/questions/{question_id}/promote/",
    response={200: PromotedArticleOut, **error_responses(400, 401, 403, 404, 409, 422, 429)},
    openapi_extra=RETRY_AFTER,
    summary="Promote a solved question to the knowledge base",
)
def promote_question_endpoint(
    request: HttpRequest,
    question_id: int = Path(..., ge=1, le=MAX_ID, description="The question's id."),
):
    """Staff (or members with `kb.promote_question`) turn a solved question into a draft
    knowledge-base article, to edit and publish in Wagtail. Idempotent."""
    question = get_object_or_404(Question, pk=question_id)
    return actions.promote_question(request.user, question)


# --- Reading the knowledge base ---------------------------------------------------------

READ_ERRORS = error_responses(401, 403, 404, 422)


class ArticleCategoryOut(Schema):
    id: int
    slug: str
    title: str


class ArticleSummaryOut(Schema):
    """A published article as lists show it."""

    id: int
    title: str
    summary: str
    url: str
    category: ArticleCategoryOut | None
    tags: list[str]
    is_faq: bool
    first_published: datetime | None = Field(alias="first_published_at")
    last_reviewed: datetime | None
    source_question_id: int | None
    helpful_yes: int
    helpful_no: int

    @staticmethod
    def resolve_url(article: ArticlePage, context: dict) -> str:
        return article.get_full_url(context["request"])

    @staticmethod
    def resolve_source_question_id(article: ArticlePage) -> int | None:
        # Only a thread everyone may see (kb.queries._api_articles annotates it).
        return article.source_question_id if getattr(article, "source_public", False) else None

    @staticmethod
    def resolve_tags(article: ArticlePage) -> list[str]:
        return [tag.name for tag in article.tags.all()]

    @staticmethod
    def resolve_last_reviewed(article: ArticlePage) -> datetime | None:
        review = getattr(article, "review", None) if article.pk else None
        return review.last_reviewed_at if review is not None else None


class ArticleOut(ArticleSummaryOut):
    """One article with its body (sanitized HTML and plain text) and its credits."""

    body_html: str
    body_text: str
    credited: list[str] = Field(description="Usernames of the members whose answer it is.")

    @staticmethod
    def resolve_body_html(article: ArticlePage) -> str:
        return str(article.body)

    @staticmethod
    def resolve_body_text(article: ArticlePage) -> str:
        return queries.article_body_text(article)

    @staticmethod
    def resolve_credited(article: ArticlePage) -> list[str]:
        return [member.username for member in article.credited.all()]


class ArticlePageOut(Schema):
    items: list[ArticleSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class ArticleFilters(Schema):
    category: str = Field(
        None, max_length=255, pattern=NO_NUL, description="A category's id or slug."
    )
    faq: bool = Field(None, description="Only articles on the FAQ page (or only others).")
    cursor: str = Field(
        None, max_length=512, pattern=NO_NUL, description="`next_cursor` of the page before."
    )


@router.get(
    "/kb/articles/",
    response={200: ArticlePageOut, **READ_ERRORS},
    auth=public_auth,
    openapi_extra=PUBLIC_SECURITY,
    summary="List published knowledge-base articles",
)
def list_articles_endpoint(request: HttpRequest, filters: Query[ArticleFilters]):
    """Published articles, newest first, 20 a page."""
    page = queries.article_list(category=filters.category, faq=filters.faq, cursor=filters.cursor)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.get(
    "/kb/articles/{article_id}/",
    response={200: ArticleOut, **READ_ERRORS},
    auth=public_auth,
    openapi_extra=PUBLIC_SECURITY,
    summary="Read a knowledge-base article",
)
def read_article_endpoint(
    request: HttpRequest,
    article_id: int = Path(..., ge=1, le=MAX_ID, description="The article's id."),
):
    article = queries.published_article(article_id)
    if article is None:
        raise Http404(_("There is no such article."))
    return article
