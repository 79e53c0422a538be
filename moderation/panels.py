"""What moderation adds to the forum's question page (core.panels): whether the viewer
may flag, for the Flag buttons on the question, its answers and comments. No query: the
viewer's reputation and roles are on the request's user."""

from core import panels
from moderation import permissions


@panels.provides("forum.question")
def flagging(viewer, question) -> dict:
    return {"can_flag": permissions.may_flag(viewer)}
