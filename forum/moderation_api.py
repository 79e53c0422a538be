"""The moderator actions in the API, for moderator apps (docs/moderation-actions.md).

Each endpoint fetches what it names (404 when it doesn't exist) and calls the same
function in forum.actions (or accounts.actions) the site's moderator tools call; the
refusals are those actions' domain errors, turned into JSON by config/api.py: 401 not
signed in (400 a body that is not JSON), 403 not a moderator of this category (or
suspended), 409 a deleted or already
merged question, 422 bad input.
"""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Router, Schema
from pydantic import ConfigDict, Field

from accounts import actions as account_actions
from accounts.api import member_auth_then
from accounts.models import User
from accounts.permissions import suspension_refusal
from core.schemas import MAX_ID, RETRY_AFTER, BodyId, error_responses, text
from forum import actions, queries
from forum.actions.moderation import REASON_MAX
from forum.actions.shared import refuse
from forum.models import Answer, CloseReason, Comment, Question
from forum.permissions import moderate_refusal


def _named_id(value) -> int | None:
    text = str(value)
    if text.isascii() and text.isdigit() and len(text) <= 18 and 1 <= int(text) <= MAX_ID:
        return int(text)
    return None


def _moderated_post(kwargs: dict) -> Answer | Comment | None:
    """The answer or comment named in the path, with what `moderates` reads."""
    if "answer_id" in kwargs:
        pk = _named_id(kwargs["answer_id"])
        rows = Answer.objects.select_related("question")
    else:
        pk = _named_id(kwargs["comment_id"])
        rows = Comment.objects.select_related("question", "answer__question")
    return rows.filter(pk=pk).first() if pk is not None else None


def permission_first(request: HttpRequest) -> None:
    """The permission check before django-ninja parses the body (accounts.api.
    member_auth_then): a member who doesn't moderate the question named in the path, or
    may not suspend the member named, gets 403 whatever the body, not a 422 describing
    the schema. The action checks again (it is the one place the rules live); this
    asks the same predicates. A target that doesn't exist is left to the endpoint (404).
    The question it reads is kept on the request for the endpoint."""
    match = request.resolver_match
    kwargs = match.kwargs if match is not None else {}
    if "question_id" in kwargs:
        pk = _named_id(kwargs["question_id"])
        question = Question.objects.filter(pk=pk).first() if pk is not None else None
        if question is not None:
            request.moderated_question = question
            refuse(moderate_refusal(request.user, question))
    elif "answer_id" in kwargs or "comment_id" in kwargs:
        post = _moderated_post(kwargs)
        if post is not None:
            request.moderated_post = post
            refuse(moderate_refusal(request.user, post))
    elif "username" in kwargs:
        member = User.objects.filter(username=str(kwargs["username"])[:150]).first()
        if member is not None:
            lifting = request.method == "DELETE"
            refuse(suspension_refusal(request.user, member, lifting=lifting))


router = Router(tags=["moderation"], auth=member_auth_then(permission_first))

# 400: a body that is not JSON (config/api.py answers it before any validation).
ERRORS = error_responses(400, 401, 403, 404, 409, 422, 429)


def _post(path: str, out: object, method: str = "POST"):
    return router.api_operation(
        [method], path, response={200: out, **ERRORS}, openapi_extra=RETRY_AFTER
    )


def _question_id():
    return Path(..., ge=1, le=MAX_ID, description="The question's id.")


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


Note = text("", max_length=REASON_MAX, description="Why, for the audit log.")


class NoteIn(_In):
    note: str = Note


class CloseIn(_In):
    reason: Literal[tuple(CloseReason.values)] = Field(description="Why it is closed.")
    duplicate_of: BodyId | None = Field(
        None, description='The original question\'s id, for reason "duplicate".'
    )
    note: str = Note


class MoveIn(_In):
    category: BodyId | str = Field(description="The category's id or slug.")
    note: str = Note


class MergeIn(_In):
    into: BodyId = Field(description="The id of the original question.")
    note: str = Note


class SuspensionIn(_In):
    reason: str = text(min_length=1, max_length=500, description="Shown to the member.")
    until: datetime | None = Field(None, description="When it ends; null: for good.")


class ReinstateIn(_In):
    reason: str = text("", max_length=500)


class ModeratedQuestionOut(Schema):
    id: int
    state: Literal["open", "closed", "locked"]
    close_reason: str = Field(description='"" when open, else one of the close reasons.')
    duplicate_of: int | None = Field(alias="duplicate_of_id")
    merged_into: int | None = Field(alias="merged_into_id")
    category: int = Field(alias="category_id")
    is_pinned: bool
    url: str = Field(alias="get_absolute_url")

    model_config = ConfigDict(populate_by_name=True)


class PostVisibilityOut(Schema):
    id: int
    kind: Literal["question", "answer", "comment"]
    visibility: Literal["visible", "held", "hidden", "deleted"]


class SuspensionOut(Schema):
    username: str
    is_suspended: bool
    until: datetime | None = Field(alias="suspended_until")
    reason: str = Field(alias="suspension_reason")

    model_config = ConfigDict(populate_by_name=True)


def _question(request: HttpRequest, question_id: int) -> Question:
    question = getattr(request, "moderated_question", None)
    if question is not None and question.pk == question_id:
        return question
    return get_object_or_404(Question, pk=question_id)


def _done(question: Question) -> Question:
    return Question.objects.get(pk=question.pk)


def _body(payload: NoteIn | None) -> str:
    return payload.note if payload is not None else ""


@_post("/questions/{question_id}/close/", ModeratedQuestionOut)
def close_question_endpoint(
    request: HttpRequest, payload: CloseIn, question_id: int = _question_id()
):
    question = _question(request, question_id)
    actions.close_question(
        request.user,
        question,
        reason=payload.reason,
        duplicate_of=payload.duplicate_of,
        note=payload.note,
    )
    return _done(question)


@_post("/questions/{question_id}/reopen/", ModeratedQuestionOut)
def reopen_question_endpoint(
    request: HttpRequest, payload: NoteIn | None = None, question_id: int = _question_id()
):
    question = _question(request, question_id)
    return _done(actions.reopen_question(request.user, question, note=_body(payload)))


@_post("/questions/{question_id}/lock/", ModeratedQuestionOut)
def lock_question_endpoint(
    request: HttpRequest, payload: NoteIn | None = None, question_id: int = _question_id()
):
    question = _question(request, question_id)
    return _done(actions.lock_question(request.user, question, note=_body(payload)))


@_post("/questions/{question_id}/unlock/", ModeratedQuestionOut)
def unlock_question_endpoint(
    request: HttpRequest, payload: NoteIn | None = None, question_id: int = _question_id()
):
    question = _question(request, question_id)
    return _done(actions.unlock_question(request.user, question, note=_body(payload)))


@_post("/questions/{question_id}/pin/", ModeratedQuestionOut)
def pin_question_endpoint(
    request: HttpRequest, payload: NoteIn | None = None, question_id: int = _question_id()
):
    question = _question(request, question_id)
    return _done(actions.pin_question(request.user, question, note=_body(payload)))


@_post("/questions/{question_id}/unpin/", ModeratedQuestionOut)
def unpin_question_endpoint(
    request: HttpRequest, payload: NoteIn | None = None, question_id: int = _question_id()
):
    question = _question(request, question_id)
    return _done(actions.unpin_question(request.user, question, note=_body(payload)))


@_post("/questions/{question_id}/move/", ModeratedQuestionOut)
def move_question_endpoint(
    request: HttpRequest, payload: MoveIn, question_id: int = _question_id()
):
    question = _question(request, question_id)
    category = queries.category_by_id_or_slug(payload.category)  # the action refuses None
    return _done(actions.move_question(request.user, question, category, note=payload.note))


@_post("/questions/{question_id}/merge/", ModeratedQuestionOut)
def merge_question_endpoint(
    request: HttpRequest, payload: MergeIn, question_id: int = _question_id()
):
    """Merge this question (the duplicate) into `into`; answers the original."""
    duplicate = _question(request, question_id)
    return _done(actions.merge_question(request.user, duplicate, payload.into, note=payload.note))


# --- Hiding, unhiding and restoring posts (forum/actions/visibility.py, questions.py,
# answers.py). Deleting is the authors' door too: DELETE /questions/{id}/ and
# /answers/{id}/ in forum/api.py.


def _answer_id():
    return Path(..., ge=1, le=MAX_ID, description="The answer's id.")


def _comment_id():
    return Path(..., ge=1, le=MAX_ID, description="The comment's id.")


def _post_of(request: HttpRequest, model: type, pk: int):
    post = getattr(request, "moderated_post", None)
    if isinstance(post, model) and post.pk == pk:
        return post
    if model is Answer:
        return get_object_or_404(Answer.objects.select_related("question"), pk=pk)
    return get_object_or_404(Comment.objects.select_related("question", "answer__question"), pk=pk)


def _visibility(post: Question | Answer | Comment) -> dict:
    kind = "question" if isinstance(post, Question) else post._meta.model_name
    fresh = type(post).objects.only("visibility").get(pk=post.pk)
    return {"id": post.pk, "kind": kind, "visibility": fresh.visibility}


@_post("/questions/{question_id}/hide/", PostVisibilityOut)
def hide_question_endpoint(
    request: HttpRequest, payload: NoteIn | None = None, question_id: int = _question_id()
):
    """Hide the question: only its author and moderators see it; `note` is the reason."""
    question = _question(request, question_id)
    return _visibility(actions.hide_post(request.user, question, reason=_body(payload)))


@_post("/questions/{question_id}/unhide/", PostVisibilityOut)
def unhide_question_endpoint(
    request: HttpRequest, payload: NoteIn | None = None, question_id: int = _question_id()
):
    question = _question(request, question_id)
    return _visibility(actions.unhide_post(request.user, question, reason=_body(payload)))


@_post("/questions/{question_id}/restore/", PostVisibilityOut)
def restore_question_endpoint(request: HttpRequest, question_id: int = _question_id()):
    """Restore a deleted question (not one merged into another: 403)."""
    question = _question(request, question_id)
    return _visibility(actions.restore_question(request.user, question))


@_post("/answers/{answer_id}/hide/", PostVisibilityOut)
def hide_answer_endpoint(
    request: HttpRequest, payload: NoteIn | None = None, answer_id: int = _answer_id()
):
    answer = _post_of(request, Answer, answer_id)
    return _visibility(actions.hide_post(request.user, answer, reason=_body(payload)))


@_post("/answers/{answer_id}/unhide/", PostVisibilityOut)
def unhide_answer_endpoint(
    request: HttpRequest, payload: NoteIn | None = None, answer_id: int = _answer_id()
):
    answer = _post_of(request, Answer, answer_id)
    return _visibility(actions.unhide_post(request.user, answer, reason=_body(payload)))


@_post("/answers/{answer_id}/restore/", PostVisibilityOut)
def restore_answer_endpoint(request: HttpRequest, answer_id: int = _answer_id()):
    """Restore a deleted answer (409 while its question is deleted)."""
    answer = _post_of(request, Answer, answer_id)
    return _visibility(actions.restore_answer(request.user, answer))


@_post("/comments/{comment_id}/hide/", PostVisibilityOut)
def hide_comment_endpoint(
    request: HttpRequest, payload: NoteIn | None = None, comment_id: int = _comment_id()
):
    comment = _post_of(request, Comment, comment_id)
    return _visibility(actions.hide_post(request.user, comment, reason=_body(payload)))


@_post("/comments/{comment_id}/unhide/", PostVisibilityOut)
def unhide_comment_endpoint(
    request: HttpRequest, payload: NoteIn | None = None, comment_id: int = _comment_id()
):
    comment = _post_of(request, Comment, comment_id)
    return _visibility(actions.unhide_post(request.user, comment, reason=_body(payload)))


def _member(username: str) -> User:
    return get_object_or_404(User, username=username)


@_post("/members/{username}/suspension/", SuspensionOut)
def suspend_member_endpoint(
    request: HttpRequest,
    payload: SuspensionIn,
    username: str = Path(..., max_length=150, description="The member's username."),
):
    member = _member(username)
    return account_actions.suspend_member(
        request.user, member, reason=payload.reason, until=payload.until
    )


@_post("/members/{username}/suspension/", SuspensionOut, method="DELETE")
def reinstate_member_endpoint(
    request: HttpRequest,
    username: str = Path(..., max_length=150, description="The member's username."),
):
    member = _member(username)
    return account_actions.reinstate_member(request.user, member)
