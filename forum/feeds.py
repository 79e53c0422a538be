"""RSS and Atom feeds of the newest public questions: all, per category and per tag
(django.contrib.syndication; docs/feeds.md). A follower needs no account, so a feed shows
what an anonymous visitor's list shows (queries.feed_questions: visible_to(None))."""

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from forum import queries
from forum.models import CategoryPage, Question


class NewestQuestionsFeed(Feed):
    """Every category's newest questions (RSS 2.0)."""

    def get_object(self, request: HttpRequest, *args, **kwargs):
        return None

    def title(self, obj) -> str:
        return _("Newest questions")

    def link(self, obj) -> str:
        return reverse("forum:questions") + "?sort=newest"

    def description(self, obj) -> str:
        return _("The newest questions asked in the community.")

    def subtitle(self, obj) -> str:  # Atom's name for the description
        return self.description(obj)

    def feed_url(self, obj) -> str:
        return reverse(self.url_name, args=self.url_args(obj))

    url_name = "forum:feed_questions"

    def url_args(self, obj) -> list:
        return []

    def items(self, obj) -> list[Question]:
        return queries.feed_questions()

    def item_title(self, item: Question) -> str:
        return item.title

    def item_description(self, item: Question) -> str:
        return item.body_html

    def item_link(self, item: Question) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Question):
        return item.created_at

    def item_updateddate(self, item: Question):
        return item.last_activity_at

    def item_author_name(self, item: Question) -> str | None:
        return item.author.name if item.author else None

    def item_categories(self, item: Question) -> list[str]:
        return [tag.name for tag in item.tags.all()]


class NewestQuestionsAtomFeed(NewestQuestionsFeed):
    feed_type = Atom1Feed
    url_name = "forum:feed_questions_atom"


class CategoryQuestionsFeed(NewestQuestionsFeed):
    """One live category's newest questions."""

    url_name = "forum:feed_category"

    def get_object(self, request: HttpRequest, slug: str) -> CategoryPage:
        category = queries.category_by_id_or_slug(slug)
        if category is None:
            raise Http404
        return category

    def url_args(self, obj: CategoryPage) -> list:
        return [obj.slug]

    def title(self, obj: CategoryPage) -> str:
        return _("Newest questions in %(category)s") % {"category": obj.title}

    def link(self, obj: CategoryPage) -> str:
        return obj.url or reverse("forum:questions")

    def description(self, obj: CategoryPage) -> str:
        return obj.intro or self.title(obj)

    def items(self, obj: CategoryPage) -> list[Question]:
        return queries.feed_questions(category=obj)


class CategoryQuestionsAtomFeed(CategoryQuestionsFeed):
    feed_type = Atom1Feed
    url_name = "forum:feed_category_atom"


class TagQuestionsFeed(NewestQuestionsFeed):
    """The newest questions with one tag."""

    url_name = "forum:feed_tag"

    def get_object(self, request: HttpRequest, slug: str):
        return queries.tag_by_slug(slug)

    def url_args(self, obj) -> list:
        return [obj.slug]

    def title(self, obj) -> str:
        return _("Newest questions tagged “%(tag)s”") % {"tag": obj.name}

    def link(self, obj) -> str:
        return reverse("forum:tag", args=[obj.slug])

    def description(self, obj) -> str:
        return self.title(obj)

    def items(self, obj) -> list[Question]:
        return queries.feed_questions(tag=obj)


class TagQuestionsAtomFeed(TagQuestionsFeed):
    feed_type = Atom1Feed
    url_name = "forum:feed_tag_atom"
