"""The event verbs notifications records (docs/ARCHITECTURE.md, "Events").

Marking notifications read records none: it is a member's own reading state, like a
question's view count, not something another member or the audit log needs to know.
"""

from django.utils.translation import gettext_lazy as _

from core import events

MEMBER_FOLLOWED = "member.followed"
MEMBER_UNFOLLOWED = "member.unfollowed"
PREFERENCES_UPDATED = "member.notification_preferences_updated"
# Recorded by the clock (notifications/jobs.py), once per question: an open public
# question still had no answer after TANYA_RESPONSE_TARGET_MINUTES.
QUESTION_OVERDUE = "question.overdue"

events.declare(
    {
        MEMBER_FOLLOWED: _("followed a question, tag or category"),
        MEMBER_UNFOLLOWED: _("unfollowed a question, tag or category"),
        PREFERENCES_UPDATED: _("changed their notification settings"),
        QUESTION_OVERDUE: _("question unanswered past the response target"),
    }
)
