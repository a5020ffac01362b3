"""Who hears complaints at each level, as a list on each policy version.

A complaint is made in writing to the first-level hearer (the service
manager, in the published policies) and, if not resolved, escalated to the
second (the chair). Who may decide an escalated complaint is the policy's
complaint route (monitoring/rules/complaints.py); this list is what the
pages and notices call them, in the hub's own words: Leicestershire's
"Service Manager" and "Chair of the Executive Board", or a person by name.

A policy with no rows (made by a script) reads the standard words. The
model is imported into monitoring.models, so Django registers it there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models


class HearingLevel(models.TextChoices):
    FIRST = "first", "First: receives complaints in writing"
    ESCALATED = "escalated", "Escalated: hears complaints not resolved at first"


STANDARD_TITLES = {HearingLevel.FIRST: "service manager", HearingLevel.ESCALATED: "chair"}


class ComplaintHearer(models.Model):
    policy = models.ForeignKey(
        "hubs.HubPolicy", on_delete=models.CASCADE, related_name="complaint_hearers"
    )
    level = models.CharField(max_length=20, choices=HearingLevel.choices)
    title = models.CharField(
        max_length=120,
        help_text="Their role, as the policy names it, for example 'Service Manager' or "
        "'Chair of the Executive Board'. Pages say 'the' before it.",
    )
    name = models.CharField(
        max_length=120,
        blank=True,
        help_text="Optional: the person's name, shown beside the title.",
    )

    class Meta:
        ordering = ["policy", "level"]
        verbose_name = "complaint hearer"
        constraints = [
            models.UniqueConstraint(fields=["policy", "level"], name="one_hearer_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {hearer_said(self.title, self.name)}"


def hearer_said(title: str, name: str = "") -> str:
    """'the service manager', or 'Jo Bloggs, the Service Manager'."""
    return f"{name}, the {title}" if name else f"the {title}"


@dataclass(frozen=True)
class Hearers:
    """What a policy calls its two levels, ready for a page."""

    first: str
    escalated: str

    def status_label(self, status: str, default: str) -> str:
        """A complaint's status in these words ('With the service manager')."""
        if status == "logged":
            return f"With {self.first}"
        if status == "escalated":
            return f"Escalated to {self.escalated}"
        return default


def _standard() -> dict[str, str]:
    return {level: hearer_said(title) for level, title in STANDARD_TITLES.items()}


def hearers_load(policies: list[Any]) -> None:
    """Read the hearers of several policies at once (one query for all)."""
    said: dict[int, dict[str, str]] = {p.pk: _standard() for p in policies}
    for row in ComplaintHearer.objects.filter(policy_id__in=list(said)):
        said[row.policy_id][row.level] = hearer_said(row.title, row.name)
    for policy in policies:
        words = said[policy.pk]
        policy._hearers_cache = Hearers(words[HearingLevel.FIRST], words[HearingLevel.ESCALATED])


def hearers_of(policy: Any) -> Hearers:
    if getattr(policy, "_hearers_cache", None) is None:
        hearers_load([policy])
    return policy._hearers_cache


def hearers_start(policy: Any) -> None:
    """A hub's first policy starts with the standard words."""
    ComplaintHearer.objects.bulk_create(
        ComplaintHearer(policy=policy, level=level, title=title)
        for level, title in STANDARD_TITLES.items()
    )
    policy._hearers_cache = None


def hearers_copy(*, source_id: int, target: Any) -> None:
    rows = list(ComplaintHearer.objects.filter(policy_id=source_id))
    for row in rows:
        row.pk, row.policy = None, target
    ComplaintHearer.objects.bulk_create(rows)
    target._hearers_cache = None


def complaint_hearers_words(policy: Any) -> list[str]:
    """Who hears complaints, in short plain lines, for the policy page."""
    h = hearers_of(policy)
    return [
        f"Complaints are made in writing to {h.first}.",
        f"A complaint not resolved is escalated to {h.escalated}.",
    ]
