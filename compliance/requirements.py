"""The compliance records a policy version requires, as a list on the version.

Like the policy's other lists (partnership types, report schedules), a new
version starts with the rows of the one it revises (`requirements_copy`,
registered with hubs' POLICY_COPIERS), and only a version still being
written changes (the admin's NewestPolicyOnly). A hub's first policy
requires nothing until its admin says so.
"""

from __future__ import annotations

from typing import Any

from compliance.kinds import kind_of
from compliance.models import ComplianceRequirement

AWARD, SIGNATURE = "award", "signature"
STAGE_WORDS = {AWARD: "before the award", SIGNATURE: "before the agreement is signed"}


def requirements_load(policies: list[Any]) -> None:
    """Read the lists of several policies at once (one query for all)."""
    by_policy: dict[int, list[ComplianceRequirement]] = {p.pk: [] for p in policies}
    for row in ComplianceRequirement.objects.filter(policy_id__in=list(by_policy)):
        by_policy[row.policy_id].append(row)
    for policy in policies:
        policy._compliance_cache = by_policy[policy.pk]


def requirements_of(policy: Any) -> list[ComplianceRequirement]:
    if getattr(policy, "_compliance_cache", None) is None:
        requirements_load([policy])
    return policy._compliance_cache


def required_before(policy: Any, stage: str) -> list[ComplianceRequirement]:
    wanted = "before_award" if stage == AWARD else "before_signature"
    return [r for r in requirements_of(policy) if getattr(r, wanted)]


def requirements_copy(*, source_id: int, target: Any) -> None:
    """A new version starts with the requirements of the one it revises."""
    rows = list(ComplianceRequirement.objects.filter(policy_id=source_id))
    for row in rows:
        row.pk, row.policy = None, target
    ComplianceRequirement.objects.bulk_create(rows)
    target._compliance_cache = None


def requirement_save(row: ComplianceRequirement) -> None:
    row.save()
    row.policy._compliance_cache = None


def requirement_words(row: ComplianceRequirement, hub: Any) -> str:
    stages = [
        STAGE_WORDS[s]
        for s, on in ((AWARD, row.before_award), (SIGNATURE, row.before_signature))
        if on
    ]
    when = " and ".join(stages) or "not yet before any step"
    return f"{kind_of(hub, row.kind).name}: verified and in date {when}."
