"""Reads for the knowledge base's pages, the question page's banner and the admin reports.

Each returns objects already shaped for its caller, so a page's query count doesn't grow
with the number of articles, votes or credited members.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from core import language
from forum.models import Question, QuestionState, Visibility
from forum.pagination import Ordering, Page, paginate
from kb.models import (
    ArticlePage,
    ArticleReview,
    FAQPage,
    HelpfulnessVote,
    KnowledgeBaseIndexPage,
    TaggedArticle,
)

RELATED_MAX = 5
VISITOR_COOKIE = "kb_visitor"
VISITOR_COOKIE_SALT = "kb.visitor"


# --- The source thread ------------------------------------------------------------------


def source_snapshot(question: Question | None) -> dict:
    """The parts of a thread an article depends on, as plain data (stored at each review).

    Expects `accepted_answer` to be loaded (select_related) to cost no query.
    """
    if question is None:
        return {"title": "", "question": "", "answer_id": None, "answer": "", "state": "gone"}
    answer = question.accepted_answer
    state = question.state if question.is_visible else question.visibility
    return {
        "title": question.title,
        "question": question.body,
        "answer_id": answer.pk if answer is not None else None,
        "answer": answer.body if answer is not None and answer.is_visible else "",
        "state": state,
    }


def _snapshot_text(snapshot: dict) -> list[str]:
    states = dict(QuestionState.choices) | dict(Visibility.choices) | {"gone": _("Gone")}
    if not snapshot:
        return []
    answer_id = snapshot.get("answer_id")
    lines = [
        _("Title: %(title)s") % {"title": snapshot.get("title", "")},
        _("State: %(state)s") % {"state": states.get(snapshot.get("state"), snapshot.get("state"))},
        "",
        _("Question:"),
        *snapshot.get("question", "").splitlines(),
        "",
        (_("Accepted answer #%(id)s:") % {"id": answer_id})
        if answer_id
        else _("No accepted answer"),
        *snapshot.get("answer", "").splitlines(),
    ]
    return lines


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "context" or "hunk"
    text: str


def source_diff(before: dict, after: dict) -> list[DiffLine]:
    """A unified diff of two snapshots, line by line, for a template to escape and colour."""
    lines = difflib.unified_diff(_snapshot_text(before), _snapshot_text(after), lineterm="", n=2)
    result = []
    for line in lines:
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            result.append(DiffLine("hunk", line))
        elif line.startswith("+"):
            result.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            result.append(DiffLine("removed", line[1:]))
        else:
            result.append(DiffLine("context", line[1:]))
    return result


def article_for_question(question_id: int) -> ArticlePage | None:
    """The published article promoted from a question, for the thread's banner. One query."""
    return (
        ArticlePage.objects.live()
        .filter(source_question_id=question_id)
        .defer_streamfields()
        .first()
    )


# --- Site pages -------------------------------------------------------------------------


def with_helpfulness(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """Annotate `helpful_yes` and `helpful_no` vote counts."""
    return articles.annotate(
        helpful_yes=Count("helpfulness_votes", filter=Q(helpfulness_votes__helpful=True)),
        helpful_no=Count("helpfulness_votes", filter=Q(helpfulness_votes__helpful=False)),
    )


def _published(articles: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    return articles.live().public().select_related("category").defer_streamfields()


@dataclass
class CategoryGroup:
    category: object | None
    articles: list

    @property
    def count(self) -> int:
        return len(self.articles)


def _group_by_category(articles: list[ArticlePage]) -> list[CategoryGroup]:
    """Groups in the categories' admin order (uncategorised last); each keeps its order."""
    groups: dict[int | None, CategoryGroup] = {}
    for article in articles:
        group = groups.setdefault(article.category_id, CategoryGroup(article.category, []))
        group.articles.append(article)
    return sorted(
        groups.values(),
        key=lambda group: (group.category is None, getattr(group.category, "path", "")),
    )


def knowledge_base_page(index_page) -> dict:
    """The index: published articles grouped by category, each group most helpful first,
    with counts, and the FAQ page. Three queries (the articles, Wagtail's view
    restrictions, the FAQ page) however many articles there are."""
    articles = list(
        with_helpfulness(_published(ArticlePage.objects.child_of(index_page))).order_by(
            "-helpful_yes", "helpful_no", "title"
        )
    )
    faq = FAQPage.objects.live().child_of(index_page).first()
    return {"groups": _group_by_category(articles), "article_count": len(articles), "faq": faq}


def faq_page(faq_page, request: HttpRequest | None = None) -> dict:
    """The FAQ: published articles marked FAQ, grouped by category, with their JSON-LD."""
    from kb.structured_data import faq_page_jsonld

    articles = list(
        _published(ArticlePage.objects.sibling_of(faq_page).filter(is_faq=True)).order_by("title")
    )
    return {
        "groups": _group_by_category(articles),
        "jsonld": faq_page_jsonld(faq_page, articles, request=request),
    }


def visitor_token(request: HttpRequest) -> str:
    """The browser's knowledge-base visitor token from its signed cookie, or ""."""
    return request.get_signed_cookie(VISITOR_COOKIE, default="", salt=VISITOR_COOKIE_SALT)


def visitor_vote(article: ArticlePage, request: HttpRequest) -> HelpfulnessVote | None:
    """This visitor's vote on `article`, if any: one query, none for a cookie-less stranger."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        visitor = f"member:{user.pk}"
    else:
        token = visitor_token(request)
        if not token:
            return None
        visitor = f"anon:{token}"
    return HelpfulnessVote.objects.filter(article_id=article.pk, visitor=visitor).first()


def related_articles(article: ArticlePage) -> list[ArticlePage]:
    """Other published articles in the same category or sharing a tag, most helpful first."""
    shares_a_tag = Exists(
        TaggedArticle.objects.filter(
            content_object=OuterRef("pk"),
            tag__in=TaggedArticle.objects.filter(content_object=article.pk).values("tag"),
        )
    )
    same_category = Q(category_id=article.category_id) if article.category_id else Q(pk__in=[])
    return list(
        with_helpfulness(
            _published(
                ArticlePage.objects.exclude(pk=article.pk).filter(same_category | shares_a_tag)
            )
        ).order_by("-helpful_yes", "helpful_no", "title")[:RELATED_MAX]
    )


def article_page(article: ArticlePage, request: HttpRequest) -> dict:
    """Everything an article page shows besides its body, in a fixed number of queries."""
    from kb.structured_data import article_jsonld

    # The thread it was promoted from; a translation (whose copy leaves source_question out,
    # one article per question) links its source article's thread, in the same one query.
    if article.source_question_id is not None:
        from_thread = Q(pk=article.source_question_id)
    else:
        translations = ArticlePage.objects.filter(
            translation_key=article.translation_key, source_question__isnull=False
        ).exclude(pk=article.pk)
        from_thread = Q(pk__in=translations.values("source_question_id")[:1])
    source = (
        Question.objects.visible_to(None).filter(from_thread).only("pk", "title", "slug").first()
    )
    credited = list(article.credited.all())
    review = (
        ArticleReview.objects.filter(article_id=article.pk)
        .only("article_id", "last_reviewed_at")
        .first()
    )
    return {
        "source_question": source,
        "credited": credited,
        "tags": list(article.tags.all()),
        "category": article.category,
        "last_reviewed_at": review.last_reviewed_at if review is not None else None,
        "related": related_articles(article),
        "my_vote": visitor_vote(article, request),
        "jsonld": article_jsonld(article, credited=credited, request=request),
    }


# --- Admin reports ----------------------------------------------------------------------


def promotion_candidates() -> QuerySet[Question]:
    """Visible solved questions with no article yet, with what the report shows."""
    promoted = ArticlePage.objects.filter(source_question=OuterRef("pk"))
    return (
        Question.objects.visible_to(None)
        .filter(accepted_answer__isnull=False)
        .exclude(Exists(promoted))
        .select_related("category", "accepted_answer__author")
        .defer("body_html", "accepted_answer__body_html")
    )


def stale_articles() -> QuerySet[ArticleReview]:
    """Review rows of articles whose source changed since their last review, newest first."""
    return (
        ArticleReview.objects.filter(stale=True)
        .select_related("article", "last_reviewed_by")
        .order_by("-stale_since", "-pk")
    )


def attach_source_diffs(reviews: list[ArticleReview]) -> list[ArticleReview]:
    """Set `diff` (a list of DiffLine) on each review: one query for all their threads."""
    question_ids = [r.article.source_question_id for r in reviews if r.article.source_question_id]
    questions = Question.objects.select_related("accepted_answer").in_bulk(question_ids)
    for review in reviews:
        current = source_snapshot(questions.get(review.article.source_question_id))
        review.diff = source_diff(review.snapshot, current)
    return reviews


def least_helpful_articles() -> QuerySet[ArticlePage]:
    """Articles with at least one vote, the smallest share of "yes" first."""
    return (
        with_helpfulness(ArticlePage.objects.all())
        .annotate(helpful_total=Count("helpfulness_votes"))
        .filter(helpful_total__gt=0)
        .defer_streamfields()
    )


def attach_latest_comments(articles: list[ArticlePage], per_article: int = 3) -> list:
    """Set `latest_comments` on each article (its newest few): one query for all of them."""
    newest_first = Window(
        RowNumber(), partition_by=F("article_id"), order_by=[F("created_at").desc(), F("pk").desc()]
    )
    votes = (
        HelpfulnessVote.objects.filter(article_id__in=[a.pk for a in articles])
        .exclude(comment="")
        .annotate(rank=newest_first)
        .filter(rank__lte=per_article)
        .order_by("article_id", "rank")
        .only("article_id", "helpful", "comment", "created_at")
    )
    by_article: dict[int, list[HelpfulnessVote]] = {a.pk: [] for a in articles}
    for vote in votes:
        by_article[vote.article_id].append(vote)
    for article in articles:
        article.latest_comments = by_article[article.pk]
    return articles


def article_plain_text(article: ArticlePage) -> str:
    """An article's words as plain text (title, summary, every block), for search and
    excerpts. Reads the stored block data, so it costs no query (images aren't loaded)."""
    return " ".join(f"{article.title} {article.summary} {article_body_text(article)}".split())


def article_body_text(article: ArticlePage) -> str:
    """The words of an article's body blocks alone, as plain text (search indexes the
    title and summary apart). Costs no query."""
    return " ".join(" ".join(text for _, text in article_body_parts(article)).split())


def article_body_parts(article: ArticlePage) -> list[tuple[str, str]]:
    """(block type, text) of an article's body blocks in order, so a reader can tell a
    heading from the text under it (search's snippets leave headings out). Costs no query."""
    return [
        (block.get("type") or "", text)
        for block in article.body.raw_data
        for text in _block_text(block.get("type"), block.get("value"))
    ]


def _block_text(kind: str | None, value) -> list[str]:
    if kind == "heading":
        return [str(value or "")]
    if kind == "rich_text":
        return [_html_text(value)]
    if kind == "code":
        return [str((value or {}).get("code", ""))]
    if kind == "callout":
        return [_html_text((value or {}).get("text"))]
    if kind == "image":
        return [str((value or {}).get(key) or "") for key in ("alt_text", "caption")]
    if kind == "steps":
        texts = []
        for item in value or []:
            step = item.get("value", item) if isinstance(item, dict) else {}
            texts += [str(step.get("title") or ""), _html_text(step.get("detail"))]
        return texts
    return []


def _html_text(markup) -> str:
    # Spaces where tags were, so "<p>a</p><p>b</p>" doesn't read as "ab".
    return html.unescape(strip_tags(re.sub(r"<", " <", str(markup or ""))))


# --- The JSON API's reads -----------------------------------------------------------------

ARTICLES_PER_PAGE = 20
NEWEST_ARTICLES = Ordering("first_published_at")


def _api_articles() -> QuerySet[ArticlePage]:
    # `source_public`: the API names the source thread only while everyone may see it, as
    # the article page links to it (article_page); in the same query.
    public_source = Question.objects.visible_to(None).filter(pk=OuterRef("source_question_id"))
    return (
        with_helpfulness(_published(ArticlePage.objects.all()))
        .annotate(source_public=Exists(public_source))
        .select_related("review")
        .prefetch_related("tags")
    )


def article_list(
    *, category: str | None = None, faq: bool | None = None, cursor: str | None = None
) -> Page:
    """Published articles, newest first, a keyset page at a time (for the API).

    `category` is an id or a slug; an unknown one raises Http404. Three queries a page: Wagtail's
    view restrictions, the articles (with helpfulness and review), and their tags.
    """
    from forum.queries import category_named

    articles = _api_articles()
    if category is not None:
        found = category_named(category)
        if found is None:
            raise Http404(_("There is no such category."))
        articles = articles.filter(category=found)
    if faq is not None:
        articles = articles.filter(is_faq=faq)
    return paginate(articles, NEWEST_ARTICLES, cursor, ARTICLES_PER_PAGE)


def published_article(article_id: int) -> ArticlePage | None:
    """One live, public article with what the API shows of it, or None."""
    return _api_articles().prefetch_related("credited").filter(pk=article_id).first()


FEED_SIZE = 30  # articles per feed


def feed_articles(limit: int = FEED_SIZE) -> list[ArticlePage]:
    """The newest live, public articles, for the RSS and Atom feeds (kb/feeds.py): never a
    draft, an unpublished article or one behind a Wagtail view restriction. Two queries
    however many (the view restrictions `public()` reads, and the articles)."""
    return list(
        _published(ArticlePage.objects.all()).order_by("-first_published_at", "-pk")[:limit]
    )


# --- The knowledge base on the forum's pages (kb/panels.py) ------------------------------

HELPFUL_WINDOW = timedelta(days=30)

# Which articles the forum's pages list is kept in the cache (`LISTS_SCOPE`, a version of
# core.pagecache bumped by kb/subscribers.py the moment an article is rated, published,
# unpublished, deleted or promoted, and by any Wagtail publication through "site"): a view
# then reads only those few articles by key instead of adding up every article's votes.
# The 30-day window slides, so an entry also expires after LISTS_SECONDS. Only where the
# page cache runs (a cache shared by every process, TANYA_PAGE_CACHE); with a cache of
# one's own per process a bump would not reach the others.
LISTS_SCOPE = "kb"
LISTS_SECONDS = 600


def _listed(name: str, articles: QuerySet, order: tuple, limit: int) -> list[ArticlePage]:
    """`articles` in `order`, the first `limit`: the keys from the cache when kept there."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils.translation import get_language

    from core import pagecache

    found = pagecache.versions(["site", LISTS_SCOPE]) if settings.TANYA_PAGE_CACHE else None
    if found is None:
        return list(articles.order_by(*order)[:limit])
    key = "kb-list:{}:{}:{}:{}:{}".format(name, get_language(), limit, *found)
    keys = cache.get(key)
    if keys is None:
        rows = list(articles.order_by(*order)[:limit])
        cache.set(key, [row.pk for row in rows], LISTS_SECONDS)
        return rows
    return list(articles.filter(pk__in=keys).order_by(*order))


def most_helpful_this_month(limit: int = 5, *, now=None) -> list[ArticlePage]:
    """Published articles with the most "helpful" votes in the last 30 days (at least one),
    each with `helpful_recent`. Two queries (the articles, Wagtail's view restrictions)."""
    since = (now or timezone.now()) - HELPFUL_WINDOW
    recent = Q(helpfulness_votes__helpful=True, helpfulness_votes__created_at__gte=since)
    articles = (
        _published(language.in_language(ArticlePage.objects.all()))
        .annotate(helpful_recent=Count("helpfulness_votes", filter=recent))
        .filter(helpful_recent__gt=0)
    )
    if now is not None:  # a window of one's own: not the one the pages share
        return list(articles.order_by("-helpful_recent", "title")[:limit])
    return _listed("month", articles, ("-helpful_recent", "title"), limit)


MOST_HELPFUL = ("-helpful_yes", "helpful_no", "title")


def top_articles_in_category(category, limit: int = 3) -> list[ArticlePage]:
    """The category's published articles, most helpful first, in the reader's language
    where translated (a translated article keeps its source's category). Two queries."""
    articles = language.in_language(ArticlePage.objects.filter(category=category))
    return _listed(
        f"category-{category.pk}", with_helpfulness(_published(articles)), MOST_HELPFUL, limit
    )


def most_helpful_articles(limit: int = 3, *, category=None) -> list[ArticlePage]:
    """Published articles, most found helpful first (in `category` when given), in the
    reader's language where translated: what a search that found nothing offers
    instead. Two queries (the articles, Wagtail's view restrictions)."""
    if category is not None:
        return top_articles_in_category(category, limit)
    articles = language.in_language(ArticlePage.objects.all())
    return _listed("all", with_helpfulness(_published(articles)), MOST_HELPFUL, limit)


def knowledge_base_index() -> KnowledgeBaseIndexPage | None:
    """The live knowledge base in the reader's language (else the default one's), for
    the site's Help link. One query."""
    return language.in_active_language(KnowledgeBaseIndexPage.objects.live())


def faq() -> FAQPage | None:
    """The live FAQ page in the reader's language (else the default one's), for the
    footer's link. One query."""
    return language.in_active_language(FAQPage.objects.live())
