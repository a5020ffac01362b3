"""Scoring proposals: the panel, conflicts of interest, scores per criterion,
and moderation to an agreed score."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from hubs.models import Criterion

SCORE_MAX = 5  # each criterion is scored 0-5; weights turn that into a total out of 100


class PanelMember(models.Model):
    call = models.ForeignKey("commissioning.Call", on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panels"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="one_seat_per_panel"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class ConflictDeclaration(models.Model):
    """A panel member's declaration for one proposal, before they may score it.
    A declared conflict recuses them from it."""

    proposal = models.ForeignKey(
        "commissioning.Proposal", on_delete=models.CASCADE, related_name="declarations"
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    has_conflict = models.BooleanField()
    details = models.TextField(blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="one_declaration_each"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {'conflict' if self.has_conflict else 'no conflict'}"


class Score(models.Model):
    proposal = models.ForeignKey(
        "commissioning.Proposal", on_delete=models.CASCADE, related_name="scores"
    )
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(SCORE_MAX)])
    comment = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "scorer", "criterion"], name="one_score_per_criterion"
            ),
        ]
        indexes = [models.Index(fields=["proposal", "criterion"], name="score_proposal_crit")]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class Moderation(models.Model):
    """The panel's agreed score for a criterion, with why."""

    proposal = models.ForeignKey(
        "commissioning.Proposal", on_delete=models.CASCADE, related_name="moderations"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    agreed_score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(SCORE_MAX)])
    rationale = models.TextField()
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    moderated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "criterion"], name="one_agreed_score"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.agreed_score}"
