"""Every write to a member's account and profile. The settings pages, the JSON API and the
admin call these; none of them writes on its own.

Sign-up, log-in, email addresses, passwords and MFA are allauth's own flows (see
allauth/account/internal/flows/); these functions cover what Tanya adds on top.
"""

import unicodedata
from datetime import date, datetime, time, timedelta
from functools import partial
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.users.models import UserProfile

from accounts import permissions
from accounts import verbs as v
from accounts.avatars import normalise_avatar
from accounts.errors import (
    AccountDeleted,
    InvalidInput,
    MemberSuspended,
    NotAllowed,
    NotSignedIn,
)
from accounts.models import BIO_MAX, DELETED_USERNAME_PREFIX, User
from accounts.permissions import is_member
from core import events

DISPLAY_NAME_MAX = User._meta.get_field("display_name").max_length
DELETED_DISPLAY_NAME = "deleted user"
_UNCHANGED = None
# Right-to-left overrides and isolates can make a name read as someone else's.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


# --- Validation (the one place the limits live; forms show the same errors) -------------


def _has_control_characters(text: str, allowed: str = "") -> bool:
    return any(
        (unicodedata.category(char) == "Cc" and char not in allowed) or char in _BIDI_CONTROLS
        for char in text
    )


def clean_display_name(display_name: str) -> str:
    """Whitespace collapsed; at most 60 characters; blank means "use my username"."""
    name = " ".join((display_name or "").split())
    if len(name) > DISPLAY_NAME_MAX:
        raise InvalidInput(
            _("Display names are at most %(count)d characters.") % {"count": DISPLAY_NAME_MAX},
            field="display_name",
        )
    if _has_control_characters(name):
        raise InvalidInput(_("The name contains characters we can't show."), field="display_name")
    if name.casefold() == DELETED_DISPLAY_NAME:
        raise InvalidInput(_("That name is reserved for deleted accounts."), field="display_name")
    return name


def clean_bio(bio: str) -> str:
    """Plain text, line breaks kept, at most 300 characters."""
    text = "\n".join(line.rstrip() for line in (bio or "").replace("\r\n", "\n").split("\n"))
    text = text.strip()
    if len(text) > BIO_MAX:
        raise InvalidInput(
            _("Keep it under %(count)d characters.") % {"count": BIO_MAX}, field="bio"
        )
    if _has_control_characters(text, allowed="\n\t"):
        raise InvalidInput(_("The text contains characters we can't show."), field="bio")
    return text


def clean_language(language: str) -> str:
    """One of settings.LANGUAGES, or blank for whatever the browser asks for."""
    language = (language or "").strip()
    if language and language not in dict(settings.LANGUAGES):
        raise InvalidInput(_("Choose one of the languages offered."), field="language")
    return language


def _require_editor(actor: User, member: User) -> None:
    if not is_member(actor):
        raise NotSignedIn()
    if not permissions.may_write(actor):
        raise MemberSuspended.of(actor)
    if not permissions.can_edit_profile(actor, member):
        raise NotAllowed(_("You can only change your own profile."))


def _lock_member(member: User) -> User:
    # no_key: these writes leave the primary key and the username alone (STYLE.md §3).
    member = User.objects.select_for_update(no_key=True).get(pk=member.pk)
    if member.is_deleted:
        raise AccountDeleted()
    return member


def _delete_file(storage: Storage, name: str) -> None:
    if name:
        storage.delete(name)


# --- Profile ----------------------------------------------------------------------------


@transaction.atomic
def update_profile(
    actor: User,
    member: User,
    *,
    display_name: str | None = _UNCHANGED,
    bio: str | None = _UNCHANGED,
    language: str | None = _UNCHANGED,
) -> User:
    """The member (or a moderator, see permissions.can_edit_profile) changes the display
    name, bio or language preference; None leaves a field as it is. Records
    `member.profile_updated` with the before and after of what changed."""
    _require_editor(actor, member)
    changes = {}
    if display_name is not _UNCHANGED:
        changes["display_name"] = clean_display_name(display_name)
    if bio is not _UNCHANGED:
        changes["bio"] = clean_bio(bio)
    if language is not _UNCHANGED:
        changes["language"] = clean_language(language)
    member = _lock_member(member)
    changed = [field for field, value in changes.items() if getattr(member, field) != value]
    before = {field: getattr(member, field) for field in changed}
    for field in changed:
        setattr(member, field, changes[field])
    if changed:
        member.save(update_fields=changed)
        events.record(
            actor,
            v.PROFILE_UPDATED,
            member,
            payload={"before": before, "after": {field: changes[field] for field in changed}},
        )
    return member


def set_avatar(actor: User, member: User, upload) -> User:
    """The member (or a moderator) uploads a picture. It is re-encoded to a 256x256 square
    (accounts.avatars) before anything is stored; the previous file is deleted after commit.

    Not wrapped whole in a transaction: decoding a picture takes a while, and on SQLite
    every transaction holds the write lock from its start. The file is stored first and
    removed again if the row can't take it.
    """
    _require_editor(actor, member)
    image: ContentFile = normalise_avatar(upload)
    field = User._meta.get_field("avatar")
    name = field.storage.save(field.generate_filename(member, image.name), image)
    try:
        with transaction.atomic():
            member = _lock_member(member)
            previous = member.avatar.name
            member.avatar.name = name
            member.save(update_fields=["avatar"])
            events.record(actor, v.AVATAR_CHANGED, member)
            transaction.on_commit(partial(_delete_file, field.storage, previous))
    except BaseException:
        field.storage.delete(name)
        raise
    return member


@transaction.atomic
def remove_avatar(actor: User, member: User) -> User:
    """The member (or a moderator) goes back to initials; the file is deleted after commit."""
    _require_editor(actor, member)
    member = _lock_member(member)
    if not member.avatar:
        return member
    previous, storage = member.avatar.name, member.avatar.storage
    member.avatar = ""
    member.save(update_fields=["avatar"])
    events.record(actor, v.AVATAR_REMOVED, member)
    transaction.on_commit(partial(_delete_file, storage, previous))
    return member


# --- Leaving ----------------------------------------------------------------------------


@transaction.atomic
def delete_account(actor: User, member: User) -> User:
    """The member (or a superuser, for an erasure request) deletes the account.

    The row stays, anonymised, so every question, answer, comment, vote, revision and
    ledger entry keeps a valid author and the community loses nothing: the username
    becomes "deleted-<id>", the display name "deleted user", and the member can no longer
    log in. Personal data goes: name, bio, language, picture, email addresses, social
    accounts, MFA authenticators, group memberships and permissions, Wagtail's admin
    profile, and every session (ended after commit). Deleting twice is a no-op.
    """
    if not is_member(actor):
        raise NotSignedIn()
    if not permissions.can_delete_account(actor, member):
        raise NotAllowed(_("You can only delete your own account."))
    # A full lock, not no_key: the username, a unique column, changes.
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.is_deleted:
        return member

    files = [(member.avatar.storage, member.avatar.name)] if member.avatar else []
    admin_profile = UserProfile.objects.filter(user=member).first()
    if admin_profile is not None:
        if admin_profile.avatar:
            files.append((admin_profile.avatar.storage, admin_profile.avatar.name))
        admin_profile.delete()
    EmailAddress.objects.filter(user=member).delete()  # and their pending confirmations
    SocialAccount.objects.filter(user=member).delete()  # and their tokens
    Authenticator.objects.filter(user=member).delete()
    sessions = list(UserSession.objects.filter(user=member))
    UserSession.objects.filter(user=member).delete()
    member.groups.clear()
    member.user_permissions.clear()

    member.username = f"{DELETED_USERNAME_PREFIX}{member.pk}"
    member.display_name = DELETED_DISPLAY_NAME
    member.first_name = member.last_name = member.email = member.bio = member.language = ""
    member.avatar = ""
    member.is_active = member.is_staff = member.is_superuser = False
    # A new password hash also ends any session allauth.usersessions doesn't know of
    # (Django checks the hash on every request), and admin or test logins are such.
    member.set_unusable_password()
    member.save()
    events.record(actor, v.MEMBER_DELETED, member)

    for storage, name in files:
        transaction.on_commit(partial(_delete_file, storage, name))
    for session in sessions:
        transaction.on_commit(partial(_end_session, session.session_key))
    return member


def _end_session(session_key: str) -> None:
    import_module(settings.SESSION_ENGINE).SessionStore().delete(session_key)


# --- Suspension -------------------------------------------------------------------------

SUSPENSION_REASON_MAX = User._meta.get_field("suspension_reason").max_length


def _suspension(member: User) -> dict:
    return {
        "suspended": member.is_suspended,
        "until": member.suspended_until.isoformat() if member.suspended_until else None,
        "reason": member.suspension_reason,
    }


@transaction.atomic
def _parse_until(text: str) -> datetime | date:
    """A day (YYYY-MM-DD) or an ISO date-time, as a form or a script sends it."""
    for parse in (date.fromisoformat, datetime.fromisoformat):
        try:
            return parse(text.strip())
        except ValueError:
            continue
    raise InvalidInput(_("Give the last day of the suspension as a date."), field="until")


def suspend_member(
    actor: User, member: User, *, reason: str = "", until: datetime | date | str | None = None
) -> User:
    """Staff or a moderator suspends a member until a date (`until`) or for good (None),
    saying why; the member is told the reason on every page.

    A suspended member still signs in and reads, but can't post, vote, flag or edit:
    every write asks `permissions.may_write`, which reads the row each request, so their
    open sessions and API tokens stop writing at once. The suspension lifts itself when
    `until` passes. Suspending again changes the end and reason. Records
    `member.suspended` with `until` and `reason` and the before/after.
    """
    if refusal := permissions.suspension_refusal(actor, member):
        raise refusal
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput(_("Say why: the member sees the reason."), field="reason")
    if len(reason) > SUSPENSION_REASON_MAX:
        raise InvalidInput(
            _("Keep the reason under %(count)d characters.") % {"count": SUSPENSION_REASON_MAX},
            field="reason",
        )
    if isinstance(until, str):
        until = _parse_until(until)
    if isinstance(until, date) and not isinstance(until, datetime):
        # A day (the site's form): until the end of that day in the site's time zone.
        until = datetime.combine(until + timedelta(days=1), time.min)
    if until is not None and timezone.is_naive(until):
        until = timezone.make_aware(until)
    if until is not None and until <= timezone.now():
        raise InvalidInput(_("The end of a suspension must be in the future."), field="until")
    member = _lock_member(member)
    before = _suspension(member)
    if (
        before["suspended"]
        and member.suspended_until == until
        and member.suspension_reason == reason
    ):
        return member
    member.suspended_at = timezone.now()
    member.suspended_until, member.suspension_reason = until, reason
    member.save(update_fields=["suspended_at", "suspended_until", "suspension_reason"])
    after = _suspension(member)
    events.record(
        actor,
        v.MEMBER_SUSPENDED,
        member,
        payload={"until": after["until"], "reason": reason, "before": before, "after": after},
    )
    return member


@transaction.atomic
def reinstate_member(actor: User, member: User, *, reason: str = "") -> User:
    """Staff or a moderator lifts a member's suspension early. Records
    `member.reinstated` with the reason and the before/after; lifting a suspension that
    has ended (or never was) is a no-op. A deleted account stays deleted."""
    if refusal := permissions.suspension_refusal(actor, member, lifting=True):
        raise refusal
    reason = " ".join((reason or "").split())[:SUSPENSION_REASON_MAX]
    member = _lock_member(member)
    if not member.is_suspended:
        return member
    before = _suspension(member)
    member.suspended_at = member.suspended_until = None
    member.suspension_reason = ""
    member.save(update_fields=["suspended_at", "suspended_until", "suspension_reason"])
    events.record(
        actor,
        v.MEMBER_REINSTATED,
        member,
        payload={
            "until": before["until"],
            "reason": reason,
            "before": before,
            "after": _suspension(member),
        },
    )
    return member
