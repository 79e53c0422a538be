"""Events: the one record every write leaves, and which of its subscribers have run.

An `Event` is written by the action that made the change, inside the action's own
transaction, so the row exists exactly when the write does (docs/ARCHITECTURE.md,
"Events"). After commit a task hands it to every subscriber of its verb; each one that
succeeds leaves a `HandlerRun`, and the event is `processed_at` once all have. An event
left unprocessed (a worker killed, a backend down, a subscriber's bug) is delivered again
by the catch-up (core.events.catch_up). The audit log is a read over these rows.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Door(models.TextChoices):
    """Which way into Tanya a write came: the audit log shows it beside the actor."""

    SITE = "site", _("Site")
    API = "api", _("API")
    WAGTAIL_ADMIN = "wagtail_admin", _("Wagtail admin")
    DJANGO_ADMIN = "django_admin", _("Django admin")
    COMMAND = "command", _("Command")
    TASK = "task", _("Background task")


class Event(models.Model):
    verb = models.CharField(_("verb"), max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    door = models.CharField(_("door"), max_length=20, choices=Door.choices, default=Door.COMMAND)
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject_id = models.BigIntegerField(null=True, blank=True)
    # What the subject was called when it happened, so the log still reads after it's gone.
    subject_label = models.CharField(_("object"), max_length=200, blank=True)
    # The thread an event belongs to: search re-indexes it, the kb re-checks its article.
    question_id = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            # The audit log: newest first, overall and by verb, actor and object.
            models.Index(fields=["-created_at", "-id"], name="event_newest"),
            models.Index(fields=["verb", "-created_at"], name="event_by_verb"),
            models.Index(fields=["actor", "-created_at"], name="event_by_actor"),
            models.Index(fields=["subject_type", "subject_id"], name="event_by_subject"),
            models.Index(fields=["question_id", "-created_at"], name="event_by_question"),
            # The catch-up reads only what is still pending; keep that index small.
            models.Index(
                fields=["id"], name="event_pending", condition=Q(processed_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verb} #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.processed_at is None


class HandlerRun(models.Model):
    """One subscriber finished with one event: it is not run for that event again."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="handler_runs")
    handler = models.CharField(max_length=120)
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "handler"], name="handler_run_once"),
        ]

    def __str__(self) -> str:
        return f"{self.handler} for {self.event_id}"


class PeriodicRun(models.Model):
    """When a periodic job (core.periodic) last ran, and whether a worker is running it."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name
