"""Flagging through the JSON API (mounted by config/api.py):
`POST /api/v1/{questions,answers,comments}/{id}/flags/`.

Each endpoint fetches the post the caller can see (else 404, as for a post that doesn't
exist) and calls moderation.actions.flag_post; its refusals go through the one handler in
config/api.py: 403 below the reputation threshold or on one's own post, 409 when already
flagged or the post is no longer visible, 422 for an unknown reason or a missing note,
429 with Retry-After past the rate limit.
"""

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema, Status

from accounts.api import member_auth
from core.schemas import MAX_ID, RETRY_AFTER, error_responses, text
from forum.models import Answer, Comment, Question
from forum.permissions import can_see_post
from moderation import actions
from moderation.actions import NOTE_MAX
from moderation.models import Flag, Reason

router = Router(tags=["moderation"], auth=member_auth)


class FlagIn(Schema):
    reason: str = text(
        max_length=20, description="One of: " + ", ".join(Reason.values) + '. "other" needs a note.'
    )
    note: str = text("", max_length=NOTE_MAX * 2, description="What is wrong (needed for other).")


class FlagOut(Schema):
    id: int
    review: int
    reason: str
    note: str
    created_at: str

    @staticmethod
    def resolve_review(flag: Flag) -> int:
        return flag.review_id

    @staticmethod
    def resolve_created_at(flag: Flag) -> str:
        return flag.created_at.isoformat()


RESPONSES = {201: FlagOut, **error_responses(400, 401, 403, 404, 409, 422, 429)}


def _path_id(name: str):
    return Path(..., ge=1, le=MAX_ID, description=f"The {name}'s id.")


def _flag(request: HttpRequest, post, payload: FlagIn):
    if not can_see_post(request.user, post):
        raise Http404
    flag = actions.flag_post(request.user, post, reason=payload.reason, note=payload.note)
    return Status(201, flag)


@router.post(
    "/questions/{question_id}/flags/",
    response=RESPONSES,
    openapi_extra=RETRY_AFTER,
    summary="Flag a question",
)
def flag_question_endpoint(
    request: HttpRequest, payload: FlagIn, question_id: int = _path_id("question")
):
    """Members from the flag reputation (TANYA_FLAG_REPUTATION) flag someone else's post."""
    return _flag(request, get_object_or_404(Question, pk=question_id), payload)


@router.post(
    "/answers/{answer_id}/flags/",
    response=RESPONSES,
    openapi_extra=RETRY_AFTER,
    summary="Flag an answer",
)
def flag_answer_endpoint(
    request: HttpRequest, payload: FlagIn, answer_id: int = _path_id("answer")
):
    """Members from the flag reputation (TANYA_FLAG_REPUTATION) flag someone else's post."""
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    return _flag(request, answer, payload)


@router.post(
    "/comments/{comment_id}/flags/",
    response=RESPONSES,
    openapi_extra=RETRY_AFTER,
    summary="Flag a comment",
)
def flag_comment_endpoint(
    request: HttpRequest, payload: FlagIn, comment_id: int = _path_id("comment")
):
    """Members from the flag reputation (TANYA_FLAG_REPUTATION) flag someone else's post."""
    comment = get_object_or_404(
        Comment.objects.select_related("question", "answer__question"), pk=comment_id
    )
    return _flag(request, comment, payload)
