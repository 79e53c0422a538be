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
QUESTION_UNLOCKED = "question.unlocked"
QUESTION_PINNED = "question.pinned"
QUESTION_UNPINNED = "question.unpinned"
QUESTION_MOVED = "question.moved"
QUESTION_MERGED = "question.merged"
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
# Images added to, described on or removed from a post (forum/actions/attachments.py).
POST_ATTACHMENTS_CHANGED = "post.attachments_changed"
# Scoping moderators to categories (forum/actions/scopes.py).
MODERATOR_SCOPES_CHANGED = "moderator.scopes_changed"

# Which verb a change of state records (forum.actions.set_question_state): leaving
# "locked" is an unlock whatever it goes to, otherwise the new state names it.
STATE_VERBS = {"open": QUESTION_REOPENED, "closed": QUESTION_CLOSED, "locked": QUESTION_LOCKED}


def state_verb(before: str, after: str) -> str:
    if before == "locked" and after != "locked":
        return QUESTION_UNLOCKED
    return STATE_VERBS[after]


events.declare(
    {
        QUESTION_ASKED: _("asked a question"),
        QUESTION_EDITED: _("edited a question"),
        QUESTION_CLOSED: _("closed a question"),
        QUESTION_LOCKED: _("locked a question"),
        QUESTION_REOPENED: _("reopened a question"),
        QUESTION_PRIVACY_CHANGED: _("changed who may see a question"),
        QUESTION_UNLOCKED: _("unlocked a question"),
        QUESTION_PINNED: _("pinned a question"),
        QUESTION_UNPINNED: _("unpinned a question"),
        QUESTION_MOVED: _("moved a question"),
        QUESTION_MERGED: _("merged a question into another"),
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
        POST_ATTACHMENTS_CHANGED: _("changed the images of a post"),
        MODERATOR_SCOPES_CHANGED: _("changed a moderator's categories"),
    }
)
