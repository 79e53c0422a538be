"""Follows (what a member wants to hear about), notifications (what they were told) and the
member's notification preferences."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_ON_QUESTION = Q(question__isnull=False, tag_name="", category__isnull=True)
_ON_TAG = Q(question__isnull=True, category__isnull=True) & ~Q(tag_name="")
_ON_CATEGORY = Q(question__isnull=True, tag_name="", category__isnull=False)


class Follow(models.Model):
    """A member following exactly one question, tag (by name) or category."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    question = models.ForeignKey(
        "forum.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    tag_name = models.CharField(_("tag"), max_length=100, blank=True)
    category = models.ForeignKey(
        "forum.CategoryPage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follow")
        constraints = [
            models.CheckConstraint(
                condition=_ON_QUESTION | _ON_TAG | _ON_CATEGORY, name="follow_one_target"
            ),
            models.UniqueConstraint(
                fields=["question", "member"],
                condition=Q(question__isnull=False),
                name="follow_question_once",
            ),
            models.UniqueConstraint(
                fields=["tag_name", "member"], condition=~Q(tag_name=""), name="follow_tag_once"
            ),
            models.UniqueConstraint(
                fields=["category", "member"],
                condition=Q(category__isnull=False),
                name="follow_category_once",
            ),
        ]
        # The unique constraints' indexes lead with the target: the fan-out's lookup
        # ("who follows this question?"). This one serves "what do I follow?".
        indexes = [models.Index(fields=["member", "-created_at"], name="follow_by_member")]

    def __str__(self) -> str:
        return f"{self.member_id} follows {self.question_id or self.tag_name or self.category_id}"


class Kind(models.TextChoices):
    ANSWER = "answer", _("New answer")
    COMMENT = "comment", _("New comment")
    ACCEPTED = "accepted", _("Answer accepted")
    VERIFIED = "verified", _("Answer verified")
    SOLVED_BY_STAFF = "solved_by_staff", _("Solution marked by staff")
    PROMOTED = "promoted", _("Promoted to the knowledge base")
    NEW_QUESTION = "new_question", _("New question")
    MENTION = "mention", _("Mention")
    OVERDUE = "overdue", _("Question unanswered past target")
    ACCEPT_REMINDER = "accept_reminder", _("Reminder to accept an answer")
    ESCALATED = "escalated", _("Question escalated to staff")
    ESCALATION_ASSIGNED = "escalation_assigned", _("Escalation assigned to you")
    FLAG_RESOLVED = "flag_resolved", _("A post you flagged was reviewed")
    POST_HELD = "post_held", _("Your post is held for review")
    POST_HIDDEN = "post_hidden", _("Your post was hidden")
    POST_RESTORED = "post_restored", _("Your post is visible again")
    SOURCE_HIDDEN = "source_hidden", _("An article's source thread was hidden")
    SOURCE_SHOWN = "source_shown", _("An article's source thread is public again")


class Notification(models.Model):
    """One thing one member was told about, made by a subscriber from one event."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    question = models.ForeignKey(
        "forum.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.CharField(max_length=500, help_text=_("The exact answer or comment."))
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        constraints = [
            # A subscriber delivered twice notifies once (bulk_create(ignore_conflicts=True)).
            models.UniqueConstraint(fields=["event", "recipient"], name="notification_once"),
        ]
        indexes = [
            # The bell's unread count and the list page, newest first.
            models.Index(
                "recipient", "read_at", models.F("created_at").desc(), name="notification_inbox"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preferences(models.Model):
    """A member's notification settings; a member without a row has the defaults."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    follow_on_participate = models.BooleanField(
        _("follow questions I answer or comment on"), default=True
    )
    # {kind: EmailMode} for the kinds the member changed; the rest keep
    # notifications.email.DEFAULT_MODES.
    email_modes = models.JSONField(_("email"), default=dict, blank=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"preferences of {self.member_id}"


# --- Email (notifications/email.py) -------------------------------------------------------


class EmailMode(models.TextChoices):
    INSTANT = "instant", _("Instantly")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    NEVER = "never", _("Never")


class EmailItem(models.Model):
    """A notification waiting to be emailed (instantly, batched per question, or in a
    digest). One per notification; `sent_at` is set once it was sent or dropped, so a job
    that runs twice sends it once."""

    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        "forum.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20)
    mode = models.CharField(max_length=10, choices=EmailMode.choices)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["mode", "created_at"],
                name="email_item_pending",
                condition=Q(sent_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} email for {self.recipient_id}"


class AcceptReminder(models.Model):
    """The one reminder a question's asker gets to accept an answer. Its nonce is in every
    link of the email; using one link sets `used_at`, so each reminder accepts once."""

    question = models.OneToOneField("forum.Question", on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"accept reminder for {self.question_id}"


class OverdueMark(models.Model):
    """A question was found unanswered past the responsiveness target: its
    `question.overdue` event is recorded once, in the same transaction as this row."""

    question = models.OneToOneField("forum.Question", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"overdue {self.question_id}"
