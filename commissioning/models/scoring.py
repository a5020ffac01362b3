"""Scoring proposals: the panel, conflicts of interest, scores per criterion,
and moderation to an agreed score."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from hubs.models import Criterion

# The standard scale (each criterion scored 0-5), which every published policy
# uses; a policy's own is its ScoreScale. Weights turn scores into a total
# out of 100: the sum of score / max x weight.
SCORE_MAX = 5
WORD_LINE = re.compile(r"^\s*(\d+)\s*[:.\-\u2013]?\s*(.*?)\s*$")


class ScoreScale(models.Model):
    """A policy version's score scale: 0 to its maximum, and optionally a
    word for each score. Scores are checked against the scale of the
    commission's policy by the scoring services, not by the fields below."""

    policy = models.OneToOneField(
        "hubs.HubPolicy", on_delete=models.CASCADE, related_name="score_scale"
    )
    max_score = models.PositiveSmallIntegerField(
        "highest score",
        default=SCORE_MAX,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Each criterion is scored from 0 to this. Totals stay out of 100: a score "
        "counts as its share of the highest score, times the criterion's weight.",
    )
    words = models.TextField(
        "what each score means",
        blank=True,
        help_text="Optional. One line per score, its number first, for example '0 Not "
        "addressed', '1 Weak', ..., '5 Excellent'. Scorers see these beside the numbers.",
    )

    class Meta:
        verbose_name = "score scale"

    def __str__(self) -> str:
        return f"Scores from 0 to {self.max_score}"

    def parsed_words(self) -> dict[int, str]:
        said = {}
        for line in self.words.splitlines():
            match = WORD_LINE.match(line)
            if match and match.group(2):
                said[int(match.group(1))] = match.group(2)
        return said

    def clean(self) -> None:
        for line in self.words.splitlines():
            if not line.strip():
                continue
            match = WORD_LINE.match(line)
            if not match or not match.group(2):
                raise ValidationError(
                    {"words": f"Start each line with its score, then the word: '{line.strip()}'."}
                )
            if self.max_score is not None and int(match.group(1)) > self.max_score:
                raise ValidationError(
                    {"words": f"'{line.strip()}' is above the highest score, {self.max_score}."}
                )


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
    # From 0 to the commission's policy's highest score (its ScoreScale).
    score = models.PositiveSmallIntegerField()
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
    agreed_score = models.PositiveSmallIntegerField()
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
