"""The community's structure as Wagtail pages: one index (the home page) and its categories.

Staff create, reorder and edit categories in the Wagtail admin. The questions themselves
are ordinary models that point at a category page.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb, for example #2563eb.")
)


class CommunityIndexPage(Page):
    """The community's home: categories with their counts, newest and unanswered questions."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["forum.CategoryPage", "kb.KnowledgeBaseIndexPage"]
    max_count = 1
    template = "forum/home.html"

    class Meta:
        verbose_name = _("community index")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from forum import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(queries.home_page(self, viewer=request.user))
        return context


class CategoryPage(Page):
    """One product or topic area. Its page lists the category's questions."""

    intro = models.TextField(_("introduction"), blank=True, max_length=500)
    icon = models.CharField(
        _("icon"),
        max_length=8,
        blank=True,
        help_text=_("An emoji or up to two letters shown beside the name."),
    )
    colour = models.CharField(
        _("colour"), max_length=7, default="#2563eb", validators=[colour_validator]
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("icon"), FieldPanel("colour")], heading=_("Appearance")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["forum.CommunityIndexPage"]
    subpage_types: list[str] = []
    template = "forum/category.html"

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from forum import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(queries.question_list_page(request, category=self))
        return context
