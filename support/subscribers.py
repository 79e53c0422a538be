"""What support does after other apps' writes: escalate a question unanswered past the
response target (notifications records `question.overdue` from its periodic job)."""

from core import events
from core.models import Event
from support import actions


@events.subscriber("question.overdue")
def escalate_overdue(event: Event) -> None:
    """One open escalation per question: a second delivery, or a question someone already
    escalated, adds nothing (actions.escalate_overdue_question re-reads the question)."""
    if event.question_id is not None:
        actions.escalate_overdue_question(event.question_id)
