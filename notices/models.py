"""Notifications: what each person was told (their activity feed), the emails
waiting to go (the outbox), how each person wants to hear per hub, and the
reminders already sent.

The outbox is written in the same transaction as the change it reports, so a
change that commits always has its email recorded, whether or not the Celery
broker is up at that moment; a task sends what is pending.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from hubs.models import Hub


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email me about each one as it happens"
    DIGEST = "digest", "Email me one daily digest"
    FEED = "feed", "No email: show them in my activity feed only"


class NoticePreference(models.Model):
    """How one person wants to hear about one hub. No row means immediate email."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="notice_preferences")
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "hub"], name="unique_notice_preference"),
        ]
        indexes = [models.Index(fields=["hub", "delivery"], name="notice_pref_hub_delivery")]

    def __str__(self) -> str:
        return f"{self.user} — {self.hub}: {self.get_delivery_display()}"


class Notification(models.Model):
    """One thing one person was told, in one hub: a line of their activity feed."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="notifications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    dedupe_key = models.CharField(
        max_length=200, blank=True, help_text="The same key is never told to one person twice."
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="unique_notification_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "hub", "-created_at"], name="notification_feed"),
            models.Index(fields=["user", "hub", "read_at"], name="notification_unread"),
            models.Index(fields=["created_at"], name="notification_created"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.subject}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Not sent: refused, or gave up after repeated failures"


class OutboxMessage(models.Model):
    """One email to send. Written with the change it reports; sent by
    notices.delivery.outbox_deliver, which marks it sending (committed) before
    it talks to the mail server and sent right after."""

    hub = models.ForeignKey(
        Hub, on_delete=models.CASCADE, null=True, blank=True, related_name="outbox"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    to_email = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    dedupe_key = models.CharField(max_length=250, null=True, blank=True, unique=True)
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    available_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker last began sending it."
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_message_id = models.CharField(
        max_length=255,
        blank=True,
        help_text="The mail server's or email service's id for it, to trace it there.",
    )
    provider_status = models.CharField(
        max_length=40, blank=True, help_text="What the email service said: queued, sent..."
    )

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["status", "available_at"], name="outbox_pending")]

    def __str__(self) -> str:
        return f"{self.to_email}: {self.subject} ({self.status})"


class Reminder(models.Model):
    """A reminder that has been sent. Its key (kind, object, due date) is unique,
    so however often or concurrently the sweep runs, each is sent once."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=60)
    object_key = models.CharField(max_length=100, help_text="e.g. commission:42")
    due_on = models.DateField(help_text="The date or period the reminder is for.")
    subject = models.CharField(max_length=300)
    sweep = models.UUIDField(help_text="The sweep that created it.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_key", "due_on"], name="unique_reminder"
            ),
        ]
        indexes = [
            models.Index(fields=["sweep"], name="reminder_sweep"),
            models.Index(fields=["hub", "-created_at"], name="reminder_hub_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_key} due {self.due_on}"
