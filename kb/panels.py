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
