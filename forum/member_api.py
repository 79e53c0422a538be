"""Members' public profiles and the caller's own account (/me/) in the API.

They show forum counts and reputation history, so they live in the forum rather than in
accounts (which imports nothing from the forum); reads go through forum.queries and
forum.member_queries, writes through accounts.actions, and the actions' refusals (401,
403, 409, 422, 429) become JSON in config/api.py like every other. The operation ids are
the ones these endpoints had under accounts/api.py, so generated clients keep working.
"""

from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import File, Path, Router, Schema
from ninja.files import UploadedFile
from pydantic import ConfigDict, Field

from accounts import actions
from accounts.api import PUBLIC_SECURITY, member_auth, public_auth
from accounts.models import BIO_MAX, User
from core.schemas import RETRY_AFTER, error_responses, text
from forum import member_queries, permissions, queries

router = Router(tags=["members"])

HISTORY_SIZE = 20
_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


class QuestionRefOut(Schema):
    id: int
    title: str
    url: str


class ReputationChangeOut(Schema):
    """One ledger entry: a grant, or a correction of an earlier one."""

    amount: int
    reason: str = Field(description='A stable code: "answer_upvoted", "answer_accepted", ...')
    description: str = Field(description="The reason in words, in the reader's language.")
    is_correction: bool
    question: QuestionRefOut | None = Field(
        description="The question it came from; null when there is none or it was deleted."
    )
    answer_id: int | None
    created: datetime


class ProfileOut(Schema):
    """A member's public face. Never the email address."""

    username: str
    display_name: str
    url: str = Field(description="The profile page.")
    avatar_url: str | None = Field(description="Null: the member shows initials instead.")
    bio: str
    reputation: int
    member_since: datetime
    question_count: int
    answer_count: int
    accepted_count: int
    is_staff: bool
    is_moderator: bool
    reputation_history: list[ReputationChangeOut] = Field(
        description=f"The latest {HISTORY_SIZE} changes, newest first."
    )


class MeOut(ProfileOut):
    """The caller's own profile, with what only they see."""

    email: str
    language: str = Field(description='Preferred language; "" follows the browser.')


class MePatchIn(Schema):
    """Only the fields sent change; "" clears a field."""

    model_config = ConfigDict(extra="forbid")

    display_name: str = text(
        None,
        max_length=actions.DISPLAY_NAME_MAX,
        description='Shown instead of the username; "" shows the username.',
    )
    bio: str = text(None, max_length=BIO_MAX, description="Plain text.")
    language: Literal[("", *_LANGUAGES)] = Field(  # type: ignore[valid-type]
        None, description='Preferred language; "" follows the browser.'
    )


def _history(request: HttpRequest, member: User) -> list[dict]:
    changes = []
    for entry in queries.reputation_history(member, limit=HISTORY_SIZE):
        question = entry.question
        if question is not None and not permissions.can_see_post(None, question):
            question = None  # the history is public: link only to what everyone may see
        changes.append(
            {
                "amount": entry.amount,
                "reason": entry.reason,
                "description": (
                    f"{entry.get_cause_display()} ({entry.get_reason_display()})"
                    if entry.is_correction
                    else str(entry.get_reason_display())
                ),
                "is_correction": entry.is_correction,
                "question": question
                and {
                    "id": question.pk,
                    "title": question.title,
                    "url": _absolute(request, question.get_absolute_url()),
                },
                "answer_id": entry.answer_id if question else None,
                "created": entry.created_at,
            }
        )
    return changes


def _profile(request: HttpRequest, username: str, *, private: bool = False) -> dict:
    """Three queries: the member with their counts, their permissions, their history."""
    member = queries.member_profile(username)
    data = {
        "username": member.username,
        "display_name": member.name,
        "url": _absolute(request, member.get_absolute_url()),
        "avatar_url": _absolute(request, member.avatar.url) if member.avatar else None,
        "bio": member.bio,
        "reputation": member.reputation,
        "member_since": member.date_joined,
        "question_count": member.question_count,
        "answer_count": member.answer_count,
        "accepted_count": member.accepted_count,
        "is_staff": member.is_staff,
        "is_moderator": member.is_moderator,
        "reputation_history": _history(request, member),
    }
    if private:
        data.update(email=member.email, language=member.language)
    return data


Username = Path(..., max_length=150, pattern=r"^[\w.@+-]+$")
READ_ERRORS = error_responses(401, 403, 404, 422)
WRITE_ERRORS = error_responses(400, 401, 403, 409, 413, 422, 429)


@router.get(
    "/users/{username}/",
    response={200: ProfileOut, **READ_ERRORS},
    auth=public_auth,
    openapi_extra=PUBLIC_SECURITY,
    operation_id="accounts_api_member_profile_endpoint",
)
def member_profile_endpoint(request: HttpRequest, username: str = Username):
    return _profile(request, username)


@router.get(
    "/me/",
    response={200: MeOut, **error_responses(401, 403)},
    auth=member_auth,
    operation_id="accounts_api_me_endpoint",
)
def me_endpoint(request: HttpRequest):
    """The signed-in member's own profile, email address and language included."""
    return _profile(request, request.user.username, private=True)


@router.patch(
    "/me/",
    response={200: MeOut, **WRITE_ERRORS},
    auth=member_auth,
    openapi_extra=RETRY_AFTER,
    operation_id="accounts_api_update_me_endpoint",
)
def update_me_endpoint(request: HttpRequest, payload: MePatchIn):
    """Change the display name, bio or language (accounts.actions.update_profile)."""
    actions.update_profile(request.user, request.user, **payload.model_dump(exclude_unset=True))
    return _profile(request, request.user.username, private=True)


@router.post(
    "/me/avatar/",
    response={200: MeOut, **WRITE_ERRORS},
    auth=member_auth,
    openapi_extra=RETRY_AFTER,
    operation_id="accounts_api_upload_avatar_endpoint",
)
def upload_avatar_endpoint(request: HttpRequest, avatar: File[UploadedFile]):
    """Upload a picture (multipart/form-data, field "avatar"): JPEG, PNG or WebP, at most
    2 MB. It is cropped to a square and re-encoded; nothing else of the file is kept."""
    actions.set_avatar(request.user, request.user, avatar)
    return _profile(request, request.user.username, private=True)


@router.delete(
    "/me/avatar/",
    response={200: MeOut, **WRITE_ERRORS},
    auth=member_auth,
    openapi_extra=RETRY_AFTER,
    operation_id="accounts_api_remove_avatar_endpoint",
)
def remove_avatar_endpoint(request: HttpRequest):
    """Go back to initials. Removing a picture that isn't there changes nothing."""
    actions.remove_avatar(request.user, request.user)
    return _profile(request, request.user.username, private=True)


@router.get(
    "/me/export/",
    response={200: dict[str, Any], **error_responses(401, 403)},
    auth=member_auth,
    operation_id="accounts_api_export_endpoint",
)
def export_endpoint(request: HttpRequest):
    """Everything the forum holds about the caller, as the settings page's download:
    profile, email addresses, connected accounts, MFA methods (no secrets), posts, votes
    and reputation history. The "format" member names the layout's version."""
    return member_queries.export_member_data(request.user, request.user)
