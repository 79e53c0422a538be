"""What the knowledge base adds to the forum's pages (core.panels)."""

from core import panels
from kb import permissions, queries


@panels.provides("forum.question")
def knowledge_base(viewer, question) -> dict:
    """The banner linking a thread to its article, and whether the viewer may promote it."""
    return {
        "kb_article": queries.article_for_question(question.pk),
        "can_promote": question.is_solved
        and question.is_visible
        and not question.is_private
        and permissions.can_promote_question(viewer, question),
    }


@panels.provides("forum.home")
def helpful_articles(viewer, home) -> dict:
    """The home page's "Most helpful this month" list (two queries)."""
    return {"kb_helpful": queries.most_helpful_this_month()}


@panels.provides("forum.category")
def category_articles(viewer, category) -> dict:
    """A category page's top knowledge-base articles (two queries)."""
    return {"kb_top_articles": queries.top_articles_in_category(category)}
