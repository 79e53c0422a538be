"""Moderation's event verbs (docs/ARCHITECTURE.md, "Events")."""

from django.utils.translation import gettext_lazy as _

from core import events

POST_FLAGGED = "post.flagged"
FLAG_RESOLVED = "flag.resolved"

events.declare(
    {
        POST_FLAGGED: _("flagged a post"),
        FLAG_RESOLVED: _("resolved flags on a post"),
    }
)
