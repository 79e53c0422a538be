"""The knowledge base's JSON API: promoting a solved question (mounted by config/api.py).

Like every write endpoint, it fetches the question and calls one action; refusals are the
action's domain errors, answered by the one handler in config/api.py.
"""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Path, Router, Schema

from accounts.api import member_auth
from config.schemas import MAX_ID, RETRY_AFTER, error_responses
from forum.models import Question
from kb import actions
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
