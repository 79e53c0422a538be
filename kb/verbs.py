"""The knowledge base's event verbs (docs/ARCHITECTURE.md, "Events")."""

from django.utils.translation import gettext_lazy as _

from core import events

ARTICLE_PROMOTED = "article.promoted"
ARTICLE_PUBLISHED = "article.published"
ARTICLE_UNPUBLISHED = "article.unpublished"
ARTICLE_DELETED = "article.deleted"
ARTICLE_REVIEWED = "article.reviewed"
ARTICLE_WENT_STALE = "article.went_stale"
ARTICLE_RATED = "article.rated"
ARTICLE_SOURCE_HIDDEN = "article.source_hidden"
ARTICLE_SOURCE_SHOWN = "article.source_shown"

events.declare(
    {
        ARTICLE_PROMOTED: _("promoted a thread to the knowledge base"),
        ARTICLE_PUBLISHED: _("published an article"),
        ARTICLE_UNPUBLISHED: _("unpublished an article"),
        ARTICLE_DELETED: _("deleted an article"),
        ARTICLE_REVIEWED: _("reviewed an article"),
        ARTICLE_WENT_STALE: _("an article's source thread changed"),
        ARTICLE_RATED: _("rated an article"),
        ARTICLE_SOURCE_HIDDEN: _("an article's source thread was hidden from visitors"),
        ARTICLE_SOURCE_SHOWN: _("an article's source thread is public again"),
    }
)
