"""What support adds to the forum's question page (core.panels): "Ask staff", and the
open escalation's status for those who may see it."""

from core import panels
from support import permissions, queries


@panels.provides("forum.question")
def escalation(viewer, question) -> dict:
    """Nothing (and no query) for a visitor or a member who may not escalate; one query
    otherwise."""
    may_escalate = permissions.can_escalate(viewer, question)
    if not may_escalate:
        return {}
    return {
        "support_panel": True,
        "escalation": queries.open_escalation(question.pk),
        "can_work_escalations": permissions.can_work_escalations(viewer),
    }
