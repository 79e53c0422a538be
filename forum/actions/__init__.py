"""Every write the forum makes, one module per kind of thing written, all importable from
here. Web views, the JSON API, the Wagtail admin, management commands and tasks all call
these functions; none of them writes on its own.

Each function checks permission, keeps the invariants and owns its transaction. Locks are
taken in a fixed order (question, then answer, then users by primary key) so two writes
never wait on each other in a cycle. SQLite serialises writers, so there the locks are
no-ops and still safe; the concurrency tests run on PostgreSQL.

Each write records one event (core.events.record, verbs in forum/verbs.py) as the last
step of its transaction. The forum does nothing else after a write: search re-indexes
the thread, the knowledge base re-checks its article, and so on, in their own
subscribers (docs/ARCHITECTURE.md, "Events"). So this package imports none of them.
"""

from forum.actions.acceptance import accept_answer, unaccept_answer, verify_answer
from forum.actions.answers import delete_answer, edit_answer, post_answer, restore_answer
from forum.actions.attachments import (
    clean_alt,
    purge_attachments,
    purge_orphan_images,
    update_attachments,
)
from forum.actions.comments import delete_comment, post_comment
from forum.actions.counts import (
    note_member_posts_changed,
    recount_member_posts,
    recount_stale_member_posts,
)
from forum.actions.moderation import (
    close_question,
    lock_question,
    merge_question,
    moderator_edit_answer,
    moderator_edit_question,
    move_question,
    pin_question,
    reopen_question,
    set_question_state,
    unlock_question,
    unpin_question,
)
from forum.actions.questions import (
    add_views,
    ask_question,
    delete_question,
    edit_question,
    restore_question,
    set_question_privacy,
)
from forum.actions.reputation import grant_kb_bonus, revoke_kb_bonus
from forum.actions.scopes import change_moderator_scope, scope_moderator, unscope_moderator
from forum.actions.validation import (
    BODY_MAX,
    BODY_MIN,
    COMMENT_MAX,
    COMMENT_MIN,
    TAG_LENGTH_MAX,
    TAGS_MAX,
    TITLE_MAX,
    TITLE_MIN,
    clean_body,
    clean_comment,
    clean_tags,
    clean_title,
)
from forum.actions.visibility import (
    approve_post,
    hide_post,
    hold_post,
    remove_post,
    unhide_post,
)
from forum.actions.votes import cast_vote, retract_vote
from forum.errors import (  # the refusals callers catch, where they expect them
    AnswerNotInQuestion,
    DomainError,
    InvalidInput,
    NotAllowed,
    NotSignedIn,
)

__all__ = [
    "BODY_MAX",
    "BODY_MIN",
    "COMMENT_MAX",
    "COMMENT_MIN",
    "TAGS_MAX",
    "TAG_LENGTH_MAX",
    "TITLE_MAX",
    "TITLE_MIN",
    "AnswerNotInQuestion",
    "DomainError",
    "InvalidInput",
    "NotAllowed",
    "NotSignedIn",
    "accept_answer",
    "add_views",
    "approve_post",
    "ask_question",
    "cast_vote",
    "change_moderator_scope",
    "clean_alt",
    "clean_body",
    "clean_comment",
    "clean_tags",
    "clean_title",
    "close_question",
    "delete_answer",
    "delete_comment",
    "delete_question",
    "edit_answer",
    "edit_question",
    "grant_kb_bonus",
    "hide_post",
    "hold_post",
    "lock_question",
    "merge_question",
    "moderator_edit_answer",
    "moderator_edit_question",
    "move_question",
    "note_member_posts_changed",
    "pin_question",
    "post_answer",
    "post_comment",
    "purge_attachments",
    "purge_orphan_images",
    "recount_member_posts",
    "recount_stale_member_posts",
    "remove_post",
    "reopen_question",
    "restore_answer",
    "restore_question",
    "retract_vote",
    "revoke_kb_bonus",
    "scope_moderator",
    "set_question_privacy",
    "set_question_state",
    "unaccept_answer",
    "unhide_post",
    "unlock_question",
    "unpin_question",
    "unscope_moderator",
    "update_attachments",
    "verify_answer",
]
