"""Flagged and held posts for the demo community (config's load_demo), so a moderator has
a queue to clear on `make run`. Everything goes through the actions; loading again adds
nothing once any flag or review exists (even after the queue was cleared)."""

from django.conf import settings

from accounts.models import User
from forum import actions as forum_actions
from forum.models import CategoryPage, Question, Visibility
from moderation import actions
from moderation.models import Flag, Review

SPAMMER = "promo_deals"
SPAM_TITLE = "Cheap cloud credits, 90% off, limited offer"
SPAM_BODY = (
    "Buy discounted cloud credits today! Visit our shop for the best deals on every "
    "server plan. Limited offer, contact us on WhatsApp now."
)
HELD_TITLE = "Free VPS trial for everyone who signs up through my link"
SPAM_COMMENT = "More discounts every day, message us on WhatsApp for a coupon code."


def ensure_flagged_posts(moderator: User, members: list[User]) -> int:
    """Add a spam question and a spam comment flagged by members, an off-topic flag
    and a held question; returns how many flags it added."""
    if Flag.objects.exists() or Review.objects.exists():
        return 0
    category = CategoryPage.objects.live().order_by("path").first()
    threads = list(Question.objects.filter(visibility=Visibility.VISIBLE).order_by("pk")[:2])
    if category is None or len(threads) < 2:
        return 0
    spammer = _spammer()
    spam = forum_actions.ask_question(spammer, title=SPAM_TITLE, body=SPAM_BODY, category=category)
    held = forum_actions.ask_question(
        spammer, title=HELD_TITLE, body=SPAM_BODY + " Sign up here.", category=category
    )
    forum_actions.hold_post(moderator, held, reason="new member, link")
    actions.queue_held_post(held)
    # A new member may always comment on their own post.
    comment = forum_actions.post_comment(User.objects.get(pk=spammer.pk), spam, body=SPAM_COMMENT)

    flaggers = [m for m in members if m.reputation >= settings.TANYA_FLAG_REPUTATION]
    flaggers = flaggers or [moderator]
    added = 0
    # Below the hiding weight: the spam waits, visible, for a moderator to decide.
    for member in flaggers[:1]:
        actions.flag_post(member, spam, reason="spam")
        added += 1
    for member in flaggers[1:2] or flaggers[:1]:
        actions.flag_post(member, comment, reason="spam", note="Advertising.")
        added += 1
    off_topic = threads[1]
    for member in [m for m in flaggers if m.pk != off_topic.author_id][:1]:
        actions.flag_post(member, off_topic, reason="off_topic")
        added += 1
    return added


def _spammer() -> User:
    user = User.objects.filter(username=SPAMMER).first()
    if user is None:
        user = User.objects.create_user(
            username=SPAMMER,
            email=f"{SPAMMER}@example.com",
            password=None,
            display_name="Promo Deals",
        )
    return user
