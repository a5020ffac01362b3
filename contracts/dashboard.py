"""Contract management on the hub's oversight dashboard (oversight/views.py
adds these to its context) and in board packs: how the KPIs of current
partnerships were last rated, the high risks, and value for money. Six
queries, however many partnerships."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from commissioning.models import Commission
from commissioning.selectors import commissions_visible
from contracts.models import KpiRating, Rating
from contracts.selectors import high_risk_from, high_risks, in_force_q, risks_visible
from contracts.value import ValueForMoney, per, values_for
from hubs.access import HubAccess
from monitoring.models import Report, ReportStatus
from monitoring.rules import LIVE

HIGH_RISKS_SHOWN = 10
CONCERNS = (Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE)


@dataclass(frozen=True)
class KpiSummary:
    counts: list[tuple[str, str, int]]  # (rating, label, KPIs whose latest rating it is)
    concerns: list[KpiRating]  # latest ratings of requires improvement or inadequate

    @property
    def rated(self) -> int:
        return sum(n for _, _, n in self.counts)


def kpi_summary(hub) -> KpiSummary:
    """Each KPI in force of a live partnership, by its latest rating (one query)."""
    ratings = (
        KpiRating.objects.filter(
            in_force_q("kpi__"), kpi__hub=hub, kpi__commission__status__in=LIVE
        )
        .select_related("kpi", "kpi__commission", "kpi__commission__partner", "report")
        .order_by("kpi_id", "-report__due_on", "-report_id")
    )
    latest: dict[int, KpiRating] = {}
    for rating in ratings:
        latest.setdefault(rating.kpi_id, rating)
    counts = [
        (value, label, sum(1 for r in latest.values() if r.rating == value))
        for value, label in Rating.choices
    ]
    concerns = sorted(
        (r for r in latest.values() if r.rating in CONCERNS),
        key=lambda r: (r.rating != Rating.INADEQUATE, r.kpi.commission.reference, r.kpi.pk),
    )
    return KpiSummary(counts, concerns)


@dataclass(frozen=True)
class ValueRow:
    commission: Commission
    value: ValueForMoney


@dataclass(frozen=True)
class ValueSummary:
    rows: list[ValueRow]

    @property
    def participants(self) -> int:
        return sum(row.value.participants or 0 for row in self.rows)

    @property
    def grant(self) -> Decimal:
        return sum((row.value.grant for row in self.rows), Decimal(0))

    @property
    def total_cost(self) -> Decimal:
        return sum((row.value.total_cost for row in self.rows), Decimal(0))

    @property
    def grant_per_participant(self) -> Decimal | None:
        return per(self.grant, self.participants)

    @property
    def cost_per_participant(self) -> Decimal | None:
        return per(self.total_cost, self.participants)


def value_summary(hub, access: HubAccess | None = None) -> ValueSummary:
    """Partnerships with an accepted report (those this person may open),
    dearest per participant first (three queries)."""
    with_reports = Report.objects.filter(
        hub=hub, status=ReportStatus.ACCEPTED, participants__isnull=False
    ).values("commission_id")
    commissions = commissions_visible(access) if access is not None else Commission.objects
    commissions = list(
        commissions.filter(hub=hub, pk__in=with_reports)
        .select_related("partner")
        .order_by("reference")
    )
    values = values_for(commissions)
    rows = [ValueRow(c, values[c.pk]) for c in commissions]
    rows.sort(key=lambda row: -(row.value.grant_per_participant or 0))
    return ValueSummary(rows)


def contract_panels(access: HubAccess) -> dict:
    """The dashboard's context for contracts/_dashboard.html."""
    hub = access.hub
    threshold = high_risk_from(hub)
    high = high_risks(risks_visible(access), threshold)
    shown = list(high[: HIGH_RISKS_SHOWN + 1])
    return {
        "kpi_summary": kpi_summary(hub),
        "high_risks": shown[:HIGH_RISKS_SHOWN],
        "more_high_risks": len(shown) > HIGH_RISKS_SHOWN,
        "high_from": threshold,
        "value_summary": value_summary(hub, access),
    }


def board_pack_part(access: HubAccess) -> dict:
    """Every open high risk the board may see, and the KPIs rated requiring
    improvement or inadequate, for contracts/_board_pack.html."""
    threshold = high_risk_from(access.hub)
    return {
        "high_risks": list(high_risks(risks_visible(access), threshold)),
        "high_from": threshold,
        "kpi_summary": kpi_summary(access.hub),
    }
