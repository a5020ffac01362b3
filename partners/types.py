"""Partnership types, as a list on each policy version.

Each type has a key (what a partner organisation stores), a name, a
description and a position. A partner's type must be one of its hub's
current policy's types (`partner_type_refusal`, asked by the admin form and
by `partners.services.partner_save`). A policy with no list of its own (one
made by a script) reads the standard list: the delivery and strategic
partners every published policy names. The model is imported into
partners.models, so Django registers it there.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from hubs.refusals import Refusal

# The standard list, as it was fixed in code: (key, name, description).
STANDARD_TYPES = [
    (
        "delivery",
        "Delivery partner",
        "Delivers activity for children and young people under an agreement with the Hub.",
    ),
    (
        "strategic",
        "Strategic partner",
        "Shapes the Hub's plans and shares its aims, beyond delivering activity.",
    ),
]


class PolicyPartnershipType(models.Model):
    policy = models.ForeignKey(
        "hubs.HubPolicy", on_delete=models.CASCADE, related_name="partnership_types"
    )
    key = models.SlugField(
        max_length=20,
        help_text="A short name kept on each partner, for example associate. It cannot change "
        "once partners use it; change the name instead.",
    )
    name = models.CharField(max_length=100, help_text="What people read: 'Associate partner'.")
    description = models.CharField(
        max_length=300, blank=True, help_text="What this kind of partnership means for the Hub."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["policy", "position", "pk"]
        verbose_name = "partnership type"
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "key"], name="unique_partnership_type_per_policy"
            )
        ]

    def __str__(self) -> str:
        return self.name


def _standard(policy: Any) -> list[PolicyPartnershipType]:
    return [
        PolicyPartnershipType(policy=policy, key=k, name=n, description=d, position=i)
        for i, (k, n, d) in enumerate(STANDARD_TYPES)
    ]


def types_start(policy: Any) -> None:
    """A hub's first policy starts with the standard list."""
    PolicyPartnershipType.objects.bulk_create(_standard(policy))
    policy._partnership_types_cache = None


def types_copy(*, source_id: int, target: Any) -> None:
    """A new version starts with the types of the one it revises."""
    rows = list(PolicyPartnershipType.objects.filter(policy_id=source_id))
    for row in rows:
        row.pk, row.policy = None, target
    PolicyPartnershipType.objects.bulk_create(rows)
    target._partnership_types_cache = None


def type_save(row: PolicyPartnershipType) -> None:
    """Save a type to its policy's list. A policy still reading the standard
    list first gets it as rows of its own, so adding one type adds to the
    list rather than replacing it."""
    if not PolicyPartnershipType.objects.filter(policy_id=row.policy_id).exists():
        rows = [t for t in _standard(row.policy) if t.key != row.key]
        PolicyPartnershipType.objects.bulk_create(rows)
    row.save()
    row.policy._partnership_types_cache = None


def types_load(policies: list[Any]) -> None:
    """Read the lists of several policies at once (one query for all)."""
    by_policy: dict[int, list[PolicyPartnershipType]] = {p.pk: [] for p in policies}
    for row in PolicyPartnershipType.objects.filter(policy_id__in=list(by_policy)):
        by_policy[row.policy_id].append(row)
    for policy in policies:
        policy._partnership_types_cache = by_policy[policy.pk] or _standard(policy)


def types_of(policy: Any) -> list[PolicyPartnershipType]:
    if getattr(policy, "_partnership_types_cache", None) is None:
        types_load([policy])
    return policy._partnership_types_cache


def type_label(policy: Any, key: str) -> str:
    """What a stored key says under this policy (the key, should the list
    no longer hold it)."""
    return next((t.name for t in types_of(policy) if t.key == key), key)


def type_choices(policy: Any) -> list[tuple[str, str]]:
    return [(t.key, t.name) for t in types_of(policy)]


def partnership_types_words(policy: Any) -> list[str]:
    """The policy's partnership types in short plain lines, for the policy page."""
    return [f"{t.name}: {t.description}" if t.description else t.name for t in types_of(policy)]


def current_policy(hub_id: int) -> Any:
    """The version in force (a newer draft is not yet the policy)."""
    from hubs.policy_life.selectors import in_force

    return in_force(hub_id)


def partner_type_refusal(*, partner: Any, policy: Any = None) -> Refusal | None:
    """A partner's type must be one its hub's current policy lists."""
    policy = policy or current_policy(partner.hub_id)
    if policy is None:
        return None  # a hub still without a policy has no list to check against
    types = types_of(policy)
    if partner.partnership_type in {t.key for t in types}:
        return None
    names = ", ".join(t.name for t in types)
    return Refusal(
        "unknown_partnership_type",
        f"'{partner.partnership_type}' is not one of {partner.hub}'s partnership types. "
        f"Choose one its policy lists: {names}.",
        "partnership_type",
    )
