"""RSS and Atom feeds of the newest knowledge-base articles (docs/feeds.md): only live,
public ones (kb.queries.feed_articles), for a follower without an account."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from kb import queries
from kb.models import ArticlePage


class NewestArticlesFeed(Feed):
    url_name = "kb:feed_articles"

    def title(self) -> str:
        return _("Knowledge base: newest articles")

    def link(self) -> str:
        index = queries.knowledge_base_index()
        return (index.url if index is not None else None) or "/"

    def description(self) -> str:
        return _("Answers from the community, written up as knowledge-base articles.")

    def subtitle(self) -> str:  # Atom's name for the description
        return self.description()

    def feed_url(self) -> str:
        return reverse(self.url_name)

    def items(self) -> list[ArticlePage]:
        return queries.feed_articles()

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.summary

    def item_link(self, item: ArticlePage) -> str:
        return item.url or "/"

    def item_pubdate(self, item: ArticlePage):
        return item.first_published_at

    def item_updateddate(self, item: ArticlePage):
        return item.last_published_at

    def item_categories(self, item: ArticlePage) -> list[str]:
        return [item.category.title] if item.category else []


class NewestArticlesAtomFeed(NewestArticlesFeed):
    feed_type = Atom1Feed
    url_name = "kb:feed_articles_atom"
