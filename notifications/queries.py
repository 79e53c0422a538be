"""Reads for notifications: who can see an event's content, who follows what, a member's
unread count and their notification list."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from accounts.models import User
from core.models import Event
from forum import permissions
from forum.models import Answer, Comment, Question
from forum.pagination import Ordering, paginate
from notifications.models import Follow, Notification, Preferences

UNREAD_CAP = 100  # the bell shows "99+" beyond this; counting further buys nothing
NEWEST = Ordering("created_at")
MODERATORS_GROUP = "Moderators"  # made by forum migration 0002


# --- Visibility: the one place, through the forum's one predicate ---------------------


@dataclass(frozen=True)
class Content:
    """What an event is about, as it is now: its thread and the answer or comment."""

    question: Question | None
    answer: Answer | None = None
    comment: Comment | None = None


def content_of(event: Event) -> Content:
    """The event's thread and post, re-read now (at delivery), in at most two queries."""
    question = Question.objects.filter(pk=event.question_id).first()
    if question is None or event.subject_type_id is None:
        return Content(question)
    model = ContentType.objects.get_for_id(event.subject_type_id).model_class()
    if model is Answer:
        return Content(question, answer=Answer.objects.filter(pk=event.subject_id).first())
    if model is Comment:
        comment = Comment.objects.select_related("answer").filter(pk=event.subject_id).first()
        return Content(question, answer=comment.answer if comment else None, comment=comment)
    return Content(question)


def can_see(recipient: User, event: Event, content: Content | None = None) -> bool:
    """Whether `recipient` may see what `event` is about, judged now by the forum's one
    predicate (forum.permissions.can_see_post): a post deleted, held or hidden since the
    event notifies nobody who can't see it. Every notification passes through here."""
    content = content or content_of(event)
    if content.question is None or not recipient.is_active:
        return False
    return _seen_by(recipient, content)


def _seen_by(viewer, content: Content) -> bool:
    posts = [p for p in (content.question, content.answer, content.comment) if p is not None]
    return all(permissions.can_see_post(viewer, post) for post in posts)


def is_public(content: Content) -> bool:
    """Whether everyone may see it: then no recipient needs judging one by one (which
    costs a permission query each), so a fan-out stays a fixed number of queries."""
    return content.question is not None and _seen_by(None, content)


def is_held(content: Content) -> bool:
    """Whether the post (or its thread) waits for review (moderation): a held post
    notifies nobody, not even the moderators who may see it, until it is approved."""
    posts = (content.question, content.answer, content.comment)
    return any(post is not None and post.is_held for post in posts)


def target_url(content: Content) -> str:
    """The exact comment, answer or question an event is about (the theme's anchors)."""
    url = content.question.get_absolute_url()
    if content.comment is not None:
        return f"{url}#comment-{content.comment.pk}"
    if content.answer is not None:
        return f"{url}#answer-{content.answer.pk}"
    return url


# --- Following --------------------------------------------------------------------------


def question_followers(question_id: int) -> QuerySet[Follow]:
    return Follow.objects.filter(question_id=question_id).values_list("member_id", flat=True)


def topic_followers(question: Question) -> set[int]:
    """Members following the question's category or any of its tags."""
    tags = list(question.tags.names())
    by_category = Follow.objects.filter(category_id=question.category_id)
    by_tag = Follow.objects.filter(tag_name__in=tags) if tags else Follow.objects.none()
    return set(by_category.union(by_tag).values_list("member_id", flat=True))


def follows_on_participate(member_id: int) -> bool:
    """The member's preference; the default (on) when they never changed it."""
    value = Preferences.objects.filter(member_id=member_id).values_list(
        "follow_on_participate", flat=True
    )
    return next(iter(value), True)


def preferences_for(member: User) -> Preferences:
    return Preferences.objects.filter(member=member).first() or Preferences(member=member)


def is_following(viewer, **target) -> bool:
    """Whether `viewer` follows the target (question=, tag_name= or category=); no query
    for a visitor who isn't signed in."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    return Follow.objects.filter(member=viewer, **target).exists()


# --- The inbox --------------------------------------------------------------------------


def unread_count(member: User) -> int:
    """Unread notifications, counted up to UNREAD_CAP: one query on the inbox index."""
    return (
        Notification.objects.filter(recipient=member, read_at=None)[:UNREAD_CAP]
        .values("pk")
        .count()
    )


def notifications_for(member: User, *, unread: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(recipient=member).select_related(
        "question", "event__actor"
    )
    return notifications.filter(read_at=None) if unread else notifications


def notification_page(member: User, *, cursor: str | None = None, unread: bool = False, size=None):
    """One keyset page of the member's notifications, newest first, in one query."""
    return paginate(
        notifications_for(member, unread=unread), NEWEST, cursor, size or settings.TANYA_PAGE_SIZE
    )


@dataclass
class Thread:
    question: Question | None
    notifications: list[Notification]


def by_thread(notifications: list[Notification]) -> list[Thread]:
    """A page's notifications grouped by question, threads in the order of their newest."""
    threads: dict[int | None, Thread] = {}
    for notification in notifications:
        thread = threads.setdefault(
            notification.question_id, Thread(notification.question, notifications=[])
        )
        thread.notifications.append(notification)
    return list(threads.values())


def support_staff() -> set[int]:
    """Who hears of an escalation: active staff (they work the support queue)."""
    return set(User.objects.filter(is_staff=True, is_active=True).values_list("pk", flat=True))


def staff_on_duty(question: Question | None) -> set[int]:
    """Who hears of a question unanswered past target: staff and the Moderators group (the
    same people for every category until categories get their own moderators)."""
    if question is None:
        return set()
    members = User.objects.filter(Q(is_staff=True) | Q(groups__name=MODERATORS_GROUP))
    return set(members.filter(is_active=True).values_list("pk", flat=True))
