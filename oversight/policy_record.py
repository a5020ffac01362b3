"""A hub's policy versions, what changed from one to the next, and for the
version in force who decides what (commissioning/policy_text.py)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from itertools import pairwise

from django.db.models import Count

from commissioning.policy_text import MoveText, rule_table
from hubs.models import Hub, HubPolicy
from hubs.routes import route_words, routes_load, routes_of

# Bookkeeping, not policy: never listed as a change.
NOT_POLICY = {"id", "hub", "version", "created_at"}


@dataclass(frozen=True)
class Change:
    setting: str
    before: str
    after: str


@dataclass(frozen=True)
class Version:
    policy: HubPolicy
    changes: list[Change]
    # Every move as this version has it; written for the version in force only.
    decides: list[MoveText] = dataclasses.field(default_factory=list)

    @property
    def routes(self) -> list[str]:
        """Who comments on and decides each kind of decision, in words."""
        return [route_words(r) for r in routes_of(self.policy)]


def _shown(policy: HubPolicy, field) -> str:
    value = getattr(policy, field.attname)
    if field.choices:
        return str(getattr(policy, f"get_{field.name}_display")())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value in (None, ""):
        return "—"
    if hasattr(value, "strftime"):
        return f"{value:%-d %B %Y}"
    return str(value)


def changes_between(older: HubPolicy, newer: HubPolicy) -> list[Change]:
    changes = []
    for field in HubPolicy._meta.concrete_fields:
        if field.name in NOT_POLICY:
            continue
        before, after = _shown(older, field), _shown(newer, field)
        if before != after:
            changes.append(Change(str(field.verbose_name).capitalize(), before, after))
    return changes


def route_changes(older: HubPolicy, newer: HubPolicy) -> list[Change]:
    before = [route_words(r) for r in routes_of(older)]
    after = [route_words(r) for r in routes_of(newer)]
    if before == after:
        return []
    return [Change("Who comments and decides", " ".join(before), " ".join(after))]


def policy_versions(hub: Hub) -> list[Version]:
    """Newest first, each with its changes from the version before it and
    how many commissions were opened under it; the newest with its moves."""
    policies = list(
        HubPolicy.objects.filter(hub=hub)
        .select_related("hub")
        .annotate(commissions_run=Count("commissions"))
        .order_by("version")
    )
    routes_load(policies)  # every version's decision routes, in one read
    versions = [Version(policies[0], [])] if policies else []
    for older, newer in pairwise(policies):
        versions.append(Version(newer, changes_between(older, newer) + route_changes(older, newer)))
    if versions:
        versions[-1] = dataclasses.replace(versions[-1], decides=rule_table(versions[-1].policy))
    return versions[::-1]
