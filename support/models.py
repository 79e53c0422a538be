"""Escalations: a thread handed to staff, with an assignee, a status and a due time
(docs/support.md). One open (not resolved) escalation per question at a time."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    WAITING = "waiting", _("Waiting on customer")
    RESOLVED = "resolved", _("Resolved")


_UNRESOLVED = ~Q(status=Status.RESOLVED)


class Escalation(models.Model):
    question = models.ForeignKey(
        "forum.Question",
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="escalations",
    )
    # None when the clock escalated it (an unanswered question past the response target).
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    automatic = models.BooleanField(_("escalated automatically"), default=False)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_escalations",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    due_at = models.DateTimeField(_("due"))
    created_at = models.DateTimeField(_("escalated"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["question"], condition=_UNRESOLVED, name="one_open_escalation_per_question"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="escalation_status_valid"
            ),
        ]
        # The queue reads oldest due first (overdue ones lead), on (due_at, id); one index
        # per filter it offers.
        indexes = [
            models.Index(fields=["due_at", "id"], name="esc_queue", condition=_UNRESOLVED),
            models.Index(fields=["status", "due_at", "id"], name="esc_by_status"),
            models.Index(fields=["assignee", "due_at", "id"], name="esc_by_assignee"),
        ]

    def __str__(self) -> str:
        return _("Escalation #%(id)s") % {"id": self.pk}

    @property
    def is_resolved(self) -> bool:
        return self.status == Status.RESOLVED

    def is_overdue(self, now=None) -> bool:
        return not self.is_resolved and self.due_at < (now or timezone.now())
