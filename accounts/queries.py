"""Reads about accounts shared by the settings pages, the middleware and the API."""

from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.errors import NotAllowed, NotSignedIn
from accounts.models import User
from forum.models import Answer, Comment, Question, ReputationEntry, Vote
from forum.permissions import is_member, is_moderator

EXPORT_FORMAT = "tanya-account-export/1"


def needs_mfa_setup(user) -> bool:
    """True when TANYA_REQUIRE_MFA_FOR_STAFF is on and `user` is staff or a moderator
    with neither an authenticator app (TOTP) nor a security key or passkey (WebAuthn).

    Recovery codes alone don't count: they only exist beside one of the two. One query
    for staff and moderators (their authenticators), none for anyone else once their
    permissions are loaded.
    """
    if not settings.TANYA_REQUIRE_MFA_FOR_STAFF or not is_moderator(user):
        return False
    return not is_mfa_enabled(user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_account_data(actor: User, member: User) -> dict:
    """Everything Tanya holds about `member` that they gave it or earned, as a JSON-ready
    dict: profile, email addresses, connected accounts, MFA methods (never their
    secrets), questions, answers and comments (in every visibility state, they wrote
    them; `deleted_at` is exported as their data, the when of a deletion, never to decide
    who sees what), votes and reputation history.

    Nothing about other members: no other authors, voters or actors, only the ids and
    addresses of the posts the member answered or voted on. Only the member themself, or
    a superuser answering their request, may read it. A read, so it lives here and not
    in actions.py (STYLE.md §1 and §8). A fixed number of queries however much there is.
    """
    if not is_member(actor):
        raise NotSignedIn()
    if not permissions.can_export_account_data(actor, member):
        raise NotAllowed(_("You can only download your own data."))

    questions = (
        Question.objects.filter(author=member).select_related("category").prefetch_related("tags")
    )
    answers = Answer.objects.filter(author=member).select_related("question")
    comments = Comment.objects.filter(author=member)
    votes = Vote.objects.filter(voter=member)
    history = ReputationEntry.objects.filter(user=member)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "username": member.username,
            "display_name": member.display_name,
            "bio": member.bio,
            "language": member.language,
            "avatar_url": member.avatar.url if member.avatar else None,
            "profile_url": member.get_absolute_url(),
            "date_joined": _when(member.date_joined),
            "last_login": _when(member.last_login),
            "reputation": member.reputation,
            "first_name": member.first_name,
            "last_name": member.last_name,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=member).order_by("email")
        ],
        "connected_accounts": [
            {
                "provider": account.provider,
                "uid": account.uid,
                "connected_at": _when(account.date_joined),
                "last_login": _when(account.last_login),
            }
            for account in SocialAccount.objects.filter(user=member).order_by("pk")
        ],
        "mfa": [
            {
                "type": authenticator.type,
                "created_at": _when(authenticator.created_at),
                "last_used_at": _when(authenticator.last_used_at),
            }
            for authenticator in Authenticator.objects.filter(user=member).order_by("pk")
        ],
        "questions": [
            {
                "id": question.pk,
                "url": question.get_absolute_url(),
                "title": question.title,
                "body": question.body,
                "category": question.category.title,
                "tags": sorted(tag.name for tag in question.tags.all()),
                "state": question.state,
                "score": question.score,
                "created_at": _when(question.created_at),
                "updated_at": _when(question.updated_at),
                "visibility": question.visibility,
                "deleted_at": _when(question.deleted_at),
            }
            for question in questions.order_by("pk")
        ],
        "answers": [
            {
                "id": answer.pk,
                "url": answer.get_absolute_url(),
                "question_id": answer.question_id,
                "body": answer.body,
                "score": answer.score,
                "accepted": answer.question.accepted_answer_id == answer.pk,
                "created_at": _when(answer.created_at),
                "updated_at": _when(answer.updated_at),
                "visibility": answer.visibility,
                "deleted_at": _when(answer.deleted_at),
            }
            for answer in answers.order_by("pk")
        ],
        "comments": [
            {
                "id": comment.pk,
                "question_id": comment.question_id,
                "answer_id": comment.answer_id,
                "body": comment.body,
                "created_at": _when(comment.created_at),
                "visibility": comment.visibility,
                "deleted_at": _when(comment.deleted_at),
            }
            for comment in comments.order_by("pk")
        ],
        "votes": [
            {
                "question_id": vote.question_id,
                "answer_id": vote.answer_id,
                "value": vote.value,
                "created_at": _when(vote.created_at),
                "updated_at": _when(vote.updated_at),
            }
            for vote in votes.order_by("pk")
        ],
        "reputation_history": [
            {
                "amount": entry.amount,
                "reason": entry.reason,
                "correction_of": entry.reverses_id,
                "cause": entry.cause,
                "question_id": entry.question_id,
                "answer_id": entry.answer_id,
                "created_at": _when(entry.created_at),
                "id": entry.pk,
            }
            for entry in history.order_by("created_at", "pk")
        ],
    }
