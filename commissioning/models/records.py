"""The commission's own record beside its moves: meetings (Hertfordshire
meets the partner before drafting: who was there, when, what was agreed),
notes, and documents attached at any stage. Written once, never changed;
shown interleaved with the transition log in the commission's history
(commissioning/records.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from commissioning.models.calls import _private_name
from commissioning.models.core import Commission
from hubs.models import Hub


def record_document_path(instance, filename: str) -> str:
    return _private_name(instance, "commission-records")


class RecordKind(models.TextChoices):
    MEETING = "meeting", "Meeting"
    NOTE = "note", "Note"
    DOCUMENT = "document", "Document"


class CommissionRecord(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(max_length=10, choices=RecordKind.choices)
    title = models.CharField(max_length=200)
    # A meeting: when it was held, who took part, what was agreed.
    held_on = models.DateField("held on", null=True, blank=True)
    attendees = models.TextField("who took part", blank=True)
    agreed = models.TextField("what was agreed", blank=True)
    # A note's text, or a few words about a document.
    body = models.TextField(blank=True)
    document = models.FileField(upload_to=record_document_path, blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    # The commission's stage when it was recorded.
    stage = models.CharField(max_length=40)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["commission", "created_at", "pk"]
        indexes = [models.Index(fields=["commission", "created_at"], name="record_commission_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("A commission's record, once kept, is never changed.")
        super().save(*args, **kwargs)
