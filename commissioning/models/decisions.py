"""One person's decision at one step of a decision route: who, when, which
way and why. A step that needs two approvers moves on at the second; a
return or a rejection by any member ends the round. Written once, never
changed (AppendOnlyQuerySet, as the transition log)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from commissioning.models.core import AppendOnlyQuerySet, Commission
from hubs.decision_routes import DecisionKind
from hubs.models import Hub


class Outcome(models.TextChoices):
    APPROVE = "approve", "Approved"
    RETURN = "return", "Returned"
    REJECT = "reject", "Rejected"


class Decision(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="+")
    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="decisions")
    # 1 for the commission's own decisions; a renewal's agreement period otherwise.
    period_number = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    step_position = models.PositiveSmallIntegerField()
    body_name = models.CharField(max_length=200)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["commission", "created_at", "pk"]
        indexes = [
            models.Index(
                fields=["commission", "period_number", "kind", "created_at"],
                name="decision_round",
            )
        ]

    def __str__(self) -> str:
        return f"{self.commission_id}: {self.get_outcome_display()} by {self.actor_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("A decision, once recorded, is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A decision, once recorded, is never deleted.")
