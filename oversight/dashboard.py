"""The figures on a hub's oversight dashboard, read in five or six queries
however much data the hub has.

The dashboard is for HLO staff, approvers, hub admins and the board: it
shows the whole hub, so it is not for service leads or partners."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Min,
    OuterRef,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce, Round
from django.utils import timezone

from agreements.models import Instalment, InstalmentStatus
from commissioning.models import Commission, Need
from commissioning.workflow import FINISHED, Stage
from hubs.access import HubAccess
from hubs.models import Hub, HubPolicy
from hubs.policy_life.selectors import in_force_pk
from monitoring.models import ReportStatus, TargetProgress
from oversight.models import HubAllocation
from oversight.selectors import AWARDED_STAGES
from partners.models import (
    OrganisationType,
    PartnerOrganisation,
    Reach,
)
from partners.types import STANDARD_TYPES, PolicyPartnershipType

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


@dataclass(frozen=True)
class Tally:
    """The hub's commissions counted by stage, needs-analysis year and
    service area, in one grouped query; stages, money and areas are read
    from it."""

    rows: list[dict]

    @property
    def years(self) -> set[str]:
        return {row["cycle"] for row in self.rows if row["cycle"]}

    def stage_waits(self) -> list[StageWait]:
        count: dict[str, int] = {}
        oldest: dict[str, object] = {}
        for row in self.rows:
            count[row["status"]] = count.get(row["status"], 0) + row["n"]
            if row["status"] not in oldest or row["oldest"] < oldest[row["status"]]:
                oldest[row["status"]] = row["oldest"]
        now = timezone.now()
        return [
            StageWait(
                value,
                label,
                count[value],
                None if value in FINISHED else (now - oldest[value]).days,
            )
            for value, label in Stage.choices
            if value in count
        ]

    def awarded_in(self, year: str) -> list[dict]:
        return [r for r in self.rows if r["cycle"] == year and r["status"] in AWARDED_STAGES]


MONEY = DecimalField(max_digits=14, decimal_places=2)


def _paid_per_commission(stream: str | None = None) -> Subquery:
    """Hub grant paid to a commission's partner: its paid instalments (of one
    funding stream, or all), each a fixed amount or a percentage of its
    stream's part of the grant (as agreements.Instalment.value_of)."""
    grant = "agreement__commission__hub_grant_amount"
    capital = "agreement__commission__hub_grant_capital"
    part = Case(When(stream="capital", then=F(capital)), default=F(grant) - F(capital))
    value = Coalesce("amount", Round(part * F("percent") / 100, 2), output_field=MONEY)
    paid = Instalment.objects.filter(
        agreement__commission=OuterRef("pk"), status=InstalmentStatus.PAID
    )
    if stream is not None:
        paid = paid.filter(stream=stream)
    paid = (
        paid.order_by().values("agreement__commission").annotate(total=Sum(value)).values("total")
    )
    return Subquery(paid, output_field=MONEY)


def tally(hub: Hub) -> Tally:
    return Tally(
        list(
            Commission.objects.filter(hub=hub)
            .order_by()
            .values("status", "service_area_id", cycle=F("need__analysis__cycle"))
            .annotate(
                n=Count("pk"),
                oldest=Min("stage_entered_at"),
                grant=Sum("hub_grant_amount"),
                match=Sum("match_funding_amount"),
                paid=Sum(_paid_per_commission()),
                # Revenue and capital kept apart (oversight/streams.py).
                capital=Sum("hub_grant_capital"),
                paid_capital=Sum(_paid_per_commission("capital")),
            )
        )
    )


def stage_waits(hub: Hub) -> list[StageWait]:
    return tally(hub).stage_waits()


def policy_with_allocation(hub: Hub, year: str) -> HubPolicy | None:
    """The policy in force, with the year's Hub grant allocation as
    `allocated` (None when none is recorded), in one query."""
    allocation = HubAllocation.objects.filter(hub=hub, year=year)
    return (
        hub.policies.in_force()
        .annotate(
            allocated=Subquery(
                allocation.values("amount")[:1],
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
            allocated_capital=Subquery(
                allocation.values("capital_amount")[:1],
                output_field=DecimalField(max_digits=12, decimal_places=2),
            ),
        )
        .order_by("-version")
        .first()
    )


@dataclass(frozen=True)
class Money:
    year: str
    allocated: Decimal | None
    committed: Decimal
    paid: Decimal
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


def money(
    hub: Hub,
    year: str,
    allocated: Decimal | None,
    policy: HubPolicy | None,
    counted: Tally | None = None,
) -> Money:
    """Hub grant committed and paid against the year's allocation, and match
    funding raised against it. A commission counts in the year of its needs analysis."""
    rows = (counted or tally(hub)).awarded_in(year)
    return Money(
        year=year,
        allocated=allocated,
        committed=sum((r["grant"] or ZERO for r in rows), ZERO),
        paid=sum((r["paid"] or ZERO for r in rows), ZERO).quantize(Decimal("0.01")),
        match_raised=sum((r["match"] or ZERO for r in rows), ZERO),
        partnerships=sum(r["n"] for r in rows),
        min_match_percent=policy.min_match_funding_percent if policy else 0,
    )


@dataclass
class NeedRow:
    title: str
    priority: str
    area: str
    covered: bool


@dataclass
class TargetRow:
    need: str
    description: str
    measure: str
    baseline: Decimal
    target_value: Decimal
    due_on: date
    latest: Decimal | None = None  # from the newest accepted report that gave it

    @property
    def percent_of_the_way(self) -> int | None:
        """How far from the baseline towards the target, 0 to 100."""
        if self.latest is None or self.target_value == self.baseline:
            return None
        share = (self.latest - self.baseline) * 100 / (self.target_value - self.baseline)
        return max(0, min(100, int(share)))


def _latest_progress() -> Subquery:
    """The value a target last stood at in an accepted monitoring report."""
    values = TargetProgress.objects.filter(
        target=OuterRef("targets__pk"), report__status=ReportStatus.ACCEPTED
    ).order_by("-report__due_on", "-report__pk")
    return Subquery(values.values("value")[:1], output_field=MONEY)


def needs_and_targets(hub: Hub, year: str) -> tuple[list[NeedRow], list[TargetRow]]:
    """The year's needs, each marked covered when an awarded commission meets
    it, and their SMART targets with the progress partners last reported: one
    query (needs joined to their targets)."""
    awarded = Commission.objects.filter(need=OuterRef("pk"), status__in=AWARDED_STAGES)
    rows = (
        Need.objects.filter(hub=hub, analysis__cycle=year)
        .annotate(covered=Exists(awarded), latest=_latest_progress())
        .order_by("priority", "title", "pk", "targets__due_on", "targets__pk")
        .values(
            "pk",
            "title",
            "priority",
            "covered",
            "service_area__name",
            "targets__pk",
            "targets__description",
            "targets__measure",
            "targets__baseline",
            "targets__target_value",
            "targets__due_on",
            "latest",
        )
    )
    priorities = dict(Need.Priority.choices)
    needs: dict[int, NeedRow] = {}
    targets = []
    for row in rows:
        if row["pk"] not in needs:
            needs[row["pk"]] = NeedRow(
                row["title"],
                str(priorities.get(row["priority"], "")),
                row["service_area__name"] or "",
                row["covered"],
            )
        if row["targets__pk"]:
            targets.append(
                TargetRow(
                    row["title"],
                    row["targets__description"],
                    row["targets__measure"],
                    row["targets__baseline"],
                    row["targets__target_value"],
                    row["targets__due_on"],
                    row["latest"],
                )
            )
    targets.sort(key=lambda t: t.due_on)
    return list(needs.values()), targets


def needs_coverage(hub: Hub, year: str) -> list[NeedRow]:
    return needs_and_targets(hub, year)[0]


def smart_targets(hub: Hub, year: str) -> list[TargetRow]:
    return needs_and_targets(hub, year)[1]


@dataclass(frozen=True)
class PartnerMix:
    by_type: list[tuple[str, int]]
    by_partnership: list[tuple[str, int]]
    by_reach: list[tuple[str, int]]
    by_specialism: list[tuple[str, int]]
    total: int


def _type_choices(hub: Hub, found) -> list[tuple[str, str]]:
    """The partnership types of the hub's policy in force (one query), then
    any a partner still holds that its list has since dropped (under its key)."""
    rows = PolicyPartnershipType.objects.filter(policy_id=in_force_pk(hub.pk))
    choices = list(rows.order_by("position", "pk").values_list("key", "name"))
    choices = choices or [(key, name) for key, name, _ in STANDARD_TYPES]
    listed = {key for key, _ in choices}
    return choices + [(key, key) for key in sorted(found) if key not in listed]


def partner_mix(hub: Hub) -> PartnerMix:
    """Who the hub's current partnerships are with, in one query: a row per
    partner and specialism, counted here."""
    current = Commission.objects.filter(hub=hub, status__in=CURRENT_STAGES).values("partner_id")
    rows = (
        PartnerOrganisation.objects.filter(hub=hub, pk__in=current)
        .order_by()
        .values("pk", "organisation_type", "partnership_type", "reach", "specialisms__name")
    )
    seen: dict[str, dict[str, set[int]]] = {
        key: {} for key in ("organisation_type", "partnership_type", "reach", "specialisms__name")
    }
    partners: set[int] = set()
    for row in rows:
        partners.add(row["pk"])
        for key, groups in seen.items():
            if row[key]:
                groups.setdefault(row[key], set()).add(row["pk"])

    def fold(key: str, choices) -> list[tuple[str, int]]:
        groups = seen[key]
        return [(str(label), len(groups[value])) for value, label in choices if value in groups]

    specialisms = seen["specialisms__name"]
    return PartnerMix(
        by_type=fold("organisation_type", OrganisationType.choices),
        by_partnership=fold("partnership_type", _type_choices(hub, seen["partnership_type"])),
        by_reach=fold("reach", Reach.choices),
        by_specialism=[(name, len(specialisms[name])) for name in sorted(specialisms)],
        total=len(partners),
    )


@dataclass(frozen=True)
class AreaRow:
    name: str
    commissions: int
    current: int
    committed: Decimal


def by_service_area(hub: Hub, year: str, counted: Tally | None = None) -> list[AreaRow]:
    """Per service area, for hubs where each area commissions its own partners."""
    counted = counted or tally(hub)
    areas = []
    for pk, name in hub.service_areas.order_by("name").values_list("pk", "name"):
        rows = [r for r in counted.rows if r["service_area_id"] == pk]
        awarded = [r for r in rows if r["cycle"] == year and r["status"] in AWARDED_STAGES]
        areas.append(
            AreaRow(
                name,
                sum(r["n"] for r in rows),
                sum(r["n"] for r in rows if r["status"] in CURRENT_STAGES),
                sum((r["grant"] or ZERO for r in awarded), ZERO),
            )
        )
    return areas
