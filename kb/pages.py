"""The knowledge base as Wagtail pages: one index, its articles and one FAQ page.

Everything on an ArticlePage is content: it is saved in the page's revisions and comes
back from them when a revision is published. State that changes outside the editor (has
the source thread changed since the last review? who voted it helpful? was the
promotion bonus paid?) lives in kb.models instead, because publishing a revision (and
saving a draft of a never-published page) writes every page field from that revision and
would silently undo it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from forum.pages import OnePerLocaleMixin, TopLevelSlugMixin
from kb.blocks import ArticleBodyBlock


class KnowledgeBaseIndexPage(OnePerLocaleMixin, TopLevelSlugMixin, Page):
    """Lists the published articles by category, most helpful first."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["forum.CommunityIndexPage"]
    subpage_types = ["kb.ArticlePage", "kb.FAQPage"]
    template = "kb/knowledge_base_index.html"

    class Meta:
        verbose_name = _("knowledge base")
        verbose_name_plural = _("knowledge bases")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from kb import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(queries.knowledge_base_page(self))
        return context


class TaggedArticle(TaggedItemBase):
    content_object = ParentalKey(
        "kb.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_once"),
        ]
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_article_by_tag")]


class ArticlePage(Page):
    """A knowledge-base article, usually promoted from a solved thread (kb.actions)."""

    summary = models.CharField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences: shown in lists, on the FAQ page and to search engines."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"))
    category = models.ForeignKey(
        "forum.CategoryPage",
        verbose_name=_("category"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    tags = ClusterTaggableManager(verbose_name=_("tags"), through=TaggedArticle, blank=True)
    is_faq = models.BooleanField(
        _("show on the FAQ page"),
        default=False,
        help_text=_("List this article as a frequently asked question."),
    )
    source_question = models.ForeignKey(
        "forum.Question",
        verbose_name=_("source question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_answer = models.ForeignKey(
        "forum.Answer",
        verbose_name=_("source answer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    credited = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("credited members"),
        blank=True,
        related_name="credited_articles",
        help_text=_("The community members whose answer this article is."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("tags"), FieldPanel("is_faq")],
            heading=_("Filing"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("source_question", read_only=True),
                FieldPanel("source_answer", read_only=True),
                FieldPanel("credited", read_only=True),
            ],
            heading=_("Source thread"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("category_id"),
        index.FilterField("is_faq"),
    ]
    parent_page_types = ["kb.KnowledgeBaseIndexPage"]
    subpage_types: list[str] = []
    # A copy would claim the same source thread, which the unique constraint refuses.
    exclude_fields_in_copy = ["source_question", "source_answer"]
    template = "kb/article_page.html"

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("promote_question", _("Can promote solved questions to the knowledge base")),
        ]
        constraints = [
            # One article per source thread; promoting again finds this one.
            models.UniqueConstraint(fields=["source_question"], name="kb_one_article_per_question"),
        ]

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from kb import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(queries.article_page(self, request))
        return context


class FAQPage(OnePerLocaleMixin, Page):
    """The articles marked as FAQ, grouped by category, each one expandable."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["kb.KnowledgeBaseIndexPage"]
    subpage_types: list[str] = []
    template = "kb/faq_page.html"

    class Meta:
        verbose_name = _("FAQ page")
        verbose_name_plural = _("FAQ pages")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from kb import queries

        context = super().get_context(request, *args, **kwargs)
        context.update(queries.faq_page(self, request))
        return context
