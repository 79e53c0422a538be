"""What notifications does after other apps' writes: follow threads people take part in,
and tell followers and authors what happened (docs/notifications.md).

The fan-out runs here, in the worker, so a write's own latency never depends on how many
people follow its thread. Each subscriber re-reads the content as it is now and tells
only those who can see it (queries.can_see); notifications are keyed by (event,
recipient), so a delivery that runs twice notifies once. The actor is never notified.
"""

from django.urls import reverse

from accounts.models import User
from core import events
from core.models import Event
from forum.models import Question
from notifications import actions, mentions, queries
from notifications.models import Kind


def _tell(
    event: Event, kind: str, recipient_ids, content: queries.Content, *, held_ok: bool = False
) -> None:
    """Notify the recipients who may see `content`. A held post notifies nobody (docs/spam.md)
    unless `held_ok`: its author hearing that it is held, whom the check then lets through."""
    ids = set(recipient_ids) - {event.actor_id, None}
    if not ids or content.question is None or (queries.is_held(content) and not held_ok):
        return
    members = User.objects.filter(pk__in=ids, is_active=True)
    if queries.is_public(content):  # everyone may see it: no need to judge each member
        visible = list(members.values_list("pk", flat=True))
    else:
        visible = [m.pk for m in members if queries.can_see(m, event, content)]
    actions.notify(event, kind, visible, url=queries.target_url(content))


# --- Following what one takes part in ---------------------------------------------------


@events.subscriber("question.asked")
def follow_own_question(event: Event) -> None:
    if event.actor_id is not None:
        actions.follow_for_participation(event.actor_id, event.subject_id, asked=True)


@events.subscriber("answer.posted", "comment.posted")
def follow_on_participation(event: Event) -> None:
    if event.actor_id is not None and event.question_id is not None:
        actions.follow_for_participation(event.actor_id, event.question_id)


# --- Notifying ---------------------------------------------------------------------------


@events.subscriber("answer.posted")
def notify_new_answer(event: Event) -> None:
    """Everyone following the question hears of a new answer."""
    content = queries.content_of(event)
    _tell(event, Kind.ANSWER, queries.question_followers(event.question_id), content)


@events.subscriber("comment.posted")
def notify_new_comment(event: Event) -> None:
    """The question's followers and the commented post's author hear of a new comment."""
    content = queries.content_of(event)
    if content.comment is None or content.question is None:
        return
    post = content.answer or content.question
    recipients = {*queries.question_followers(event.question_id), post.author_id}
    _tell(event, Kind.COMMENT, recipients, content)


@events.subscriber("answer.accepted", "answer.verified")
def notify_solution(event: Event) -> None:
    """The answer's author hears it was accepted (or verified: staff accepting marks it
    verified at once); the asker hears when someone else (staff) did it on their question."""
    content = queries.content_of(event)
    if content.answer is None or content.question is None:
        return
    verified = event.verb == "answer.verified" or event.payload.get("verified", False)
    _tell(event, Kind.VERIFIED if verified else Kind.ACCEPTED, [content.answer.author_id], content)
    _tell(event, Kind.SOLVED_BY_STAFF, [content.question.author_id], content)


@events.subscriber("article.promoted")
def notify_promoted(event: Event) -> None:
    """The accepted answer's author hears their thread went into the knowledge base (the
    article is a draft until published, so the link is their answer)."""
    question = Question.objects.select_related("accepted_answer").filter(pk=event.question_id)
    question = question.first()
    if question is None or question.accepted_answer is None:
        return
    content = queries.Content(question, answer=question.accepted_answer)
    _tell(event, Kind.PROMOTED, [question.accepted_answer.author_id], content)


@events.subscriber("question.asked")
def notify_new_question(event: Event) -> None:
    """Members following the new question's category or one of its tags hear of it."""
    content = queries.content_of(event)
    if content.question is None:
        return
    _tell(event, Kind.NEW_QUESTION, queries.topic_followers(content.question), content)


# --- Mentions and overdue questions (notifications/mentions.py, notifications/jobs.py) ----


@events.subscriber("question.asked", "answer.posted", "comment.posted")
def notify_mentions(event: Event) -> None:
    """Members @mentioned in a new post hear of it (its stored HTML links them: forum's
    mention rendering); someone also told of the post another way is told once (a
    notification is unique per event and recipient)."""
    content = queries.content_of(event)
    if content.question is None:
        return
    post = content.comment or content.answer or content.question
    _tell(event, Kind.MENTION, mentions.mentioned_ids(post.body_html), content)


@events.subscriber("question.overdue")
def notify_overdue(event: Event) -> None:
    """Staff and moderators hear of a question still unanswered past the target."""
    content = queries.content_of(event)
    _tell(event, Kind.OVERDUE, queries.staff_on_duty(content.question), content)


# --- Escalations to staff (support/actions.py; docs/support.md) --------------------------


@events.subscriber("question.escalated")
def notify_escalated(event: Event) -> None:
    """Staff hear of a thread escalated to them (by its asker, a moderator or the clock)."""
    content = queries.content_of(event)
    _tell(event, Kind.ESCALATED, queries.support_staff(), content)


@events.subscriber("escalation.assigned")
def notify_escalation_assigned(event: Event) -> None:
    """The member of staff an escalation was assigned to hears of it (not when they took
    it themselves: the actor is never told)."""
    assignee = (event.payload.get("after") or {}).get("assignee")
    if assignee is None:
        return
    content = queries.content_of(event)
    _tell(event, Kind.ESCALATION_ASSIGNED, [assignee], content)


# --- Moderation (docs/moderation.md) --------------------------------------------------------

_AUTHOR_KINDS = {
    "post.held": Kind.POST_HELD,
    "post.hidden": Kind.POST_HIDDEN,
    "post.unhidden": Kind.POST_RESTORED,
    "post.approved": Kind.POST_RESTORED,
}


@events.subscriber(*_AUTHOR_KINDS)
def notify_post_author(event: Event) -> None:
    """A post's author hears it was held, hidden, or made visible again (the author sees
    their own held and hidden posts, so the link works)."""
    content = queries.content_of(event)
    _tell(event, _AUTHOR_KINDS[event.verb], [event.payload.get("author")], content, held_ok=True)


POSTING_VERBS = ("question.asked", "answer.posted", "comment.posted")


@events.subscriber("post.approved")
def replay_approved_post(event: Event) -> None:
    """A held post approved by a moderator: its followers, mentions and topic followers
    hear of it now, as if it had just been posted (while it was held, _tell told nobody).
    The original posting event's reactions run again with that event, so each recipient
    is told once (a notification is unique per event and recipient): approving it a
    second time, or a post that was told of before a moderator held it, adds nothing."""
    posted = events.first_about(event, POSTING_VERBS)
    if posted is None:
        return
    with actions.dated(event.created_at):
        for reaction in _POSTING_REACTIONS[posted.verb]:
            reaction(posted)


@events.subscriber("flag.resolved")
def notify_flaggers(event: Event) -> None:
    """The members who flagged a post hear a moderator reviewed it; the link goes to the
    post when they can still see it, else to their notifications."""
    flaggers = set(event.payload.get("flaggers") or []) - {event.actor_id, None}
    if not flaggers:
        return
    content = queries.content_of(event)
    members = list(User.objects.filter(pk__in=flaggers, is_active=True))
    seen = [m.pk for m in members if content.question and queries.can_see(m, event, content)]
    unseen = [m.pk for m in members if m.pk not in seen]
    if seen:
        actions.notify(event, Kind.FLAG_RESOLVED, seen, url=queries.target_url(content))
    if unseen:
        actions.notify(event, Kind.FLAG_RESOLVED, unseen, url=reverse("notifications:list"))


# --- The knowledge base (kb.actions.note_source_visibility) ----------------------------------

_SOURCE_KINDS = {
    "article.source_hidden": Kind.SOURCE_HIDDEN,
    "article.source_shown": Kind.SOURCE_SHOWN,
}


@events.subscriber(*_SOURCE_KINDS)
def notify_article_source(event: Event) -> None:
    """Staff hear that a promoted thread stopped being public (its article lost its
    "original discussion" link and is flagged for review) or came back; the link is the
    article in the Wagtail admin, which staff can open whatever the thread's state."""
    if event.subject_id is None:
        return
    url = reverse("wagtailadmin_pages:edit", args=[event.subject_id])
    actions.notify(event, _SOURCE_KINDS[event.verb], queries.support_staff(), url=url)


# What a new post's event sets off here, replayed when a held post is approved.
_POSTING_REACTIONS = {
    "question.asked": (follow_own_question, notify_mentions, notify_new_question),
    "answer.posted": (follow_on_participation, notify_mentions, notify_new_answer),
    "comment.posted": (follow_on_participation, notify_mentions, notify_new_comment),
}
