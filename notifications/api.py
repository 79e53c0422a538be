"""The notifications API: a member's notifications, marking one or all read.

Same shape as the forum's list endpoints: keyset pages with `next_cursor`; refusals are
domain errors turned into the shared error body by config/api.py.
"""

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema
from pydantic import ConfigDict, Field, StrictBool

from accounts.api import member_auth
from core.schemas import RETRY_AFTER, error_responses
from notifications import actions, email, queries
from notifications.models import EmailMode, Kind, Notification

router = Router(tags=["notifications"], auth=member_auth)

READ_ERRORS = error_responses(401, 403, 422)
WRITE_ERRORS = error_responses(400, 401, 403, 404, 422, 429)


class ActorOut(Schema):
    username: str
    display_name: str


class NotificationOut(Schema):
    id: int
    kind: Kind
    question_id: int | None
    question_title: str = Field(description="The thread's title.")
    url: str = Field(description="The exact question, answer or comment (absolute).")
    actor: ActorOut | None = Field(description="Who did it; null for a deleted member.")
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_question_title(obj: Notification) -> str:
        return obj.question.title if obj.question else ""

    @staticmethod
    def resolve_url(obj: Notification, context) -> str:
        return context["request"].build_absolute_uri(obj.url)

    @staticmethod
    def resolve_actor(obj: Notification) -> dict | None:
        actor = obj.event.actor
        if actor is None:
            return None
        return {"username": actor.username, "display_name": actor.name}


class NotificationPageOut(Schema):
    items: list[NotificationOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


class NotificationFilters(Schema):
    unread: bool = Field(False, description="Only unread notifications.")
    cursor: str = Field(
        None, max_length=512, pattern=r"^[^\x00]*$", description="`next_cursor` of the page before."
    )


class ReadAllOut(Schema):
    marked: int = Field(description="How many were unread.")


@router.get("/notifications/", response={200: NotificationPageOut, **READ_ERRORS})
def list_notifications_endpoint(request: HttpRequest, filters: Query[NotificationFilters]):
    """The caller's notifications, newest first."""
    page = queries.notification_page(request.user, cursor=filters.cursor, unread=filters.unread)
    return {"items": page.items, "next_cursor": page.next_cursor}


@router.post(
    "/notifications/read-all/",
    response={200: ReadAllOut, **WRITE_ERRORS},
    openapi_extra=RETRY_AFTER,
)
def mark_all_read_endpoint(request: HttpRequest):
    """Mark every notification of the caller read."""
    return {"marked": actions.mark_all_read(request.user)}


@router.post(
    "/notifications/{notification_id}/read/",
    response={200: NotificationOut, **WRITE_ERRORS},
    openapi_extra=RETRY_AFTER,
)
def mark_read_endpoint(
    request: HttpRequest,
    notification_id: int = Path(..., ge=1, le=2**63 - 1, description="The notification's id."),
):
    """Mark one of the caller's notifications read (someone else's is a 404)."""
    notification = get_object_or_404(queries.notifications_for(request.user), pk=notification_id)
    return actions.mark_read(request.user, notification)


# --- Preferences ------------------------------------------------------------------------


class PreferencesOut(Schema):
    follow_on_participate: bool = Field(description="Follow questions I answer or comment on.")
    email: dict[Kind, EmailMode] = Field(
        description="Per notification kind: instant, daily, weekly or never."
    )


class PreferencesIn(Schema):
    # A misspelt field would otherwise be ignored, and the change would silently do less.
    model_config = ConfigDict(extra="forbid")

    follow_on_participate: StrictBool | None = None
    email: dict[Kind, EmailMode] | None = Field(
        None, description="Only the kinds to change; the others keep their mode."
    )


def _preferences_out(member) -> dict:
    preferences = queries.preferences_for(member)
    return {
        "follow_on_participate": preferences.follow_on_participate,
        "email": email.modes_for(member),
    }


@router.get("/notifications/preferences/", response={200: PreferencesOut, **READ_ERRORS})
def get_preferences_endpoint(request: HttpRequest):
    """The caller's notification settings, every kind's email mode included."""
    return _preferences_out(request.user)


@router.patch(
    "/notifications/preferences/",
    response={200: PreferencesOut, **WRITE_ERRORS},
    openapi_extra=RETRY_AFTER,
)
def update_preferences_endpoint(request: HttpRequest, data: PreferencesIn):
    """Change some of the caller's notification settings."""
    if data.follow_on_participate is not None:
        actions.update_preferences(request.user, follow_on_participate=data.follow_on_participate)
    if data.email:
        modes = {str(kind): str(mode) for kind, mode in data.email.items()}
        actions.update_email_modes(request.user, modes)
    return _preferences_out(request.user)
