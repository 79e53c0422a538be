"""The forum's event verbs: what forum.actions records, one verb per kind of write.

Labels are what the audit log shows (docs/ARCHITECTURE.md, "Events").
"""

from django.utils.translation import gettext_lazy as _

from core import events

QUESTION_ASKED = "question.asked"
QUESTION_EDITED = "question.edited"
QUESTION_CLOSED = "question.closed"
QUESTION_LOCKED = "question.locked"
QUESTION_REOPENED = "question.reopened"
QUESTION_PRIVACY_CHANGED = "question.privacy_changed"
ANSWER_POSTED = "answer.posted"
ANSWER_EDITED = "answer.edited"
ANSWER_ACCEPTED = "answer.accepted"
ANSWER_UNACCEPTED = "answer.unaccepted"
ANSWER_VERIFIED = "answer.verified"
POST_DELETED = "post.deleted"
POST_RESTORED = "post.restored"
COMMENT_POSTED = "comment.posted"
COMMENT_DELETED = "comment.deleted"
VOTE_CAST = "vote.cast"
# Moderating visibility (forum/actions/visibility.py).
POST_HIDDEN = "post.hidden"
POST_UNHIDDEN = "post.unhidden"
POST_HELD = "post.held"
POST_APPROVED = "post.approved"
POST_REMOVED = "post.removed"

# Which verb a change of state records (forum.actions.set_question_state).
STATE_VERBS = {"open": QUESTION_REOPENED, "closed": QUESTION_CLOSED, "locked": QUESTION_LOCKED}

events.declare(
    {
        QUESTION_ASKED: _("asked a question"),
        QUESTION_EDITED: _("edited a question"),
        QUESTION_CLOSED: _("closed a question"),
        QUESTION_LOCKED: _("locked a question"),
        QUESTION_REOPENED: _("reopened a question"),
        QUESTION_PRIVACY_CHANGED: _("changed who may see a question"),
        ANSWER_POSTED: _("posted an answer"),
        ANSWER_EDITED: _("edited an answer"),
        ANSWER_ACCEPTED: _("accepted an answer"),
        ANSWER_UNACCEPTED: _("withdrew an acceptance"),
        ANSWER_VERIFIED: _("verified a solution"),
        POST_DELETED: _("deleted a post"),
        POST_RESTORED: _("restored a post"),
        COMMENT_POSTED: _("commented"),
        COMMENT_DELETED: _("deleted a comment"),
        VOTE_CAST: _("voted"),
        POST_HIDDEN: _("hid a post"),
        POST_UNHIDDEN: _("made a hidden post visible again"),
        POST_HELD: _("held a post for review"),
        POST_APPROVED: _("approved a held post"),
        POST_REMOVED: _("deleted a post under review"),
    }
)
