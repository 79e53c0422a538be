"""Flags and the review queue (docs/moderation.md).

A `Review` is one post under review: opened by its first flag or by the post being held,
closed by a moderator's outcome. At most one open review per post (a partial unique
constraint per kind of post); a `Flag` belongs to one review, and a member flags a review
once, so a member has at most one open flag per post. The queue lists open reviews, oldest
first, on a partial index.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    SPAM = "spam", _("Spam")
    ABUSIVE = "abusive", _("Rude or abusive")
    OFF_TOPIC = "off_topic", _("Off-topic")
    STAFF = "staff", _("Needs staff attention")
    OTHER = "other", _("Other")


#: The reasons whose weight adds up to hiding the post pending review.
HIDING_REASONS = (Reason.SPAM, Reason.ABUSIVE)


class Outcome(models.TextChoices):
    DISMISSED = "dismissed", _("Dismissed")
    HIDDEN = "hidden", _("Post hidden")
    DELETED = "deleted", _("Post deleted")
    SUSPENDED = "suspended", _("Author suspended")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


_OPEN = Q(closed_at=None)


def _once_open(field: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=[field],
        condition=_OPEN & Q(**{f"{field}__isnull": False}),
        name=f"review_open_{field}",
    )


class Review(models.Model):
    """One post (exactly one of question, answer, comment) under review."""

    question = models.ForeignKey(
        "forum.Question", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    answer = models.ForeignKey(
        "forum.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "forum.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The thread, its category and the post's author, kept here so the queue filters and
    # shows them without joining through three kinds of post.
    thread = models.ForeignKey("forum.Question", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("forum.CategoryPage", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    held = models.BooleanField(_("held for approval"), default=False)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer=None, comment=None)
                | Q(question=None, answer__isnull=False, comment=None)
                | Q(question=None, answer=None, comment__isnull=False),
                name="review_on_exactly_one_post",
            ),
            _once_open("question"),
            _once_open("answer"),
            _once_open("comment"),
        ]
        indexes = [
            models.Index(fields=["opened_at", "id"], name="review_queue", condition=_OPEN),
            models.Index(
                fields=["category", "opened_at", "id"], name="review_queue_cat", condition=_OPEN
            ),
            models.Index(fields=["author", "closed_at"], name="review_by_author"),
        ]

    def __str__(self) -> str:
        return f"review {self.pk} of {self.kind} {self.post_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def kind(self) -> str:
        if self.question_id:
            return "question"
        return "answer" if self.answer_id else "comment"

    @property
    def post_id(self) -> int:
        return self.question_id or self.answer_id or self.comment_id

    @property
    def post(self):
        return self.question or self.answer or self.comment


class Flag(models.Model):
    """One member's flag on the post under `review`, with the weight it carried."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="flags")
    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    weight = models.FloatField(default=1.0)
    created_at = models.DateTimeField(_("flagged"), default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)

    class Meta:
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            # With one open review per post: one open flag per member per post.
            models.UniqueConstraint(fields=["review", "flagger"], name="flag_once_per_review"),
            models.CheckConstraint(condition=Q(reason__in=Reason.values), name="flag_reason_valid"),
            models.CheckConstraint(
                condition=~Q(reason=Reason.OTHER) | ~Q(note=""), name="flag_other_has_note"
            ),
        ]
        indexes = [models.Index(fields=["flagger", "-created_at"], name="flag_by_flagger")]

    def __str__(self) -> str:
        return f"{self.reason} by {self.flagger_id}"
