"""The forum's JSON API: categories, questions, answers, comments, votes and acceptance.

Reads go through forum.queries and cost a fixed number of queries; anonymous clients may
read whatever the site shows them. Each write parses its input, fetches the objects, calls
one function in forum.actions and shapes the result; refusals are the actions' domain
errors, turned into responses by the one handler in config/api.py.

Write endpoints fetch posts by existence only, so the action decides about deleted ones
(409 post_deleted); read endpoints show deleted posts to moderators only (404 otherwise).
"""

from datetime import datetime
from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict, Field, StrictBool

from accounts.api import PUBLIC_SECURITY, member_auth, public_auth
from accounts.models import User
from core.schemas import (
    MAX_ID,
    NO_NUL,
    RETRY_AFTER,
    BodyId,
    error_responses,
    json_int,
    text,
)
from forum import actions, queries
from forum.errors import InvalidInput
from forum.models import Answer, CategoryPage, Comment, Question

router = Router(tags=["forum"], auth=member_auth)

# 403: staff and moderators held to TANYA_REQUIRE_MFA_FOR_STAFF (accounts/api.py).
READ_ERRORS = error_responses(401, 403, 404, 422)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 409, 413, 422, 429)


def _read(path: str, out: object):
    return router.get(
        path,
        response={200: out, **READ_ERRORS},
        auth=public_auth,
        openapi_extra=PUBLIC_SECURITY,
    )


def _write(method: str, path: str, status: int, out: object):
    return router.api_operation(
        [method], path, response={status: out, **WRITE_ERRORS}, openapi_extra=RETRY_AFTER
    )


def _path_id(name: str):
    return Path(..., ge=1, le=MAX_ID, description=f"The {name}'s id.")


def _absolute(context: dict, path: str) -> str:
    return context["request"].build_absolute_uri(path)


# --- Output schemas ---------------------------------------------------------------------


class AuthorOut(Schema):
    username: str
    display_name: str
    reputation: int
    url: str

    @staticmethod
    def resolve_display_name(user: User) -> str:
        return user.name

    @staticmethod
    def resolve_url(user: User, context: dict) -> str:
        return _absolute(context, user.get_absolute_url())


class CategoryRefOut(Schema):
    id: int
    slug: str
    title: str


class CategoryOut(Schema):
    id: int
    slug: str
    title: str
    intro: str
    url: str | None
    question_count: int
    solved_count: int

    @staticmethod
    def resolve_url(category: CategoryPage, context: dict) -> str | None:
        path = category.get_url(request=context["request"])
        return _absolute(context, path) if path else None


class CategoryListOut(Schema):
    items: list[CategoryOut]


class QuestionSummaryOut(Schema):
    """A question as lists show it: everything but the body."""

    id: int
    url: str
    title: str
    author: AuthorOut
    category: CategoryRefOut
    tags: list[str]
    state: Literal["open", "closed", "locked"]
    score: int
    answer_count: int
    accepted_answer: int | None = Field(description="The accepted answer's id.")
    is_solved: bool
    is_verified: bool
    created: datetime
    updated: datetime
    last_activity: datetime

    @staticmethod
    def resolve_url(question: Question, context: dict) -> str:
        return _absolute(context, question.get_absolute_url())

    @staticmethod
    def resolve_tags(question: Question) -> list[str]:
        return [tag.name for tag in question.tags.all()]

    @staticmethod
    def resolve_accepted_answer(question: Question) -> int | None:
        return question.accepted_answer_id

    @staticmethod
    def resolve_created(question: Question) -> datetime:
        return question.created_at

    @staticmethod
    def resolve_updated(question: Question) -> datetime:
        return question.updated_at

    @staticmethod
    def resolve_last_activity(question: Question) -> datetime:
        return question.last_activity_at


class AttachmentOut(Schema):
    """An image attached to a post (docs/attachments.md), served only to those who may
    see the post."""

    id: int
    url: str = Field(description="The full image.")
    thumbnail_url: str = Field(description="At most 480 pixels on its longest side.")
    alt: str = Field(description='Its description: the author\'s, or "Screenshot N".')
    content_type: Literal["image/png", "image/jpeg"]
    width: int
    height: int
    size: int = Field(description="Bytes.")

    @staticmethod
    def resolve_url(attachment, context: dict) -> str:
        return _absolute(context, attachment.get_absolute_url())

    @staticmethod
    def resolve_thumbnail_url(attachment, context: dict) -> str:
        return _absolute(context, attachment.get_thumbnail_url())

    @staticmethod
    def resolve_alt(attachment) -> str:
        return attachment.alt_text


class QuestionOut(QuestionSummaryOut):
    is_private: bool = Field(
        description="Only the asker, moderators and staff see it (and its answers)."
    )
    body: str = Field(description="Markdown source.")
    body_html: str = Field(description="Rendered and sanitized HTML.")
    language: str = Field(description="The language it is written in (en, id).")
    my_vote: int = Field(description="The caller's vote: 1, -1, or 0 for none.")
    attachments: list[AttachmentOut] = Field(description="Its images, in order.")

    @staticmethod
    def resolve_attachments(question: Question) -> list:
        return list(question.attachments.all())


class QuestionPageOut(Schema):
    items: list[QuestionSummaryOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class AnswerOut(Schema):
    id: int
    url: str
    question_id: int
    body: str = Field(description="Markdown source.")
    body_html: str = Field(description="Rendered and sanitized HTML.")
    language: str = Field(description="The language it is written in (en, id).")
    author: AuthorOut
    score: int
    my_vote: int = Field(description="The caller's vote: 1, -1, or 0 for none.")
    is_accepted: bool
    created: datetime
    updated: datetime
    attachments: list[AttachmentOut] = Field(description="Its images, in order.")

    @staticmethod
    def resolve_attachments(answer: Answer) -> list:
        return list(answer.attachments.all())

    @staticmethod
    def resolve_url(answer: Answer, context: dict) -> str:
        return _absolute(context, answer.get_absolute_url())

    @staticmethod
    def resolve_is_accepted(answer: Answer) -> bool:
        return answer.question.accepted_answer_id == answer.pk

    @staticmethod
    def resolve_created(answer: Answer) -> datetime:
        return answer.created_at

    @staticmethod
    def resolve_updated(answer: Answer) -> datetime:
        return answer.updated_at


class AnswerListOut(Schema):
    items: list[AnswerOut]


class CommentOut(Schema):
    id: int
    post_type: Literal["question", "answer"] = Field(description="What the comment is on.")
    post_id: int = Field(description="The id of the question or answer it is on.")
    body: str = Field(description="Inline Markdown source.")
    body_html: str = Field(description="Rendered and sanitized HTML.")
    author: AuthorOut
    created: datetime

    @staticmethod
    def resolve_post_type(comment: Comment) -> str:
        return "question" if comment.question_id else "answer"

    @staticmethod
    def resolve_post_id(comment: Comment) -> int:
        return comment.question_id or comment.answer_id

    @staticmethod
    def resolve_created(comment: Comment) -> datetime:
        return comment.created_at


class CommentListOut(Schema):
    items: list[CommentOut]


class VoteOut(Schema):
    score: int
    my_vote: int
    is_solved: bool = Field(
        description="For a question, whether it has an accepted answer; for an answer, "
        "whether it is the accepted one."
    )


class AcceptanceOut(Schema):
    question_id: int
    accepted_answer: int | None
    is_solved: bool
    is_verified: bool


# --- Input schemas ----------------------------------------------------------------------

CategoryKey = Annotated[
    BodyId | Annotated[str, text(min_length=1, max_length=255)],
    Field(description="The category's id or slug."),
]
TagName = Annotated[str, text(max_length=actions.TAG_LENGTH_MAX)]


class _In(Schema):
    # A misspelt field would otherwise be ignored, and an edit would silently do less.
    model_config = ConfigDict(extra="forbid")


class QuestionIn(_In):
    title: str = text(min_length=actions.TITLE_MIN, max_length=actions.TITLE_MAX)
    body: str = text(
        min_length=actions.BODY_MIN, max_length=actions.BODY_MAX, description="Markdown."
    )
    category: CategoryKey
    tags: list[TagName] = Field(default=[], max_length=actions.TAGS_MAX)
    private: StrictBool = Field(
        default=False, description="Only the asker, moderators and staff will see it."
    )
    language: Literal["en", "id", ""] = Field(
        default="", description="The language it is written in; blank: detected."
    )


class QuestionPatchIn(_In):
    """Only the fields sent change."""

    title: str | None = text(None, min_length=actions.TITLE_MIN, max_length=actions.TITLE_MAX)
    body: str | None = text(
        None, min_length=actions.BODY_MIN, max_length=actions.BODY_MAX, description="Markdown."
    )
    category: CategoryKey | None = None
    tags: list[TagName] | None = Field(default=None, max_length=actions.TAGS_MAX)
    summary: str = text("", max_length=200, description="What the edit changed.")
    language: Literal["en", "id", ""] | None = Field(
        default=None,
        description="The language it is written in; blank or left out: detected again "
        "when the title or body changes.",
    )


class AnswerIn(_In):
    body: str = text(
        min_length=actions.BODY_MIN, max_length=actions.BODY_MAX, description="Markdown."
    )
    language: Literal["en", "id", ""] = Field(
        default="", description="The language it is written in; blank: detected."
    )


class AnswerPatchIn(_In):
    """Only the fields sent change."""

    body: str | None = text(
        None, min_length=actions.BODY_MIN, max_length=actions.BODY_MAX, description="Markdown."
    )
    summary: str = text("", max_length=200, description="What the edit changed.")
    language: Literal["en", "id", ""] | None = Field(
        default=None,
        description="The language it is written in; blank or left out: detected again "
        "when the body changes.",
    )


class CommentIn(_In):
    body: str = text(
        min_length=actions.COMMENT_MIN,
        max_length=actions.COMMENT_MAX,
        description="Inline Markdown.",
    )


VoteValue = json_int(ge=-1, le=1)


class VoteIn(_In):
    value: VoteValue = Field(description="1 votes up, -1 down, 0 retracts.")


class AcceptIn(_In):
    answer: BodyId = Field(description="The id of the answer to accept.")


class QuestionFilters(Schema):
    # Typed `str`, not `str | None`: a query string has no null, so the schema offers none.
    category: str = Field(
        None, max_length=255, pattern=NO_NUL, description="A category's id or slug."
    )
    tag: str = Field(None, max_length=100, pattern=NO_NUL, description="A tag's slug.")
    state: Literal["solved", "unanswered"] = Field(None, description="Only these questions.")
    sort: Literal["newest", "active", "votes"] = queries.DEFAULT_SORT
    cursor: str = Field(
        None, max_length=512, pattern=NO_NUL, description="`next_cursor` of the page before."
    )


def _category(key: int | str) -> CategoryPage:
    """The live category a client named by id or slug, or a 422 on the `category` field."""
    category = queries.category_by_id_or_slug(key)
    if category is None:
        raise InvalidInput(_("Choose one of the categories."), field="category")
    return category


# --- Categories and questions -----------------------------------------------------------


@_read("/categories/", CategoryListOut)
def list_categories_endpoint(request: HttpRequest):
    return {"items": queries.categories_with_stats()}


@_read("/questions/", QuestionPageOut)
def list_questions_endpoint(request: HttpRequest, filters: Query[QuestionFilters]):
    category = tag = None
    if filters.category is not None:
        category = queries.category_named(filters.category)
        if category is None:
            raise Http404(_("There is no such category."))
    if filters.tag is not None:
        tag = queries.tag_by_slug_or_none(filters.tag)
        if tag is None:
            raise Http404(_("There is no such tag."))
    page = queries.filtered_question_list(
        sort=filters.sort, state=filters.state, category=category, tag=tag, cursor=filters.cursor
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


@_write("POST", "/questions/", 201, QuestionOut)
def ask_question_endpoint(request: HttpRequest, payload: QuestionIn):
    question = actions.ask_question(
        request.user,
        title=payload.title,
        body=payload.body,
        category=_category(payload.category),
        tags=payload.tags,
        private=payload.private,
        language=payload.language,
    )
    return Status(201, queries.question_for_viewer(question.pk, request.user))


@_read("/questions/{question_id}/", QuestionOut)
def question_endpoint(request: HttpRequest, question_id: int = _path_id("question")):
    return queries.question_for_viewer(question_id, request.user)


@_write("PATCH", "/questions/{question_id}/", 200, QuestionOut)
def edit_question_endpoint(
    request: HttpRequest, payload: QuestionPatchIn, question_id: int = _path_id("question")
):
    question = get_object_or_404(Question, pk=question_id)
    actions.edit_question(
        request.user,
        question,
        title=question.title if payload.title is None else payload.title,
        body=question.body if payload.body is None else payload.body,
        tags=question.tags.names() if payload.tags is None else payload.tags,
        category=None if payload.category is None else _category(payload.category),
        summary=payload.summary,
        language=payload.language,
    )
    return queries.question_for_viewer(question.pk, request.user)


@_write("DELETE", "/questions/{question_id}/", 204, None)
def delete_question_endpoint(request: HttpRequest, question_id: int = _path_id("question")):
    question = get_object_or_404(Question, pk=question_id)
    actions.delete_question(request.user, question)
    return Status(204, None)


# --- Answers ----------------------------------------------------------------------------


@_read("/questions/{question_id}/answers/", AnswerListOut)
def list_answers_endpoint(request: HttpRequest, question_id: int = _path_id("question")):
    return {"items": queries.answers_for_viewer(question_id, request.user)}


@_write("POST", "/questions/{question_id}/answers/", 201, AnswerOut)
def post_answer_endpoint(
    request: HttpRequest, payload: AnswerIn, question_id: int = _path_id("question")
):
    question = get_object_or_404(Question, pk=question_id)
    answer = actions.post_answer(
        request.user, question, body=payload.body, language=payload.language
    )
    return Status(201, queries.answer_for_viewer(answer.pk, request.user))


# --- Images -----------------------------------------------------------------------------


class AttachmentListOut(Schema):
    items: list[AttachmentOut] = Field(description="All the post's images, in order.")


def _attach(request: HttpRequest, post: Question | Answer, images: list[UploadedFile]) -> dict:
    actions.update_attachments(request.user, post, images=images)
    return {"items": list(post.attachments.order_by("position", "pk"))}


@_write("POST", "/questions/{question_id}/attachments/", 201, AttachmentListOut)
def attach_to_question_endpoint(
    request: HttpRequest,
    images: File[list[UploadedFile]],
    question_id: int = _path_id("question"),
):
    """Add images to a question (multipart/form-data, field "images", one or more files):
    PNG, JPEG, WebP or GIF, decoded and re-encoded without metadata; too large, too many,
    or not an image is 422; each counts against the "upload" rate (429 with Retry-After).
    Whoever may edit the question may add them."""
    question = get_object_or_404(Question, pk=question_id)
    return Status(201, _attach(request, question, images))


@_write("POST", "/answers/{answer_id}/attachments/", 201, AttachmentListOut)
def attach_to_answer_endpoint(
    request: HttpRequest,
    images: File[list[UploadedFile]],
    answer_id: int = _path_id("answer"),
):
    """Add images to an answer, as for a question."""
    answer = get_object_or_404(Answer.objects.select_related("question"), pk=answer_id)
    return Status(201, _attach(request, answer, images))


@_read("/answers/{answer_id}/", AnswerOut)
def answer_endpoint(request: HttpRequest, answer_id: int = _path_id("answer")):
    return queries.answer_for_viewer(answer_id, request.user)


@_write("PATCH", "/answers/{answer_id}/", 200, AnswerOut)
def edit_answer_endpoint(
    request: HttpRequest, payload: AnswerPatchIn, answer_id: int = _path_id("answer")
):
    answer = get_object_or_404(Answer, pk=answer_id)
    actions.edit_answer(
        request.user,
        answer,
        body=answer.body if payload.body is None else payload.body,
        summary=payload.summary,
        language=payload.language,
    )
    return queries.answer_for_viewer(answer.pk, request.user)


@_write("DELETE", "/answers/{answer_id}/", 204, None)
def delete_answer_endpoint(request: HttpRequest, answer_id: int = _path_id("answer")):
    answer = get_object_or_404(Answer, pk=answer_id)
    actions.delete_answer(request.user, answer)
    return Status(204, None)


# --- Comments ---------------------------------------------------------------------------


@_read("/questions/{question_id}/comments/", CommentListOut)
def list_question_comments_endpoint(request: HttpRequest, question_id: int = _path_id("question")):
    return {"items": queries.question_comments(question_id, request.user)}


@_write("POST", "/questions/{question_id}/comments/", 201, CommentOut)
def comment_on_question_endpoint(
    request: HttpRequest, payload: CommentIn, question_id: int = _path_id("question")
):
    question = get_object_or_404(Question, pk=question_id)
    comment = actions.post_comment(request.user, question, body=payload.body)
    return Status(201, comment)


@_read("/answers/{answer_id}/comments/", CommentListOut)
def list_answer_comments_endpoint(request: HttpRequest, answer_id: int = _path_id("answer")):
    return {"items": queries.answer_comments(answer_id, request.user)}


@_write("POST", "/answers/{answer_id}/comments/", 201, CommentOut)
def comment_on_answer_endpoint(
    request: HttpRequest, payload: CommentIn, answer_id: int = _path_id("answer")
):
    answer = get_object_or_404(Answer, pk=answer_id)
    comment = actions.post_comment(request.user, answer, body=payload.body)
    return Status(201, comment)


@_write("DELETE", "/comments/{comment_id}/", 204, None)
def delete_comment_endpoint(request: HttpRequest, comment_id: int = _path_id("comment")):
    comment = get_object_or_404(Comment, pk=comment_id)
    actions.delete_comment(request.user, comment)
    return Status(204, None)


# --- Votes ------------------------------------------------------------------------------


@_write("POST", "/questions/{question_id}/vote/", 200, VoteOut)
def vote_on_question_endpoint(
    request: HttpRequest, payload: VoteIn, question_id: int = _path_id("question")
):
    question = get_object_or_404(Question, pk=question_id)
    question = actions.cast_vote(request.user, question, payload.value)
    return {"score": question.score, "my_vote": payload.value, "is_solved": question.is_solved}


@_write("POST", "/answers/{answer_id}/vote/", 200, VoteOut)
def vote_on_answer_endpoint(
    request: HttpRequest, payload: VoteIn, answer_id: int = _path_id("answer")
):
    answer = get_object_or_404(Answer, pk=answer_id)
    answer = actions.cast_vote(request.user, answer, payload.value)
    is_accepted = Question.objects.filter(accepted_answer=answer).exists()
    return {"score": answer.score, "my_vote": payload.value, "is_solved": is_accepted}


# --- Accepted answers -------------------------------------------------------------------


def _acceptance(question: Question) -> dict:
    return {
        "question_id": question.pk,
        "accepted_answer": question.accepted_answer_id,
        "is_solved": question.is_solved,
        "is_verified": question.is_verified,
    }


@_write("POST", "/questions/{question_id}/accept/", 200, AcceptanceOut)
def accept_answer_endpoint(
    request: HttpRequest, payload: AcceptIn, question_id: int = _path_id("question")
):
    question = get_object_or_404(Question, pk=question_id)
    answer = get_object_or_404(Answer, pk=payload.answer)
    return _acceptance(actions.accept_answer(request.user, question, answer))


@_write("DELETE", "/questions/{question_id}/accept/", 200, AcceptanceOut)
def unaccept_answer_endpoint(request: HttpRequest, question_id: int = _path_id("question")):
    question = get_object_or_404(Question, pk=question_id)
    return _acceptance(actions.unaccept_answer(request.user, question))


@_write("POST", "/questions/{question_id}/verify/", 200, AcceptanceOut)
def verify_answer_endpoint(request: HttpRequest, question_id: int = _path_id("question")):
    question = get_object_or_404(Question, pk=question_id)
    return _acceptance(actions.verify_answer(request.user, question))
