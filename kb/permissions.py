"""Pure predicates for the knowledge base: who may promote, review and manage articles.

Promoting and reviewing also go through Wagtail's page permissions (the action asks the
knowledge-base index or the article itself); these predicates are the domain half.
"""

from forum.permissions import is_member

PROMOTE_PERMISSION = "kb.promote_question"


def can_manage_knowledge_base(user) -> bool:
    """Staff, and members given the `kb.promote_question` permission (directly or by group)."""
    return is_member(user) and (user.is_staff or user.has_perm(PROMOTE_PERMISSION))


def can_promote_question(user, question=None) -> bool:
    return can_manage_knowledge_base(user)


def can_review_article(user, article=None) -> bool:
    return can_manage_knowledge_base(user)
