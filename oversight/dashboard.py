"""The figures on a hub's oversight dashboard, each read in one query.

The dashboard is for HLO staff, approvers, hub admins and the board: it
shows the whole hub, so it is not for service leads or partners."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, Min, OuterRef, Q, Sum
from django.utils import timezone

from commissioning.models import Commission, Need, SmartTarget
from commissioning.workflow import FINISHED, Stage
from hubs.access import HubAccess
from hubs.models import Hub, HubPolicy
from oversight.models import HubAllocation
from oversight.selectors import AWARDED_STAGES
from partners.models import (
    OrganisationType,
    PartnerOrganisation,
    PartnershipType,
    Reach,
    Specialism,
)

# Awarded and not yet over: the partnerships the hub has now.
CURRENT_STAGES = [s for s in AWARDED_STAGES if s not in (Stage.COMPLETED, Stage.DECOMMISSIONED)]
ZERO = Decimal(0)


def may_see_dashboard(access: HubAccess) -> bool:
    return access.sees_everything or access.is_board


def academic_year(day: date) -> str:
    """2025/26 for any day from 1 September 2025 to 31 August 2026."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


@dataclass(frozen=True)
class StageWait:
    stage: str
    label: str
    count: int
    oldest_days: int | None  # None for finished stages: nothing waits there


def stage_waits(hub: Hub) -> list[StageWait]:
    rows = {
        row["status"]: row
        for row in Commission.objects.filter(hub=hub)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"), oldest=Min("stage_entered_at"))
    }
    now = timezone.now()
    waits = []
    for value, label in Stage.choices:
        row = rows.get(value)
        if not row:
            continue
        days = None if value in FINISHED else (now - row["oldest"]).days
        waits.append(StageWait(value, label, row["n"], days))
    return waits


def allocations(hub: Hub) -> dict[str, Decimal]:
    return dict(HubAllocation.objects.filter(hub=hub).values_list("year", "amount"))


@dataclass(frozen=True)
class Money:
    year: str
    allocated: Decimal | None
    committed: Decimal
    match_raised: Decimal
    partnerships: int
    min_match_percent: int

    @property
    def remaining(self) -> Decimal | None:
        return None if self.allocated is None else self.allocated - self.committed

    @property
    def over(self) -> Decimal:
        """How far commitments exceed the allocation (0 when they do not)."""
        remaining = self.remaining
        return -remaining if remaining is not None and remaining < 0 else ZERO

    @property
    def match_percent(self) -> Decimal:
        total = self.committed + self.match_raised
        if not total:
            return ZERO
        return (self.match_raised * 100 / total).quantize(Decimal("0.1"))

    @property
    def match_aim_met(self) -> bool | None:
        if not self.min_match_percent:
            return None
        return self.match_percent >= self.min_match_percent


def money(hub: Hub, year: str, allocated: Decimal | None, policy: HubPolicy | None) -> Money:
    """Hub grant committed against the year's allocation, and match funding
    raised against it. A commission counts in the year of its needs analysis."""
    totals = Commission.objects.filter(
        hub=hub, status__in=AWARDED_STAGES, need__analysis__cycle=year
    ).aggregate(committed=Sum("hub_grant_amount"), match=Sum("match_funding_amount"), n=Count("pk"))
    return Money(
        year=year,
        allocated=allocated,
        committed=totals["committed"] or ZERO,
        match_raised=totals["match"] or ZERO,
        partnerships=totals["n"],
        min_match_percent=policy.min_match_funding_percent if policy else 0,
    )


def needs_coverage(hub: Hub, year: str) -> list[Need]:
    """The year's needs, each marked covered when an awarded commission meets it."""
    awarded = Commission.objects.filter(need=OuterRef("pk"), status__in=AWARDED_STAGES)
    return list(
        Need.objects.filter(hub=hub, analysis__cycle=year)
        .annotate(covered=Exists(awarded))
        .select_related("service_area")
        .order_by("priority", "title")
    )


@dataclass(frozen=True)
class PartnerMix:
    by_type: list[tuple[str, int]]
    by_partnership: list[tuple[str, int]]
    by_reach: list[tuple[str, int]]
    by_specialism: list[tuple[str, int]]
    total: int


def partner_mix(hub: Hub) -> PartnerMix:
    """Who the hub's current partnerships are with: two queries."""
    current = Q(commissions__status__in=CURRENT_STAGES, commissions__hub=hub)
    partners = PartnerOrganisation.objects.filter(current, hub=hub).distinct()
    rows = list(
        PartnerOrganisation.objects.filter(pk__in=partners.values("pk"))
        .order_by()
        .values("organisation_type", "partnership_type", "reach")
        .annotate(n=Count("pk"))
    )

    def fold(key: str, choices) -> list[tuple[str, int]]:
        counts = {value: 0 for value, _ in choices}
        for row in rows:
            counts[row[key]] += row["n"]
        return [(label, counts[value]) for value, label in choices if counts[value]]

    specialisms = (
        Specialism.objects.filter(partners__in=partners.values("pk"))
        .order_by("name")
        .values_list("name")
        .annotate(n=Count("partners", distinct=True))
    )
    return PartnerMix(
        by_type=fold("organisation_type", OrganisationType.choices),
        by_partnership=fold("partnership_type", PartnershipType.choices),
        by_reach=fold("reach", Reach.choices),
        by_specialism=list(specialisms),
        total=sum(row["n"] for row in rows),
    )


def smart_targets(hub: Hub, year: str) -> list[SmartTarget]:
    return list(
        SmartTarget.objects.filter(need__hub=hub, need__analysis__cycle=year)
        .select_related("need")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class AreaRow:
    name: str
    commissions: int
    current: int
    committed: Decimal


def by_service_area(hub: Hub, year: str) -> list[AreaRow]:
    """Per service area, for hubs where each area commissions its own partners."""
    in_year = Q(commissions__need__analysis__cycle=year)
    awarded = in_year & Q(commissions__status__in=AWARDED_STAGES)
    rows = (
        hub.service_areas.order_by("name")
        .annotate(
            n=Count("commissions", distinct=True),
            current=Count(
                "commissions", filter=Q(commissions__status__in=CURRENT_STAGES), distinct=True
            ),
            committed=Sum("commissions__hub_grant_amount", filter=awarded),
        )
        .values_list("name", "n", "current", "committed")
    )
    return [AreaRow(name, n, current, committed or ZERO) for name, n, current, committed in rows]
