"""The community's structure as Wagtail pages: one index (the home page) and its categories.

Staff create, reorder and edit categories in the Wagtail admin. The questions themselves
are ordinary models that point at a category page.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.http import HttpRequest
from django.urls import get_resolver
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core import language, panels
from forum import category_icons

colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb, for example #2563eb.")
)


class OnePerLocaleMixin:
    """At most one page of this type per locale (a plain `max_count = 1` counts every
    language's, so Wagtail's "Translate" could not make the Indonesian one): the admin
    offers the type only under a parent in a locale that has none, and saving a second
    one in the same locale is refused (docs/i18n.md)."""

    @classmethod
    def can_create_at(cls, parent) -> bool:
        return (
            super().can_create_at(parent)
            and not cls.objects.filter(locale_id=parent.locale_id).exists()
        )

    def clean(self) -> None:
        super().clean()
        others = type(self).objects.filter(locale_id=self.locale_id)
        if self.pk:
            others = others.exclude(pk=self.pk)
        if self.locale_id and others.exists():
            raise ValidationError(
                _("There is already a %(type)s in this language.")
                % {"type": self._meta.verbose_name}
            )


class CommunityIndexPage(OnePerLocaleMixin, Page):
    """The community's home: categories with their counts, newest and unanswered questions."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["forum.CategoryPage", "kb.KnowledgeBaseIndexPage"]
    template = "forum/home.html"

    class Meta:
        verbose_name = _("community index")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from forum import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(queries.home_page(self, viewer=request.user))
        context.update(panels.context_for("forum.home", request.user, self))  # kb articles
        return context


def site_url_prefixes() -> frozenset[str]:
    """The first path segments the site's own URLs take before Wagtail's page catch-all
    (config/urls.py): "admin", "api", "search", "questions" and so on. A page directly
    under the community index with one of these as its slug would never be reached."""
    from core import page_urls  # imports models: not at module level

    served = {url.strip("/").split("/", 1)[0] for url in (settings.STATIC_URL, settings.MEDIA_URL)}
    return _prefixes(get_resolver().url_patterns, page_urls) | {s for s in served if s}


def _prefixes(patterns, wagtail_urls) -> frozenset[str]:
    found: set[str] = set()
    for pattern in patterns:
        if getattr(pattern, "urlconf_name", None) is wagtail_urls:
            break  # the catch-all: everything after it is Wagtail's page tree
        route = str(pattern.pattern).lstrip("^")
        first = route.split("/", 1)[0]
        if first and not any(char in first for char in "<>()[]?*+\\$"):
            found.add(first)
        elif not route and hasattr(pattern, "url_patterns"):
            found |= _prefixes(pattern.url_patterns, wagtail_urls)
    return frozenset(found)


class TopLevelSlugMixin:
    """For pages that live directly under the community index (and so at `/<slug>/`):
    refuse a slug that one of the site's own URLs already takes."""

    def clean(self) -> None:
        super().clean()
        if self.slug in site_url_prefixes():
            raise ValidationError(
                {
                    "slug": _(
                        "“%(slug)s” is taken by one of the site's own addresses; choose "
                        "another slug."
                    )
                    % {"slug": self.slug}
                }
            )


class CategoryPage(TopLevelSlugMixin, Page):
    """One product or topic area. Its page lists the category's questions."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)
    icon_name = models.CharField(
        _("icon"),
        max_length=20,
        blank=True,
        choices=category_icons.CHOICES,
        help_text=_("Drawn beside the name. With none chosen, the emoji below is shown."),
    )
    icon = models.CharField(
        _("emoji"),
        max_length=8,
        blank=True,
        help_text=_("An emoji or up to two letters, shown when no icon is chosen."),
    )
    colour = models.CharField(
        _("colour"), max_length=7, default="#2563eb", validators=[colour_validator]
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("icon_name"), FieldPanel("icon"), FieldPanel("colour")],
            heading=_("Appearance"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["forum.CommunityIndexPage"]
    subpage_types: list[str] = []
    template = "forum/category.html"

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def clean(self) -> None:
        super().clean()
        if self.locale_id is None or language.is_default_language(self):
            return
        if language.source_page(self) is self:
            raise ValidationError(
                _(
                    "Create a category in %(language)s first, then translate it: questions "
                    "are filed in the %(language)s category and shown on its translations."
                )
                % {"language": dict(settings.LANGUAGES)[settings.LANGUAGE_CODE]}
            )

    @cached_property
    def question_category(self) -> "CategoryPage":
        """The category this page's questions are filed in: its default-language twin
        (docs/i18n.md), or itself."""
        return language.source_page(self)

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from forum import queries

        category = self.question_category  # a translation lists its twin's questions
        context = super().get_context(request, *args, **kwargs)
        context.update(queries.question_list_page(request, category=category))
        context.update(panels.context_for("forum.category", request.user, category))
        context["question_category"] = category
        return context
