"""The one place the limits on what members write live; forms show the same errors."""

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import language
from forum.errors import (
    InvalidInput,
)
from forum.models import (
    CategoryPage,
)
from forum.tags import tag_slug

TITLE_MIN, TITLE_MAX = 15, 150
BODY_MIN, BODY_MAX = 20, 30_000
COMMENT_MIN, COMMENT_MAX = 2, 600
TAGS_MAX, TAG_LENGTH_MAX = 5, 35
_TAG_RE = re.compile(r"^[\w][\w.+#-]*$", re.UNICODE)


def _refuse_nul(text: str, field: str) -> str:
    # PostgreSQL can't store NUL in text; refuse it here so no caller gets a 500.
    if "\x00" in text:
        raise InvalidInput(_("Text can't contain NUL characters."), field=field)
    return text


def clean_title(title: str) -> str:
    title = " ".join(_refuse_nul(title or "", "title").split())
    if len(title) < TITLE_MIN:
        raise InvalidInput(
            ngettext(
                "The title must be at least %(count)d character long.",
                "The title must be at least %(count)d characters long.",
                TITLE_MIN,
            )
            % {"count": TITLE_MIN},
            field="title",
        )
    if len(title) > TITLE_MAX:
        raise InvalidInput(
            _("The title must be at most %(count)d characters long.") % {"count": TITLE_MAX},
            field="title",
        )
    return title


def clean_body(body: str) -> str:
    body = _refuse_nul(body or "", "body").strip()
    if len(body) < BODY_MIN:
        raise InvalidInput(
            _("Please write at least %(count)d characters.") % {"count": BODY_MIN}, field="body"
        )
    if len(body) > BODY_MAX:
        raise InvalidInput(
            _("Please keep it under %(count)d characters.") % {"count": BODY_MAX}, field="body"
        )
    return body


def clean_comment(body: str) -> str:
    body = " ".join(_refuse_nul(body or "", "body").split())
    if len(body) < COMMENT_MIN:
        raise InvalidInput(_("The comment is too short."), field="body")
    if len(body) > COMMENT_MAX:
        raise InvalidInput(
            _("Comments are at most %(count)d characters.") % {"count": COMMENT_MAX}, field="body"
        )
    return body


def clean_tags(tags: Iterable[str] | str) -> list[str]:
    """Lower-case, de-duplicate and check tags; accepts a list or a space/comma separated string."""
    if isinstance(tags, str):
        tags = re.split(r"[\s,]+", tags)
    cleaned: list[str] = []
    for raw in tags:
        tag = tag_slug(str(raw)) if raw else ""
        if not tag or tag in cleaned:
            continue
        if len(tag) > TAG_LENGTH_MAX or not _TAG_RE.match(tag):
            raise InvalidInput(
                _("“%(tag)s” is not a valid tag (letters, digits and dashes, at most %(count)d).")
                % {"tag": str(raw)[:40], "count": TAG_LENGTH_MAX},
                field="tags",
            )
        cleaned.append(tag)
    if len(cleaned) > TAGS_MAX:
        raise InvalidInput(_("Use at most %(count)d tags.") % {"count": TAGS_MAX}, field="tags")
    return cleaned


def clean_category(category: CategoryPage | None) -> CategoryPage:
    # Re-read: the caller's instance may be unsaved, or unpublished since it was loaded.
    # A translation files the question in its default-language twin (docs/i18n.md).
    if isinstance(category, CategoryPage) and category.pk is not None:
        category = CategoryPage.objects.live().filter(pk=category.pk).first()
        if category is not None:
            category = language.source_page(category)
            category = CategoryPage.objects.live().filter(pk=category.pk).first()
    else:
        category = None
    if category is None:
        raise InvalidInput(_("Choose one of the categories."), field="category")
    return category


def clean_post_language(language: str | None, text: str, author) -> str:
    """The language a post is written in: the writer's choice if it is one of the site's
    languages, else detected from `text`, falling back on the author's preference."""
    from django.conf import settings

    from core.textlanguage import detect_language

    language = (language or "").strip()
    if language:
        if language not in dict(settings.LANGUAGES):
            raise InvalidInput(_("Choose one of the languages offered."), field="language")
        return language
    return detect_language(text, default=getattr(author, "language", "") or "")


def edited_language(language: str | None, post, text: str, *, changed: bool) -> str:
    """The language of `post` after an edit that leaves it as `text`: the writer's choice
    if given; else detected again from the new text when it `changed` (falling back on the
    post's own language), or kept when it didn't (docs/i18n.md)."""
    if language:
        return clean_post_language(language, text, post.author)
    if not changed:
        return post.language
    from core.textlanguage import detect_language

    return detect_language(text, default=post.language)
