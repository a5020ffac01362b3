"""A hub's policy versions: where each is in its life (draft, open for
comment, approved, in force, superseded), its approval decisions and annual
reviews, what changed from the one before, and for the version in force who
decides what (commissioning/policy_text.py)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from django.db.models import Count, Prefetch

from commissioning.policy_text import MoveText, rule_table
from hubs.models import Hub, HubPolicy, PolicyDecision, PolicyReview, RangeReview
from hubs.policy_life.changes import (  # noqa: F401 (re-exported for oversight.services)
    NOT_POLICY,
    Change,
    changes_between,
    route_changes,
)
from hubs.policy_life.selectors import in_force_among, in_force_from, life_of
from hubs.routes import route_words, routes_load, routes_of


@dataclass(frozen=True)
class Version:
    policy: HubPolicy
    changes: list[Change]
    # Every move as this version has it; written for the version in force only.
    decides: list[MoveText] = dataclasses.field(default_factory=list)
    life: str = ""
    is_current: bool = False

    @property
    def routes(self) -> list[str]:
        """Who comments on and decides each kind of decision, in words."""
        return [route_words(r) for r in routes_of(self.policy)]

    @property
    def in_force_from(self) -> date | None:
        return in_force_from(self.policy)

    @property
    def has_page(self) -> bool:
        """Drafts and versions with decisions have a page of their own."""
        return self.policy.status != "approved" or bool(self.policy.decisions.all())


def policy_versions(hub: Hub) -> list[Version]:
    """Newest first, each with where it is in its life, its approval decisions
    and annual reviews, its changes from the version before it and how many
    commissions were opened under it; the version in force with its moves."""
    policies = list(
        HubPolicy.objects.filter(hub=hub)
        .select_related("hub")
        .prefetch_related(
            Prefetch("decisions", PolicyDecision.objects.select_related("actor")),
            Prefetch("annual_reviews", PolicyReview.objects.select_related("recorded_by")),
        )
        .annotate(commissions_run=Count("commissions"))
        .order_by("version")
    )
    routes_load(policies)  # every version's decision routes, in one read
    current = in_force_among(policies)  # from the versions read, no query
    current_pk = current.pk if current else None

    def version(policy: HubPolicy, changes: list[Change]) -> Version:
        is_current = policy.pk == current_pk
        return Version(
            policy,
            changes,
            decides=rule_table(policy) if is_current else [],
            life=life_of(policy, current),
            is_current=is_current,
        )

    versions = [version(policies[0], [])] if policies else []
    for older, newer in pairwise(policies):
        versions.append(version(newer, changes_between(older, newer) + route_changes(older, newer)))
    return versions[::-1]


def range_reviews_of(hub: Hub, limit: int = 20) -> list[RangeReview]:
    """The board's latest reviews of the range of partnerships (one query)."""
    reviews = RangeReview.objects.filter(hub=hub).select_related("author", "responded_by")
    return list(reviews[:limit])
