"""What notifications adds to the forum's pages (core.panels): the follow button."""

from core import panels
from notifications import queries


@panels.provides("forum.question")
def follow_question(viewer, question) -> dict:
    """Whether the viewer follows the thread (one query when signed in, none otherwise)."""
    return {"is_following": queries.is_following(viewer, question=question)}


@panels.provides("forum.tag")
def follow_tag(viewer, tag) -> dict:
    return {"is_following": queries.is_following(viewer, tag_name=tag.name)}


@panels.provides("forum.category")
def follow_category(viewer, category) -> dict:
    return {"is_following": queries.is_following(viewer, category=category)}
