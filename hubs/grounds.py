"""Grounds for decommissioning and termination, as a list on a hub's policy
version.

Each ground has a key (what a commission or review stores), a label (what
people read), whether it is positive (the partnership did its job) or
negative, and a position in the list. The ground under the key
"safeguarding" is the immediate-termination ground: it is never offered when
recommending decommissioning, and is the one a termination records.

A policy with no list of its own (one made by a script, before lists) reads
the standard list, which is also what the five published policies use. The
models are imported into hubs.models, so Django registers them there.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models


class DecommissionGrounds(models.TextChoices):
    """The standard list: every published policy's grounds, by key."""

    OBJECTIVES_MET = "objectives_met", "Positive: objectives and targets met"
    SUSTAINABLE = "sustainable", "Positive: sustainable without Hub funding"
    QUALITY = "quality", "Negative: quality standards not met"
    UNMET_OBJECTIVES = "unmet_objectives", "Negative: objectives not met"
    MISALIGNMENT = "misalignment", "Negative: no longer aligned with the Hub's aims"
    CONDITIONS = "conditions", "Negative: agreement conditions not met"
    DATA_LATE = "data_late", "Negative: data not provided on time"
    REPUTATION = "reputation", "Negative: reputational damage"
    SAFEGUARDING = "safeguarding", "Safeguarding breach"


POSITIVE_GROUNDS = {DecommissionGrounds.OBJECTIVES_MET, DecommissionGrounds.SUSTAINABLE}
TERMINATION_KEY = DecommissionGrounds.SAFEGUARDING.value


class GroundKind(models.TextChoices):
    POSITIVE = "positive", "Positive: the partnership did its job"
    NEGATIVE = "negative", "Negative: the partnership fell short"
    TERMINATION = "termination", "Ends the partnership at once (safeguarding)"


class Ground(models.Model):
    """One ground in a policy version's list."""

    policy = models.ForeignKey("hubs.HubPolicy", on_delete=models.CASCADE, related_name="grounds")
    key = models.SlugField(
        max_length=30,
        help_text="A short name kept on each commission, for example branding. It cannot "
        "change once commissions use it; change the label instead.",
    )
    label = models.CharField(
        max_length=200,
        help_text="What people read, for example 'Negative: repeated failure "
        "to meet branding guidelines'.",
    )
    kind = models.CharField(max_length=20, choices=GroundKind.choices, default=GroundKind.NEGATIVE)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["policy", "position", "pk"]
        verbose_name = "decommissioning ground"
        constraints = [
            models.UniqueConstraint(fields=["policy", "key"], name="unique_ground_key_per_policy")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def positive(self) -> bool:
        return self.kind == GroundKind.POSITIVE

    def clean(self) -> None:
        if (self.key == TERMINATION_KEY) != (self.kind == GroundKind.TERMINATION):
            raise ValidationError(
                {
                    "kind": "The immediate-termination ground is the one kept under the key "
                    f"'{TERMINATION_KEY}', and only that one ends a partnership at once."
                }
            )


def _standard(policy: Any) -> list[Ground]:
    return [
        Ground(
            policy=policy,
            key=choice.value,
            label=choice.label,
            kind=(
                GroundKind.TERMINATION
                if choice.value == TERMINATION_KEY
                else GroundKind.POSITIVE
                if choice in POSITIVE_GROUNDS
                else GroundKind.NEGATIVE
            ),
            position=position,
        )
        for position, choice in enumerate(DecommissionGrounds)
    ]


def standard_grounds(policy: Any) -> None:
    """Give a policy the standard list (a hub's first policy, the demo)."""
    Ground.objects.bulk_create(_standard(policy))
    policy._grounds_cache = None


def grounds_copy(*, source_id: int, target: Any) -> None:
    """A new version starts with the grounds of the one it revises."""
    rows = list(Ground.objects.filter(policy_id=source_id))
    for row in rows:
        row.pk, row.policy = None, target
    Ground.objects.bulk_create(rows)
    target._grounds_cache = None


def ground_save(ground: Ground) -> None:
    """Save a ground to its policy's list. A policy still reading the
    standard list first gets it as rows of its own, so adding one ground
    adds to the list rather than replacing it."""
    if not Ground.objects.filter(policy_id=ground.policy_id).exists():
        rows = [g for g in _standard(ground.policy) if g.key != ground.key]
        Ground.objects.bulk_create(rows)
    ground.save()
    ground.policy._grounds_cache = None


# ── reading ─────────────────────────────────────────────────────────────────


def grounds_load(policies: list[Any]) -> None:
    """Read the lists of several policies at once (one query for all)."""
    by_policy: dict[int, list[Ground]] = {p.pk: [] for p in policies}
    for row in Ground.objects.filter(policy_id__in=list(by_policy)).order_by("position", "pk"):
        by_policy[row.policy_id].append(row)
    for policy in policies:
        policy._grounds_cache = by_policy[policy.pk] or _standard(policy)


def grounds_of(policy: Any) -> list[Ground]:
    """The policy's grounds in order, read once per policy object."""
    if getattr(policy, "_grounds_cache", None) is None:
        prefetched = getattr(policy, "_prefetched_objects_cache", {}).get("grounds")
        if prefetched is not None:  # a list's rows, prefetch_related("policy__grounds")
            rows = sorted(prefetched, key=lambda g: (g.position, g.pk))
            policy._grounds_cache = rows or _standard(policy)
        else:
            grounds_load([policy])
    return policy._grounds_cache


def decommission_grounds(policy: Any) -> list[Ground]:
    """The grounds a recommendation to decommission may give."""
    return [g for g in grounds_of(policy) if g.kind != GroundKind.TERMINATION]


def grounds_choices(policy: Any) -> list[tuple[str, str]]:
    return [("", "Choose the grounds"), *((g.key, g.label) for g in decommission_grounds(policy))]


def ground_label(policy: Any, key: str) -> str:
    """What a stored key says under this policy (the key itself, should the
    list no longer hold it)."""
    if not key:
        return ""
    return next((g.label for g in grounds_of(policy) if g.key == key), key)


def is_positive(policy: Any, key: str) -> bool:
    return any(g.key == key and g.positive for g in grounds_of(policy))


def grounds_in_words(policy: Any) -> str:
    """'positive (objectives and targets met, ...) or negative (...)'."""

    def short(g: Ground) -> str:
        label = g.label
        for prefix in ("Positive: ", "Negative: "):
            label = label.removeprefix(prefix)
        return label

    grounds = decommission_grounds(policy)
    said = []
    for kind, word in ((GroundKind.POSITIVE, "positive"), (GroundKind.NEGATIVE, "negative")):
        these = [short(g) for g in grounds if g.kind == kind]
        if these:
            said.append(f"{word} ({', '.join(these)})")
    return " or ".join(said) or "none are listed in the policy"
