"""Moderation's refusals (core.errors.DomainError: code, HTTP status, message)."""

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError


class AlreadyFlagged(DomainError):
    code, status, message = "already_flagged", 409, _("You have already flagged this post.")


class ReviewClosed(DomainError):
    code, status, message = "review_closed", 409, _("This review is already closed.")
