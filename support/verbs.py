"""Support's event verbs (docs/ARCHITECTURE.md, "Events")."""

from django.utils.translation import gettext_lazy as _

from core import events

QUESTION_ESCALATED = "question.escalated"
ESCALATION_ASSIGNED = "escalation.assigned"
ESCALATION_STATUS_CHANGED = "escalation.status_changed"

events.declare(
    {
        QUESTION_ESCALATED: _("escalated a question to staff"),
        ESCALATION_ASSIGNED: _("assigned an escalation"),
        ESCALATION_STATUS_CHANGED: _("changed an escalation's status"),
    }
)
